"""Emails about an account's password: the reset link, and the notice that it changed.

The two take different roads on purpose.

The reset link is sent at once, from the request, not through the notifications outbox:
- it is a credential (whoever holds it sets the password); the outbox keeps every payload
  in the database and shows it in the admin, so the link would outlive its use there;
- it is wanted now, by someone waiting at the "sent" page who can simply ask again; a
  retry hours later, after a broker or mail outage, helps nobody and arrives unexpected;
- it must not depend on the broker and the Celery workers: a shopper locked out of their
  account should not also wait for a queue to drain.
A failed send is logged and the page says the same as on success (as Django does), so the
page never tells whether an address has an account. What this costs: the request that
does send an email takes longer than one that does not, a timing difference Django's own
reset view also has; the rate limits keep it from being sampled at scale.

The "your password was changed" notice holds no secret and must not be lost (it is how
someone learns that another person changed their password), so it goes through the
outbox like every other user email. accounts sits below notifications and does not write
it: password_changed_announce publishes accounts.events.password_changed in the change's
transaction, and notifications (notifications/accounts.py, subscribed in its
AppConfig.ready) writes the outbox row in that same transaction; the workers deliver and
retry it.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.emails import email_to_user
from accounts.events import PasswordChanged, password_changed
from accounts.models import User

logger = logging.getLogger(__name__)


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


def password_reset_email_send(
    *, user: User, token_generator: PasswordResetTokenGenerator = default_token_generator
) -> bool:
    """Email ``user`` a link to choose a new password, in their language, now.

    Returns whether the mail server took the message; a failure is logged, never raised
    (the caller shows the same page either way). See the module docstring for why this
    does not go through the outbox.
    """
    if not user.email:
        return False
    language = user.language or settings.LANGUAGE_CODE
    amount, unit = password_reset_link_lifetime()
    context = {
        "recipient": user,
        "reset_url": password_reset_url(user=user, token_generator=token_generator),
        "request_url": f"{settings.SITE_URL}{reverse('password_reset')}",
        "valid_days": amount if unit == "days" else None,
        "valid_hours": amount if unit == "hours" else None,
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        subject = " ".join(render_to_string("emails/password_reset_subject.txt", context).split())
        body = render_to_string("emails/password_reset_body.txt", context)
    message = email_to_user(user=user, subject=subject, body=body, language=language)
    try:
        message.send(fail_silently=False)
    except Exception:  # SMTP and socket errors of any kind: the person can ask again
        logger.exception("password reset: the email to user %s could not be sent", user.pk)
        return False
    return True


def password_changed_announce(*, user: User, now: datetime | None = None) -> None:
    """Tell the apps above that ``user``'s password was just changed, in the caller's
    transaction: notifications emails the notice (through the outbox), with the way to
    take the account back if it was not them (accounts.events.password_changed)."""
    password_changed.publish(PasswordChanged(user=user, at=now or timezone.now()))
