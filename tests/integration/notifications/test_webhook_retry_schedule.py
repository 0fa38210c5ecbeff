"""Retries and backoff as docs/webhooks.md states them: a receiver that always fails is
driven through every attempt, and the schedule measured equals the documented table."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from accounts.models import User
from gate.notify import gate_event_notify
from notifications.delivery import MAX_ATTEMPTS, outbox_deliver
from notifications.models import DeliveryAttempt, OutboxMessage
from notifications.webhooks import webhook_endpoint_create
from products.models import Product
from tests.conftest import REPO_ROOT

from .conftest import Receiver
from .factories import NOW, flag

pytestmark = pytest.mark.django_db

ROW = re.compile(r"^\| (\d+) \| (\d+) minutes? \| (.+?) \|$", re.MULTILINE)


def documented_schedule() -> list[tuple[int, timedelta, timedelta | None]]:
    """(attempt, when it is sent after the first, wait after it fails or None: given up)
    from the table in docs/webhooks.md's "Retries" section."""
    doc = (REPO_ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    section = doc.split("## Retries", 1)[1].split("\n## ", 1)[0]
    rows = []
    for number, offset, wait in ROW.findall(section):
        minutes = re.fullmatch(r"(\d+) minutes?", wait)
        rows.append(
            (int(number), timedelta(minutes=int(offset)), timedelta(minutes=int(minutes[1])) if minutes else None)
        )
    assert rows, "docs/webhooks.md has no retry table"
    return rows


def test_a_failing_receiver_is_retried_on_the_documented_schedule_then_given_up(
    receiver: Receiver, product: Product, director: User
) -> None:
    schedule = documented_schedule()
    # The documented count of attempts is the code's, and the table is whole.
    assert [number for number, _, _ in schedule] == list(range(1, MAX_ATTEMPTS + 1))
    assert "for 8 attempts in all" in (REPO_ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    assert MAX_ATTEMPTS == 8

    _endpoint, receiver.secret = webhook_endpoint_create(url=receiver.url, events=["flagged"], by=director)
    receiver.statuses = [503] * 100
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.get(channel="webhook")

    measured: list[tuple[int, timedelta, timedelta | None]] = []
    clock = NOW
    for number in range(1, 100):
        # Not due a second early: nothing is sent.
        assert outbox_deliver(message_id=message.pk, now=clock - timedelta(seconds=1)) is None
        status = outbox_deliver(message_id=message.pk, now=clock)
        message.refresh_from_db()
        if status == "failed":
            measured.append((number, clock - NOW, None))
            break
        assert status == "pending"
        measured.append((number, clock - NOW, message.next_attempt_at - clock))
        clock = message.next_attempt_at

    assert measured == schedule
    assert (message.status, message.attempts) == ("failed", MAX_ATTEMPTS)
    assert message.last_error == "HTTP 503: ok"  # the status and the start of the body
    # Every attempt reached the receiver, signed, and every one is logged with its status.
    assert len(receiver.deliveries) == MAX_ATTEMPTS and all(d.verified for d in receiver.deliveries)
    log = list(DeliveryAttempt.objects.filter(message=message).values_list("number", "succeeded", "http_status"))
    assert log == [(n, False, 503) for n in range(1, MAX_ATTEMPTS + 1)]
    # Given up: no sweep picks it up again, whenever it runs.
    assert outbox_deliver(message_id=message.pk, now=clock + timedelta(days=30)) is None
