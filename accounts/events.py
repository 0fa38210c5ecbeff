"""What accounts announces to the apps above it (core.events; docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from accounts.models import User
from core.events import Topic


@dataclass(frozen=True)
class PasswordChanged:
    """``user`` changed their password (or set a new one from a reset link) at ``at``."""

    user: User
    at: datetime


# notifications subscribes: it emails the "your password was changed" notice.
password_changed: Topic[PasswordChanged] = Topic("accounts.password_changed")


@dataclass(frozen=True)
class EmailVerified:
    """``user`` proved at ``at`` that they own their email address (a signed link)."""

    user: User
    at: datetime


# reviews subscribes: the reviews that waited for the confirmation are published.
email_verified: Topic[EmailVerified] = Topic("accounts.email_verified")


# --- Emails the account flows owe, written by notifications through its outbox ----------
# Each fact names the account (or no account) and the moment, never an address, a token or
# a password: the outbox row holds only the account's id and the link is built by the
# worker when it sends (notifications.accounts), so no credential is ever stored, and a
# request does the same work whether or not the address it was given is known.


@dataclass(frozen=True)
class EmailVerifyRequested:
    """``user`` needs (again) a link proving their address: signed up, asked again, or
    changed their address."""

    user: User
    at: datetime


# notifications subscribes: it queues the "confirm your address" email.
email_verify_requested: Topic[EmailVerifyRequested] = Topic("accounts.email_verify_requested")


@dataclass(frozen=True)
class SignupAddressTaken:
    """Someone tried at ``at`` to sign up with the address of ``owner``'s account."""

    owner: User
    at: datetime


# notifications subscribes: it tells the owner ("reset your password if it was you").
signup_address_taken: Topic[SignupAddressTaken] = Topic("accounts.signup_address_taken")


@dataclass(frozen=True)
class PasswordResetRequested:
    """A reset link was asked for at ``at``; ``user`` is the active account using the
    address, or None when none does (the outbox then gets a row that sends nothing)."""

    user: User | None
    at: datetime


# notifications subscribes: it queues the reset email (or its empty twin).
password_reset_requested: Topic[PasswordResetRequested] = Topic("accounts.password_reset_requested")
