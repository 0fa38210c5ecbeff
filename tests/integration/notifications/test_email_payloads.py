"""An email's context through the outbox's JSON payload: typed values come back typed, and
rows written before the outbox named templates and tagged values render as they did."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail

from accounts.models import User
from gate.notify import gate_event_notify
from notifications.context import context_from_json, context_to_json
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from products.models import Product

from .factories import NOW, POLICY, YESTERDAY, flag

old_payloads = importlib.import_module("notifications.migrations.0003_email_payload_names_template_and_tags_values")


def test_dates_datetimes_and_decimals_come_back_typed_and_the_rest_as_written() -> None:
    context = {
        "day": date(2026, 3, 9),
        "at": datetime(2026, 3, 9, 8, 30, tzinfo=UTC),
        "average": Decimal("2.6129"),
        "threshold": "10/3",
        "count": 31,
        "nested": {"deadline": date(2026, 4, 8), "notes": ["a", Decimal("1.5")]},
        "none": None,
    }
    stored = context_to_json(context)
    assert stored["day"] == {"$date": "2026-03-09"} and stored["average"] == {"$decimal": "2.6129"}
    assert stored["threshold"] == "10/3" and stored["count"] == 31
    assert context_from_json(stored) == context
    assert type(context_from_json(stored)["day"]) is date


@pytest.mark.django_db
@pytest.mark.parametrize("threshold", ["3", "10/3"])
def test_an_email_written_before_the_outbox_was_generic_renders_the_same_after_the_migration(
    product: Product, manager: User, director: User, threshold: str
) -> None:
    event = flag(product)
    event.policy = {**POLICY, "threshold": threshold}  # in memory: the stored log is append-only
    gate_event_notify(event=event, now=NOW)
    written_now = OutboxMessage.objects.get(recipient=manager)
    # What the gate wrote before: text values, no template name (the deliverer knew gate_<kind>).
    before = {key: value for key, value in written_now.payload.items() if key != "email_template"}
    before.update(
        day=YESTERDAY.isoformat(),
        deadline=(YESTERDAY + timedelta(days=30)).isoformat(),
        average="2.6129",
        threshold=threshold,
    )
    written_before = OutboxMessage.objects.create(
        channel="email",
        kind="flagged",
        dedupe_key="written-before",
        recipient=manager,
        payload=before,
        next_attempt_at=NOW,
    )

    old_payloads.forwards(apps, None)

    written_before.refresh_from_db()
    assert written_before.payload["threshold"] == (threshold if "/" in threshold else {"$decimal": threshold})
    assert outbox_deliver(message_id=written_now.pk, now=NOW) == "sent"
    assert outbox_deliver(message_id=written_before.pk, now=NOW) == "sent"
    now_email, before_email = mail.outbox
    assert (before_email.subject, before_email.body) == (now_email.subject, now_email.body)
    # The page's rule (core.gate_figures): one decimal, the threshold as pages show it.
    shown_threshold = {"3": "3,0", "10/3": "3,34"}[threshold]
    assert " 2,6 " in before_email.body and f"{shown_threshold}," in before_email.body
    assert "2,6129" not in before_email.body


@pytest.mark.django_db
def test_the_migration_reversed_leaves_text_values_the_old_reader_understood(product: Product, manager: User) -> None:
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.get(recipient=manager)

    old_payloads.backwards(apps, None)

    message.refresh_from_db()
    assert message.payload["day"] == YESTERDAY.isoformat() and message.payload["average"] == "2.6129"
    assert message.payload["email_template"] == "gate_flagged"
