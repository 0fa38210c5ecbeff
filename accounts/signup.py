"""Signing up: a shopper account for a new address, a word to the owner of a known one.

The page answers the same in both cases ("check your email") and the request does the
same work, so sign-up cannot be used to learn which addresses have an account:

1. the account using the address is looked up (one query, the unique address index);
2. the new account and its shopper role are written, the password hashed, whether or not
   the address is taken; when it is, the account is kept without an address. Keeping it
   matters: were it dropped, signing in with the name and password just chosen (or
   choosing the same name again) would tell the two cases apart. An account without an
   address can never confirm one, so its reviews never count;
3. one outbox row is queued through a topic, holding only an account's id: the new
   account's "confirm your address" (accounts.events.email_verify_requested), or the
   owner's "someone tried to sign up with your address; reset your password if it was
   you" (accounts.events.signup_address_taken). The worker builds any link as it sends.

The new account is not signed in by the request (a session would tell the two cases
apart): its owner signs in with the username and password they just chose, and may
write at once; their reviews wait until the address is confirmed.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.events import EmailVerifyRequested, SignupAddressTaken, email_verify_requested, signup_address_taken
from accounts.models import User
from accounts.roles import SHOPPER, user_add_role
from accounts.services import user_by_email


def account_signup(
    *, username: str, email: str, display_name: str, language: str, password: str, now: datetime | None = None
) -> User | None:
    """Create a shopper account for ``email``, or tell its owner when it is taken.

    Returns the new account holding the address, or None when the address belongs to
    another account (an account is made all the same, without it; the caller shows the
    same page either way). See the module docstring for the steps.
    """
    now = now or timezone.now()
    with transaction.atomic():
        owner = user_by_email(email)
        try:
            with transaction.atomic():  # a savepoint: a concurrent sign-up's row may win
                user = _account_create(
                    username=username,
                    email=email if owner is None else "",
                    display_name=display_name,
                    language=language,
                    password=password,
                    now=now,
                )
        except IntegrityError:
            # Two sign-ups with one new address at once: the second finds the first's and
            # keeps its account without the address, as for any known address.
            owner = user_by_email(email)
            if owner is None:
                raise  # the username was taken meanwhile: the form says so on a new try
            user = _account_create(
                username=username, email="", display_name=display_name, language=language, password=password, now=now
            )
        if owner is None:
            email_verify_requested.publish(EmailVerifyRequested(user=user, at=now))
            return user
        signup_address_taken.publish(SignupAddressTaken(owner=owner, at=now))
    return None


def _account_create(
    *, username: str, email: str, display_name: str, language: str, password: str, now: datetime
) -> User:
    user = User(username=username, email=email, display_name=display_name, language=language, date_joined=now)
    user.set_password(password)
    user.save()
    user_add_role(user, SHOPPER)
    return user
