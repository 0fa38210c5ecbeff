"""Issue 20, item 3, with real workers: a webhook receiver that hangs holds the `webhooks`
workers only; the gate's notice emails go out meanwhile (docs/queues.md).

Two ``celery -A config.celery_app worker`` subprocesses on the Redis broker, started as a
deployment starts its pools: one on `webhooks` (one process), one on `gate,email,default`.
The outbox kicks of this process (on commit, as in production) reach them through the
queues their channel routes them to.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from accounts.models import User
from config.celery_app import app as celery_app
from gate.notify import gate_event_notify
from notifications.delivery import WEBHOOK_DEADLINE_SECONDS
from notifications.models import DeliveryAttempt, OutboxMessage
from notifications.webhooks import webhook_endpoint_create
from products.models import Product
from tests.factories import next_number, product_create
from tests.integration.faults.checks import emails_in
from tests.integration.faults.processes import celery_worker_start, child_env, log_tail, process_stop, wait_until

from .conftest import Receiver
from .factories import NOW, flag


def _purge_named_queues() -> None:
    """Leftovers of earlier tests on the shared broker would be consumed by these workers."""
    with celery_app.connection_for_write() as conn:
        for queue in settings.WORKER_QUEUES:
            with contextlib.suppress(Exception):
                conn.default_channel.queue_purge(queue)  # type: ignore[attr-defined]


@pytest.fixture
def real_broker() -> Iterator[None]:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL=postgres://... (the workers share the test database)")
    if not str(settings.CELERY_BROKER_URL).startswith("redis://"):
        missing.append("CELERY_BROKER_URL=redis://... (a real broker)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail("the queue isolation test needs " + " and ".join(missing))
        pytest.skip("needs " + " and ".join(missing))
    assert not celery_app.conf.task_always_eager
    _purge_named_queues()
    yield
    _purge_named_queues()


@pytest.fixture
def hanging_receiver(receiver: Receiver) -> Iterator[tuple[Receiver, threading.Event]]:
    """The integrator's endpoint, holding its first delivery until the test releases it."""
    release = threading.Event()
    handle = receiver.handle

    def first_hangs(headers: dict[str, str], body: bytes) -> int:
        first = not receiver.deliveries
        status = handle(headers, body)
        if first:
            release.wait(60)
        return status

    receiver.handle = first_hangs  # type: ignore[method-assign]
    yield receiver, release
    release.set()


def notices_committed(product: Product) -> list[OutboxMessage]:
    """The gate flags ``product``: its notice emails and webhook, kicked once committed."""
    with transaction.atomic():
        event = flag(product)
        gate_event_notify(event=event, now=NOW)
    return list(
        OutboxMessage.objects.filter(payload__event_id=event.pk)
        | OutboxMessage.objects.filter(payload__id=str(event.pk))
    )


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_hanging_webhook_receiver_holds_only_the_webhook_worker_and_the_notice_emails_go_out(
    real_broker: None,
    hanging_receiver: tuple[Receiver, threading.Event],
    product: Product,
    manager: User,
    director: User,
    tmp_path: Path,
) -> None:
    receiver, release = hanging_receiver
    _endpoint, receiver.secret = webhook_endpoint_create(url=receiver.url, events=["flagged"], by=director)
    email_dir = tmp_path / "emails"
    env = child_env(broker_url=str(settings.CELERY_BROKER_URL), extra={"FAULTS_EMAIL_DIR": str(email_dir)})
    logs = {"webhooks": tmp_path / "webhooks-worker.log", "rest": tmp_path / "rest-worker.log"}
    workers: list[subprocess.Popen[bytes]] = []
    try:
        workers.append(celery_worker_start(env, log_path=logs["webhooks"], name="webhooks", queues=["webhooks"]))
        workers.append(
            celery_worker_start(
                env, log_path=logs["rest"], name="rest", concurrency=2, queues=["gate", "email", "default"]
            )
        )

        # 1. A first flag: its webhook reaches the receiver, which hangs; the one webhook
        #    worker process is now held there.
        first = notices_committed(product)
        first_webhook = next(m for m in first if m.channel == "webhook")
        wait_until(lambda: len(receiver.deliveries) == 1, timeout=20, what="the webhook to reach the receiver")
        held_since = time.monotonic()

        # 2. The next flag, while the receiver hangs: its emails go out at once; its webhook
        #    waits in the `webhooks` queue behind the held one.
        other = product_create(
            sku=f"Q{next_number():06d}", name="Hanging hook", slug="hanging-hook", managers=[manager]
        )
        second = notices_committed(other)
        second_emails = [m.pk for m in second if m.channel == "email"]
        second_webhook = next(m for m in second if m.channel == "webhook")
        assert len(second_emails) == 2
        wait_until(
            lambda: OutboxMessage.objects.filter(pk__in=second_emails, status="sent").count() == 2,
            timeout=20,
            what=f"the second notice's emails while the webhook hangs\n{log_tail(logs['rest'])}",
        )
        emails_out_after = time.monotonic() - held_since
        assert emails_out_after < WEBHOOK_DEADLINE_SECONDS  # the webhook's attempt is still in flight:
        held = DeliveryAttempt.objects.get(message=first_webhook)
        assert held.finished_at is None
        second_webhook.refresh_from_db()
        assert (second_webhook.status, second_webhook.attempts) == ("pending", 0)  # not even tried yet
        assert len(receiver.deliveries) == 1
        assert sum(emails_in(email_dir).values()) == 4  # both notices' emails, from the worker
        assert OutboxMessage.objects.filter(channel="email").exclude(status="sent").count() == 0

        # 3. The receiver answers: the held webhook is sent, then the one that waited.
        release.set()
        wait_until(
            lambda: OutboxMessage.objects.filter(channel="webhook", status="sent").count() == 2,
            timeout=20,
            what=f"both webhooks sent once released\n{log_tail(logs['webhooks'])}",
        )
    finally:
        release.set()
        for worker in workers:
            process_stop(worker)

    # Each worker ran only its queues' tasks (a task run is logged "<name>[<id>] succeeded").
    webhooks_log, rest_log = logs["webhooks"].read_text(), logs["rest"].read_text()
    assert webhooks_log.count("outbox_webhook_deliver_task[") >= 2 and "outbox_email_deliver_task[" not in webhooks_log
    assert rest_log.count("outbox_email_deliver_task[") >= 4 and "outbox_webhook_deliver_task[" not in rest_log
    # The held one once (its answer came within the deadline), then the one that waited.
    assert [d.headers["Reviewgate-Event-Id"] for d in receiver.deliveries] == [
        first_webhook.webhook_event_id,
        second_webhook.webhook_event_id,
    ]
