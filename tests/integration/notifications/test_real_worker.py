"""The whole path with a real broker and worker: event → outbox row → kick on commit →
Redis → worker → email. Not eager mode: the task crosses the broker."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone

from accounts.models import User
from config.celery_app import app as celery_app
from gate.notify import gate_event_notify
from notifications.models import DeliveryAttempt, OutboxMessage
from products.models import Product

from .factories import evaluation_event


@pytest.fixture
def real_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    if not str(settings.CELERY_BROKER_URL).startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://... (a real broker) to start a real worker")
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://... : the worker thread shares the test database")
    # The worker runs Django's system checks on start-up; they are not what this test is about.
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")
    # The worker thread's connection closes after each task, so the test database can be
    # flushed and dropped afterwards.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    assert not celery_app.conf.task_always_eager


@pytest.mark.django_db(transaction=True)
def test_an_outbox_email_is_delivered_by_a_real_worker_through_the_broker(
    real_stack: None, product: Product, manager: User, director: User
) -> None:
    from celery.contrib.testing.worker import start_worker

    with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            event = evaluation_event(product, "withdrawn", day=timezone.localdate(), average="2.4000")
            gate_event_notify(event=event)
            ids = list(OutboxMessage.objects.values_list("id", flat=True))
        assert len(ids) == 2
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if OutboxMessage.objects.filter(pk__in=ids, status="sent").count() == 2:
                break
            time.sleep(0.1)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, director.email])
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert DeliveryAttempt.objects.filter(succeeded=True).count() == 2
