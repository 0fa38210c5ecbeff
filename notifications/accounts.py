"""The emails notifications sends about an account, on what accounts announces (core.events)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from accounts.events import PasswordChanged
from notifications.outbox import user_email_enqueue


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
