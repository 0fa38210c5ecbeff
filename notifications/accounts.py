"""The emails notifications sends about an account, on what accounts announces (core.events).

Two kinds:
- the "your password was changed" notice: fully written when queued (it holds no secret);
- the emails of the account flows (confirm your address, reset your password, someone
  tried to sign up with your address): the row holds only the account's id (or none, for
  a reset asked for an unknown address) and names a builder (notifications.builders); the
  worker builds the link as it sends, so the outbox never holds a credential, and the
  request that queued it did the same work whether or not the address was known.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from accounts.events import (
    EmailVerifyRequested,
    PasswordChanged,
    PasswordResetRequested,
    SignupAddressTaken,
    email_verify_requested,
    password_changed,
    password_reset_requested,
    signup_address_taken,
)
from accounts.models import User
from accounts.services import password_reset_email_context
from accounts.verification import email_verify_email_context
from notifications.builders import EMAIL_BUILDER_KEY, email_builder_register
from notifications.outbox import email_message_build, outbox_insert, user_email_enqueue

# Message kinds, which are also the names of their templates (emails/<kind>_subject.txt...)
# and of their builders.
ACCOUNT_VERIFY = "account_verify"
ACCOUNT_TAKEN = "account_taken"
RESET_EMAIL = "password_reset"
# The payload's one fact: the account the email is about (or None).
ACCOUNT_KEY = "account"


def password_changed_email(fact: PasswordChanged) -> None:
    """The "your password was changed" notice, through the outbox in the change's transaction.

    It holds no secret and must not be lost (it is how someone learns that another person
    changed their password). Nothing is written for an account without an email address.
    """
    user = fact.user
    user_email_enqueue(
        recipient=user,
        kind="password_changed",
        # One notice per change: two changes a second apart are two notices.
        dedupe_key=f"password_changed:{user.pk}:{fact.at.isoformat()}",
        context={
            "username": user.username,
            "reset_url": f"{settings.SITE_URL}{reverse('password_reset')}",
        },
        now=fact.at,
    )


def account_email_queue(*, kind: str, recipient: User | None, at: datetime) -> None:
    """One account-flow email, in the caller's transaction: the same row shape whoever (or
    whether anyone) it is for. Its key is random: every request is its own message, and
    the key says nothing of the address or the account."""
    row = email_message_build(
        recipient=recipient,
        kind=kind,
        template=kind,
        dedupe_key=f"account:{uuid.uuid4().hex}",
        context={ACCOUNT_KEY: recipient.pk if recipient is not None else None, EMAIL_BUILDER_KEY: kind},
        due=at,
    )
    outbox_insert([row])


def email_verify_email(fact: EmailVerifyRequested) -> None:
    account_email_queue(kind=ACCOUNT_VERIFY, recipient=fact.user, at=fact.at)


def signup_address_taken_email(fact: SignupAddressTaken) -> None:
    account_email_queue(kind=ACCOUNT_TAKEN, recipient=fact.owner, at=fact.at)


def password_reset_email(fact: PasswordResetRequested) -> None:
    account_email_queue(kind=RESET_EMAIL, recipient=fact.user, at=fact.at)


def account_taken_email_context(user: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The owner's "someone tried to sign up with your address": where to reset and sign in."""
    if user is None or not user.is_active or not user.email:
        return None
    return {
        "reset_url": f"{settings.SITE_URL}{reverse('password_reset')}",
        "login_url": f"{settings.SITE_URL}{reverse('login')}",
    }


# The accounts flows' builders need only the account (their stored context is its id, which
# the worker has already read as the row's recipient).
def email_verify_builder(user: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return email_verify_email_context(user)


def password_reset_builder(user: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    return password_reset_email_context(user)


def account_emails_subscribe() -> None:
    """Called by NotificationsConfig.ready(): the handlers and builders of accounts' emails."""
    password_changed.subscribe(password_changed_email)
    email_verify_requested.subscribe(email_verify_email)
    signup_address_taken.subscribe(signup_address_taken_email)
    password_reset_requested.subscribe(password_reset_email)
    email_builder_register(ACCOUNT_VERIFY, email_verify_builder)
    email_builder_register(ACCOUNT_TAKEN, account_taken_email_context)
    email_builder_register(RESET_EMAIL, password_reset_builder)
