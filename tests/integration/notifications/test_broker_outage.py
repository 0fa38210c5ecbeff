"""A broker outage delays notifications and loses none: the kick fails quietly, the sweep
delivers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from gate.notify import gate_event_notify
from notifications import tasks
from notifications.models import OutboxMessage, WebhookEndpoint
from products.models import Product

from .conftest import Receiver
from .factories import evaluation_event

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_when_the_broker_is_down_the_event_commits_and_the_sweep_delivers_everything(
    product: Product,
    manager: User,
    director: User,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver.secret = "whsec_outage"
    WebhookEndpoint.objects.create(url=receiver.url, secret=receiver.secret, events=["withdrawn"])
    calls: list[int] = []

    def broker_down(message_id: int) -> None:
        calls.append(message_id)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.outbox_email_deliver_task, "delay", broker_down)
    monkeypatch.setattr(tasks.outbox_webhook_deliver_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = evaluation_event(product, "withdrawn", day=timezone.localdate(), average="2.4000")
        gate_event_notify(event=event)

    # The request that caused the event did not fail; one publish was tried, then the
    # rest left to the sweep rather than waiting on a dead broker for each.
    assert len(calls) == 1
    assert "broker unavailable" in caplog.text
    assert OutboxMessage.objects.filter(status="pending").count() == 3
    assert mail.outbox == [] and receiver.deliveries == []

    # The broker is back; beat runs the sweeps, one per channel.
    assert tasks.outbox_email_sweep_task() == 2
    assert tasks.outbox_webhook_sweep_task() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, director.email])
    assert [d.verified for d in receiver.deliveries] == [True]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert tasks.outbox_email_sweep_task() == tasks.outbox_webhook_sweep_task() == 0


def test_a_real_unreachable_broker_does_not_raise_from_the_kick() -> None:
    """No mock: a Celery app pointed at a port where no Redis listens."""
    script = (
        "import django; django.setup()\n"
        "from notifications.outbox import outbox_kick\n"
        "outbox_kick(messages=[(1, 'email'), (2, 'webhook'), (3, 'email')])\n"
        "print('kick returned')\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": "redis://127.0.0.1:9/0",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "kick returned" in done.stdout
    assert "broker unavailable, 3 message(s) left to the sweep" in done.stderr
