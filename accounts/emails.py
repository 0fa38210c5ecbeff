"""The one builder of the site's emails to an account (every one goes through the outbox)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage

from accounts.models import User


def email_to_user(*, user: User, subject: str, body: str, language: str) -> EmailMessage:
    """A plain-text email from the site to one account, marked automatic, in ``language``."""
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
