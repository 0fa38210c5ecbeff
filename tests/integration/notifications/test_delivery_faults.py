"""A worker killed in the middle of a delivery: every attempt is logged (the killed one
too, with no outcome), and each message goes out exactly once more after the lease.

The first test simulates the kill in-process (fast, any database); the second kills a real
``celery -A config.celery_app worker`` subprocess with SIGKILL while it is blocked inside a
webhook POST and inside two SMTP conversations (PostgreSQL and the Redis broker; slow).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import User
from config.celery_app import app as celery_app
from gate.notify import gate_event_notify
from notifications import delivery, tasks
from notifications.delivery import claim_lease, outbox_deliver
from notifications.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from products.models import Product
from tests.conftest import REPO_ROOT
from tests.integration.faults.processes import kill_hard, process_stop, test_database_url, wait_until

from .conftest import Receiver
from .factories import NOW, evaluation_event, flag

STOPPED = DeliveryAttempt.Outcome.WORKER_STOPPED
WORKER_STOPPED = "no outcome: the worker stopped"  # how the admin shows it


class WorkerKilled(BaseException):
    """What the process sees of SIGKILL: nothing runs after it (not even `except Exception`)."""


def attempt_log(message: OutboxMessage, now: datetime | None = None) -> list[tuple[int, bool | None, bool, str]]:
    """(number, succeeded, finished, outcome at ``now``) of each attempt at ``message``."""
    now = now or timezone.now()
    return [
        (a.number, a.succeeded, a.finished_at is not None, a.outcome_at(now))
        for a in DeliveryAttempt.objects.filter(message=message).select_related("message")
    ]


@pytest.mark.django_db
def test_an_attempt_cut_short_is_logged_at_the_claim_and_shown_as_the_worker_stopped(
    receiver: Receiver,
    product: Product,
    manager: User,
    director: User,
    monkeypatch: pytest.MonkeyPatch,
    client: Client,
    admin_user: User,
) -> None:
    WebhookEndpoint.objects.create(url=receiver.url, secret="whsec_killed", events=["flagged"])
    receiver.secret = "whsec_killed"
    gate_event_notify(event=flag(product), now=NOW)
    messages = list(OutboxMessage.objects.order_by("channel", "id"))
    assert [m.channel for m in messages] == ["email", "email", "webhook"]

    def killed(message: OutboxMessage) -> None:
        # The attempt is already in the log, with no outcome, while the send is under way.
        assert attempt_log(message, NOW) == [(1, None, False, "in_progress")]
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr(delivery, "_send_email", killed)
        patch.setattr(delivery, "_send_webhook", killed)
        for message in messages:
            with pytest.raises(WorkerKilled):
                outbox_deliver(message_id=message.pk, now=NOW)

    lease = claim_lease()
    # Hidden from other workers during the lease; the attempt is in progress, then stopped.
    assert all(outbox_deliver(message_id=m.pk, now=NOW + lease - timedelta(seconds=1)) is None for m in messages)
    first = DeliveryAttempt.objects.get(message=messages[0])
    assert first.outcome_at(NOW + lease - timedelta(seconds=1)) == DeliveryAttempt.Outcome.IN_PROGRESS
    assert first.outcome_at(NOW + lease) == DeliveryAttempt.Outcome.WORKER_STOPPED

    assert [outbox_deliver(message_id=m.pk, now=NOW + lease) for m in messages] == ["sent"] * 3
    for message in messages:
        assert attempt_log(message, NOW + lease) == [(1, None, False, STOPPED), (2, True, True, "succeeded")]
    assert len(receiver.deliveries) == 1 and receiver.deliveries[0].verified

    # The operator sees it in the admin, on the message's page.
    client.force_login(admin_user)
    page = client.get(f"/admin/notifications/outboxmessage/{messages[2].pk}/change/")
    assert page.status_code == 200
    assert WORKER_STOPPED in page.content.decode()


# --- A real worker, killed -----------------------------------------------------------------

LEASE_SECONDS = 4


@dataclass
class BlockingSmtp:
    """Just enough SMTP for Django's backend. While ``blocking``, a message's DATA is read
    and then no reply comes until ``release`` (the sender cannot know it was accepted);
    otherwise it is accepted (250) and recorded in ``accepted``."""

    port: int = 0
    blocking: bool = True
    release: threading.Event = field(default_factory=threading.Event)
    held: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)


def smtp_handler(state: BlockingSmtp) -> type[socketserver.StreamRequestHandler]:
    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self) -> None:
            self.reply("220 test-smtp ready")
            recipients: list[str] = []
            while line := self.rfile.readline():
                verb = line[:4].upper()
                if verb == b"RCPT":
                    recipients.append(line.decode().split(":", 1)[1].strip().strip("<>"))
                if verb == b"DATA":
                    self.reply("354 go ahead")
                    while self.rfile.readline() not in (b".\r\n", b""):
                        pass
                    if state.blocking:
                        state.held.extend(recipients)
                        state.release.wait(60)
                        return  # the sender was killed: no 250, the message is not accepted
                    state.accepted.extend(recipients)
                    recipients = []
                    self.reply("250 queued")
                elif verb == b"QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

    return Handler


@pytest.fixture
def smtp_server() -> Iterator[BlockingSmtp]:
    state = BlockingSmtp()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), smtp_handler(state))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.port = server.server_address[1]
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()


@dataclass
class WorkerStack:
    queue: str
    env: dict[str, str]
    log: Path

    def start(self) -> subprocess.Popen[bytes]:
        offset = self.log.stat().st_size if self.log.exists() else 0
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("celery")), "-A", "config.celery_app", "worker",
             "--pool=threads", "--concurrency=3", "-Q", self.queue, "--loglevel=INFO",
             f"--hostname={self.queue}-{offset}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=REPO_ROOT, env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

        def ready() -> bool:
            assert process.poll() is None, self.log.read_text(errors="replace")[-3000:]
            return " ready." in self.log.read_text(errors="replace")[offset:]

        wait_until(ready, timeout=60, what="the worker to be ready")
        return process

    def send(self, task: Any, *args: int) -> None:
        task.apply_async(args=args, queue=self.queue)


@pytest.fixture
def worker_stack(smtp_server: BlockingSmtp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WorkerStack]:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("DATABASE_URL=postgres://... (the worker shares the test database)")
    if not str(settings.CELERY_BROKER_URL).startswith("redis://"):
        missing.append("CELERY_BROKER_URL=redis://... (a real broker)")
    if missing:
        if os.environ.get("CI"):
            pytest.fail("the killed-worker test needs " + " and ".join(missing))
        pytest.skip("needs " + " and ".join(missing))
    assert not celery_app.conf.task_always_eager
    # The on-commit kicks would go to the shared channel queues; this test's workers listen
    # on a queue of their own, and the test queues the tasks there itself.
    for task in tasks.DELIVER_TASKS.values():
        monkeypatch.setattr(task, "delay", lambda message_id: None)
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": str(settings.CELERY_BROKER_URL),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_SKIP_CHECKS": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "OUTBOX_CLAIM_LEASE_SECONDS": str(LEASE_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }
    stack = WorkerStack(queue=f"outbox-faults-{secrets.token_hex(4)}", env=env, log=tmp_path / "worker.log")
    yield stack
    with contextlib.suppress(Exception), celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(stack.queue)  # type: ignore[attr-defined]


@pytest.fixture
def blocking_receiver(receiver: Receiver) -> Iterator[tuple[Receiver, threading.Event]]:
    """The webhook receiver, answering its first delivery only once the test says so."""
    release = threading.Event()
    handle = receiver.handle

    def first_blocks(headers: dict[str, str], body: bytes) -> int:
        first = not receiver.deliveries
        status = handle(headers, body)
        if first:
            release.wait(60)
        return status

    receiver.handle = first_blocks  # type: ignore[method-assign]
    yield receiver, release
    release.set()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_webhook_and_mid_email_delivers_each_once_more_and_logs_every_attempt(
    worker_stack: WorkerStack,
    smtp_server: BlockingSmtp,
    blocking_receiver: tuple[Receiver, threading.Event],
    product: Product,
    manager: User,
    director: User,
) -> None:
    receiver, release_webhook = blocking_receiver
    receiver.secret = "whsec_killed_worker"
    WebhookEndpoint.objects.create(url=receiver.url, secret=receiver.secret, events=["withdrawn"])
    with transaction.atomic():
        event = evaluation_event(product, "withdrawn", day=timezone.localdate(), average="2.4000")
        gate_event_notify(event=event)
    messages = list(OutboxMessage.objects.order_by("channel", "id"))
    assert [m.channel for m in messages] == ["email", "email", "webhook"]

    # 1. A worker takes all three; each blocks inside its send (webhook POST, SMTP DATA).
    first = worker_stack.start()
    try:
        for message in messages:
            worker_stack.send(tasks.outbox_deliver_task_for(message.channel), message.pk)
        wait_until(lambda: len(receiver.deliveries) == 1 and len(smtp_server.held) == 2, timeout=30, what="sends")
        in_flight = DeliveryAttempt.objects.filter(message__in=messages, number=1, finished_at__isnull=True)
        assert in_flight.count() == 3  # logged at the claim, before anything was sent
    finally:
        kill_hard(first)  # 2. SIGKILL, mid-send
    killed_at = time.monotonic()
    smtp_server.blocking = False
    smtp_server.release.set()
    release_webhook.set()

    # 3. A new worker; once the lease has passed, the sweeps (beat's, queued here) send again.
    second = worker_stack.start()
    try:
        time.sleep(max(0.0, LEASE_SECONDS + 0.5 - (time.monotonic() - killed_at)))
        worker_stack.send(tasks.outbox_email_sweep_task)
        worker_stack.send(tasks.outbox_webhook_sweep_task)
        wait_until(
            lambda: OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], status="sent").count() == 3,
            timeout=30,
            what="the three messages to be sent after the lease",
        )
        worker_stack.send(tasks.outbox_email_sweep_task)  # later sweeps find nothing to send again
        worker_stack.send(tasks.outbox_webhook_sweep_task)
        time.sleep(1)
    finally:
        process_stop(second)

    # Each message: the killed attempt (no outcome) and one more that succeeded; no third.
    for message in messages:
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("sent", 2)
        assert attempt_log(message) == [(1, None, False, STOPPED), (2, True, True, "succeeded")]
    # Emails: the killed conversations were never accepted; each address got exactly one.
    assert sorted(smtp_server.held) == sorted([manager.email, director.email])
    assert sorted(smtp_server.accepted) == sorted([manager.email, director.email])
    # The webhook: sent twice (at least once: the first answer never reached the worker),
    # both signed, the same event id, which the receiver processed once.
    assert [d.headers["Reviewgate-Event-Id"] for d in receiver.deliveries] == [str(event.pk)] * 2
    assert all(d.verified for d in receiver.deliveries)
    assert receiver.processed_event_ids == [str(event.pk)]
