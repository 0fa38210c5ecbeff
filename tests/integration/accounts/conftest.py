"""Fixtures of the account tests: the site's URL, a local mailbox, and the worker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail

from accounts.events import EmailVerified, email_verified
from notifications.delivery import outbox_sweep

SITE = "https://shop.example"
PASSWORD = "a-very-long-passphrase-7"
VERIFY_LINK = re.compile(r"^(https://shop\.example/accounts/email/confirm/[^/\s]+/)$", re.MULTILINE)
RESET_LINK = re.compile(r"^(https://shop\.example/accounts/password/reset/[^/\s]+/[^/\s]+/)$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ACCOUNT_EMAIL_VERIFY_DAYS = 3


@pytest.fixture
def verified_facts() -> Iterator[list[EmailVerified]]:
    """Every accounts.email_verified fact published during the test (a subscribed handler)."""
    facts: list[EmailVerified] = []
    handler = facts.append
    email_verified.subscribe(handler)
    yield facts
    email_verified.unsubscribe(handler)


def worker_sends() -> int:
    """The outbox worker's sweep: what the requests queued goes out now."""
    return outbox_sweep()


def link_in(message: mail.EmailMessage, pattern: re.Pattern[str] = VERIFY_LINK) -> str:
    links = pattern.findall(str(message.body))
    assert len(links) == 1, message.body
    return str(links[0])


def path_of(url: str) -> str:
    assert url.startswith(SITE + "/"), url
    return url[len(SITE) :]


def signup_form(**changes: str) -> dict[str, str]:
    return {
        "username": "camille75",
        "email": "camille@example.com",
        "display_name": "Camille D.",
        "language": "en",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **changes,
    }
