"""Emails about an account's password: the reset link, and the notice that it changed.

Both go through the notifications outbox, and neither request stores a credential:

- A reset request looks the address up (one query on the unique address index) and
  publishes accounts.events.password_reset_requested with the active account using it,
  or with no account. notifications writes ONE outbox row either way, holding only the
  account's id (or none), in the request's transaction; the worker builds the link when it
  sends (password_reset_email_context: the token is made then, so its lifetime starts when
  the email leaves) and turns the row without an account into no email. So a known and an
  unknown address cost the request the same queries and the same row, answer in the same
  time, and nothing is lost while the broker or the mail server is down (the sweep sends
  it later; the link is still made fresh). The outbox never holds the link: it is a
  credential, and payloads are kept and shown in the admin.
- The "your password was changed" notice holds no secret and must not be lost (it is how
  someone learns that another person changed their password): password_changed_announce
  publishes accounts.events.password_changed in the change's transaction, and
  notifications writes the outbox row in that same transaction.

accounts sits below notifications and never imports it (docs/architecture.md): it
publishes facts; notifications subscribes (notifications/accounts.py) and registers the
builders that complete an email at delivery.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.events import PasswordChanged, PasswordResetRequested, password_changed, password_reset_requested
from accounts.models import User


def password_reset_url(*, user: User, token_generator: PasswordResetTokenGenerator = default_token_generator) -> str:
    """The link that lets ``user`` choose a new password, on SITE_URL.

    Never built from the request's Host header: a forged header would otherwise send the
    victim a link to the attacker's site, token included.
    """
    path = reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token_generator.make_token(user)},
    )
    return f"{settings.SITE_URL}{path}"


def password_reset_link_lifetime() -> tuple[int, str]:
    """How long a reset link works, as (number, "days" or "hours"), for the email's wording.

    Django's token expires PASSWORD_RESET_TIMEOUT seconds after it was made; a part of an
    hour counts as an hour so the email never promises more than the token gives.
    """
    hours = max(1, math.ceil(int(settings.PASSWORD_RESET_TIMEOUT) / 3600))
    if hours % 24 == 0:
        return hours // 24, "days"
    return hours, "hours"


def user_by_email(address: str) -> User | None:
    """The account using ``address`` (any case), or None: one query, on the unique index."""
    normalized = address.strip().lower()
    if not normalized:
        return None
    # "email <> ''" lets PostgreSQL use the partial unique index on lower(email).
    return User.objects.alias(email_lower=Lower("email")).filter(email_lower=normalized).exclude(email="").first()


def password_reset_request(*, address: str, now: datetime | None = None) -> None:
    """Someone asked for a reset link for ``address``: queue it, the same work either way.

    1. Find the active account with a usable password using the address (one query).
    2. Publish password_reset_requested with it, or with None, in one transaction:
       notifications writes one outbox row holding only the account's id (see the module
       docstring); the link is built by the worker when it sends.
    """
    now = now or timezone.now()
    user = user_by_email(address)
    if user is not None and not (user.is_active and user.has_usable_password()):
        user = None  # as Django's reset: no link for an inactive or password-less account
    with transaction.atomic():
        password_reset_requested.publish(PasswordResetRequested(user=user, at=now))


def password_reset_email_context(
    user: User | None, *, token_generator: PasswordResetTokenGenerator = default_token_generator
) -> dict[str, Any] | None:
    """What the reset email adds to its template, built by the worker as it sends; None
    when there is nothing to send (no account used the address, or it cannot sign in)."""
    if user is None or not user.is_active or not user.email or not user.has_usable_password():
        return None
    amount, unit = password_reset_link_lifetime()
    return {
        "reset_url": password_reset_url(user=user, token_generator=token_generator),
        "request_url": f"{settings.SITE_URL}{reverse('password_reset')}",
        "valid_days": amount if unit == "days" else None,
        "valid_hours": amount if unit == "hours" else None,
    }


def password_changed_announce(*, user: User, now: datetime | None = None) -> None:
    """Tell the apps above that ``user``'s password was just changed, in the caller's
    transaction: notifications emails the notice (through the outbox), with the way to
    take the account back if it was not them (accounts.events.password_changed)."""
    password_changed.publish(PasswordChanged(user=user, at=now or timezone.now()))
