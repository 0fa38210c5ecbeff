"""The outbox by channel (docs/queues.md): an email's delivery is queued on `email`, a
webhook's on `webhooks`, and each channel's task and sweep handle that channel only, so a
webhook receiver that hangs never holds an email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction

from accounts.models import User
from config.celery_app import app as celery_app
from gate.notify import gate_event_notify
from notifications import tasks
from notifications.delivery import outbox_pending_due
from notifications.models import OutboxMessage
from notifications.webhooks import webhook_endpoint_create
from products.models import Product

from .conftest import Receiver
from .factories import NOW, flag

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Published:
    task: str
    args: tuple[Any, ...]
    queue: str
    exchange: str
    routing_key: str


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[Published]:
    """Task messages as the app hands them to the broker, already routed (what `.delay()`
    and beat's send_task both go through); nothing reaches a broker."""
    sent: list[Published] = []

    def record(producer: Any, name: str, message: Any, queue: Any = None, **options: Any) -> None:
        args = tuple(message.body[0])  # protocol 2: (args, kwargs, embed)
        sent.append(Published(name, args, queue.name, queue.exchange.name, queue.routing_key))

    assert not celery_app.conf.task_always_eager
    monkeypatch.setattr(celery_app.amqp, "send_task_message", record)
    return sent


@pytest.fixture
def event_messages(receiver: Receiver, director: User, product: Product) -> list[OutboxMessage]:
    """A flagged event's notices: an email to the manager and to the director, and a webhook."""
    _endpoint, receiver.secret = webhook_endpoint_create(url=receiver.url, events=["flagged"], by=director)
    with transaction.atomic():
        gate_event_notify(event=flag(product), now=NOW)
    return list(OutboxMessage.objects.order_by("id"))


def test_the_kick_queues_each_message_on_its_channels_queue(
    published: list[Published],
    receiver: Receiver,
    director: User,
    product: Product,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _endpoint, receiver.secret = webhook_endpoint_create(url=receiver.url, events=["flagged"], by=director)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        gate_event_notify(event=flag(product), now=NOW)
        assert published == []  # not before the commit

    channels = dict(OutboxMessage.objects.values_list("id", "channel"))
    assert sorted(channels.values()) == ["email", "email", "webhook"]
    assert sorted(published, key=lambda p: p.args) == [
        Published(
            task=f"notifications.tasks.outbox_{channel}_deliver_task",
            args=(message_id,),
            queue={"email": "email", "webhook": "webhooks"}[channel],
            exchange={"email": "email", "webhook": "webhooks"}[channel],
            routing_key={"email": "email", "webhook": "webhooks"}[channel],
        )
        for message_id, channel in sorted(channels.items())
    ]


def test_beat_sends_each_channels_sweep_to_that_channels_queue(published: list[Published]) -> None:
    """As beat sends them: by name, through the app (celery.beat.Scheduler.apply_async)."""
    for entry in ("outbox-email-sweep", "outbox-webhook-sweep", "gate-evaluate-daily"):
        spec = celery_app.conf.beat_schedule[entry]
        celery_app.send_task(spec["task"], **spec.get("options", {}))
    assert [(p.task, p.queue) for p in published] == [
        ("notifications.tasks.outbox_email_sweep_task", "email"),
        ("notifications.tasks.outbox_webhook_sweep_task", "webhooks"),
        ("gate.tasks.gate_evaluate_task", "gate"),
    ]


def test_a_channels_delivery_task_leaves_another_channels_message_alone(
    event_messages: list[OutboxMessage], receiver: Receiver
) -> None:
    """A message kicked onto the wrong queue is not sent from there (the email workers never
    wait on a receiver): its own channel's task or sweep sends it."""
    webhook = next(m for m in event_messages if m.channel == "webhook")
    email = next(m for m in event_messages if m.channel == "email")

    assert tasks.outbox_email_deliver_task(webhook.pk) is None
    assert tasks.outbox_webhook_deliver_task(email.pk) is None
    webhook.refresh_from_db()
    email.refresh_from_db()
    assert (webhook.status, webhook.attempts, email.status, email.attempts) == ("pending", 0, "pending", 0)
    assert receiver.deliveries == []

    assert tasks.outbox_webhook_deliver_task(webhook.pk) == "sent"
    assert tasks.outbox_email_deliver_task(email.pk) == "sent"
    assert len(receiver.deliveries) == 1


def test_each_sweep_sends_only_its_channels_due_messages(
    event_messages: list[OutboxMessage], receiver: Receiver, mailoutbox: list[Any]
) -> None:
    receiver.delay_seconds = 5.0  # were the email sweep to try the webhook, it would wait here
    pending = {channel: outbox_pending_due(channel=channel) for channel in ("email", "webhook")}
    assert [len(pending["email"]), len(pending["webhook"])] == [2, 1]
    assert sorted(pending["email"] + pending["webhook"]) == [m.pk for m in event_messages]

    assert tasks.outbox_email_sweep_task() == 2
    assert len(mailoutbox) == 2 and receiver.deliveries == []
    assert OutboxMessage.objects.get(channel="webhook").attempts == 0

    receiver.delay_seconds = 0.0
    assert tasks.outbox_webhook_sweep_task() == 1
    assert len(receiver.deliveries) == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert tasks.outbox_email_sweep_task() == tasks.outbox_webhook_sweep_task() == 0
