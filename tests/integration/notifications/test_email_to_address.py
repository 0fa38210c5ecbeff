"""Emails to an address, not an account (notifications.builders): the builder gets the row's
stored context, returns the address and language to send to (never stored), and may add
the List-Unsubscribe header; a stored payload can never name an address itself."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import User
from notifications.builders import EMAIL_BUILDER_KEY, email_builder_register
from notifications.delivery import outbox_sweep
from notifications.models import OutboxMessage
from notifications.outbox import email_message_build, outbox_insert

pytestmark = pytest.mark.django_db

BUILDER = "tests_to_address"
seen: list[tuple[User | None, dict[str, Any]]] = []


def to_address_builder(recipient: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    seen.append((recipient, dict(context)))
    if context.get("gone"):
        return None
    return {
        "to_address": "customer@example.org",
        "to_language": "fr",
        "unsubscribe_url": "https://shop.example/unsubscribe/abc/",
        "username": "customer",
        "reset_url": "https://shop.example/reset/",
    }


email_builder_register(BUILDER, to_address_builder)


def queue(*, recipient: User | None, context: dict[str, Any], key: str) -> None:
    now = timezone.now()
    outbox_insert(
        [
            email_message_build(
                recipient=recipient, kind="test", template="password_changed", dedupe_key=key, context=context, due=now
            )
        ]
    )


def test_a_builder_gets_the_stored_context_and_names_the_address_and_language() -> None:
    seen.clear()
    queue(recipient=None, context={EMAIL_BUILDER_KEY: BUILDER, "thing": 42}, key="t:1")

    assert outbox_sweep() == 1
    [email] = mail.outbox
    assert email.to == ["customer@example.org"]
    assert email.extra_headers["Content-Language"] == "fr"
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert email.extra_headers["List-Unsubscribe"] == "<https://shop.example/unsubscribe/abc/>"
    assert "https://shop.example/reset/" in email.body
    assert seen == [(None, {EMAIL_BUILDER_KEY: BUILDER, "thing": 42, "email_template": "password_changed"})]


def test_a_builder_returning_none_sends_nothing() -> None:
    queue(recipient=None, context={EMAIL_BUILDER_KEY: BUILDER, "gone": True}, key="t:2")
    assert outbox_sweep() == 1
    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT


def test_a_stored_payload_cannot_name_the_address(make_user: Any) -> None:
    user = make_user(email="account@example.com", language="en")
    queue(
        recipient=user,
        context={
            "username": "u",
            "reset_url": "https://x/",
            "to_address": "elsewhere@example.net",
            "to_language": "fr",
        },
        key="t:3",
    )
    assert outbox_sweep() == 1
    [email] = mail.outbox
    assert email.to == ["account@example.com"]
    assert email.extra_headers["Content-Language"] == "en"
    assert "List-Unsubscribe" not in email.extra_headers
