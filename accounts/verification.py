"""Proving an account owns its email address: a signed, expiring link.

The link carries ``django.core.signing`` data (salted for this one purpose, so no other
signed value of the site can be replayed here): the account's id and a keyed digest of
the address it was sent to (never the address itself, which would then sit in mail
logs and browser histories), stamped with the time it was made. It works for
settings.ACCOUNT_EMAIL_VERIFY_DAYS days (3 unless set in the environment), and only for
the address it was made for: after a change of address, an old link is refused.

The link is made by the outbox worker when it sends the email
(email_verify_email_context, registered by notifications), never stored. Opening it
(email_verify) records ``email_verified_at`` with a compare-and-swap and publishes
accounts.events.email_verified in the same transaction (reviews then publishes the
reviews that waited). Opening it again is harmless: "already confirmed".
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.events import EmailVerified, EmailVerifyRequested, email_verified, email_verify_requested
from accounts.models import User

EMAIL_VERIFY_SALT = "accounts.email_verify"
ADDRESS_DIGEST_SALT = "accounts.email_verify.address"


class VerifyOutcome(StrEnum):
    PENDING = "pending"  # a genuine link, not used yet: its page asks to confirm (a POST)
    VERIFIED = "verified"  # this link confirmed the address just now
    ALREADY = "already"  # the address was already confirmed (a link opened twice)
    EXPIRED = "expired"  # a genuine link, older than ACCOUNT_EMAIL_VERIFY_DAYS
    INVALID = "invalid"  # tampered, made for another address, or for no active account


def email_verify_days() -> int:
    # One definition of the default: config/settings.py (checked positive at start-up).
    return int(settings.ACCOUNT_EMAIL_VERIFY_DAYS)


def address_digest(email: str) -> str:
    """A keyed digest of the address: ties a link to it without revealing it."""
    return salted_hmac(ADDRESS_DIGEST_SALT, email.strip().lower()).hexdigest()[:20]


def email_verify_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "a": address_digest(user.email)}, salt=EMAIL_VERIFY_SALT)


def email_verify_url(user: User) -> str:
    """The link on SITE_URL (never the request's Host header) that confirms ``user``'s address."""
    return f"{settings.SITE_URL}{reverse('email_verify', kwargs={'token': email_verify_token(user)})}"


def _account_named_by(data: Any) -> User | None:
    """The active account a link's data names, if the link was made for its current address."""
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).first()
    if user is None or not user.email or data.get("a") != address_digest(user.email):
        return None
    return user


def _link_account(token: str) -> tuple[VerifyOutcome, User | None]:
    """What a link says, without using it: PENDING with its account (a genuine link of an
    unconfirmed address), or ALREADY, EXPIRED, INVALID (an expired link of an account
    already confirmed says "already confirmed": it is harmless, the more useful answer)."""
    max_age = timedelta(days=email_verify_days())
    try:
        data = signing.loads(token, salt=EMAIL_VERIFY_SALT, max_age=max_age)
    except signing.SignatureExpired:
        expired = _account_named_by(signing.loads(token, salt=EMAIL_VERIFY_SALT))
        outcome = VerifyOutcome.ALREADY if expired is not None and expired.email_verified else VerifyOutcome.EXPIRED
        return outcome, None
    except signing.BadSignature:
        return VerifyOutcome.INVALID, None
    user = _account_named_by(data)
    if user is None:
        return VerifyOutcome.INVALID, None
    return (VerifyOutcome.ALREADY if user.email_verified else VerifyOutcome.PENDING), user


def email_verify_check(*, token: str) -> VerifyOutcome:
    """What opening a link shows, changing nothing: a GET (a mail scanner following links,
    a preview) confirms no address; the page's button (email_verify) does."""
    return _link_account(token)[0]


def email_verify(*, token: str, now: datetime | None = None) -> VerifyOutcome:
    """Confirm the address a link was sent to, once; see VerifyOutcome for the answers.

    1. Check the signature, the age and the account (_link_account);
    2. Set ``email_verified_at`` only where it is still empty and the address is the
       link's (compare-and-swap: two clicks at once confirm, and publish, once).
    3. Publish accounts.events.email_verified in that transaction.
    """
    now = now or timezone.now()
    outcome, user = _link_account(token)
    if outcome is not VerifyOutcome.PENDING or user is None:
        return outcome
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, email=user.email, email_verified_at__isnull=True).update(
            email_verified_at=now
        )
        if updated != 1:
            return VerifyOutcome.ALREADY
        user.email_verified_at = now
        email_verified.publish(EmailVerified(user=user, at=now))
    return VerifyOutcome.VERIFIED


def email_verify_by_invitation(*, user: User, email: str, now: datetime) -> bool:
    """A review invitation sent to ``email`` was used to write a review: its owner proved
    they read that mailbox, as a confirmation link proves it. Confirms ``user``'s address
    if it is still ``email`` (case-insensitively) and unconfirmed, with the same
    compare-and-swap as email_verify, and publishes accounts.events.email_verified in the
    caller's transaction. Returns whether this call confirmed it."""
    with transaction.atomic():
        updated = User.objects.filter(pk=user.pk, email__iexact=email.strip(), email_verified_at__isnull=True).update(
            email_verified_at=now
        )
        if updated != 1:
            return False
        user.email_verified_at = now
        email_verified.publish(EmailVerified(user=user, at=now))
    return True


def email_verify_request(*, user: User, now: datetime | None = None) -> None:
    """Queue a (new) confirmation link for ``user``'s address, in the caller's transaction
    (notifications writes the outbox row; the worker builds the link when it sends)."""
    with transaction.atomic():
        email_verify_requested.publish(EmailVerifyRequested(user=user, at=now or timezone.now()))


def email_verify_email_context(user: User | None) -> dict[str, Any] | None:
    """What the confirmation email adds to its template, built by the worker as it sends;
    None when there is nothing left to confirm (confirmed meanwhile, address removed)."""
    if user is None or not user.is_active or not user.email or user.email_verified:
        return None
    return {"verify_url": email_verify_url(user), "valid_days": email_verify_days()}


def email_change_unverifies(*, user: User, previous_email: str, now: datetime | None = None) -> bool:
    """After ``user`` saved their profile: a new address (not just a new case) is no longer
    confirmed, and gets a link. Returns whether the address changed."""
    if user.email.strip().lower() == previous_email.strip().lower():
        return False
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(email_verified_at=None)
        user.email_verified_at = None
        if user.email:
            email_verify_request(user=user, now=now)
    return True
