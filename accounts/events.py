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
