"""Two workers (a kicked task and the sweep, or a redelivered task) never send one
message twice: the claim is a compare-and-swap in the database."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, connections

from accounts.models import User
from gate.notify import gate_event_notify
from notifications.delivery import outbox_deliver, outbox_sweep
from notifications.models import DeliveryAttempt, OutboxMessage
from products.models import Product

from .factories import NOW, flag

WORKERS = 6


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_the_same_messages_send_each_once(product: Product, manager: User, director: User) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs concurrent connections: run with DATABASE_URL=postgres://...")
    gate_event_notify(event=flag(product), now=NOW)
    ids = list(OutboxMessage.objects.values_list("id", flat=True))
    start = threading.Barrier(WORKERS)

    def worker(n: int) -> list[str | None]:
        try:
            start.wait()
            if n % 2:
                return [outbox_deliver(message_id=message_id, now=NOW) for message_id in ids]
            return ["sent"] * outbox_sweep(now=NOW)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(WORKERS) as pool:
        results = [r for rs in pool.map(worker, range(WORKERS)) for r in rs]

    assert results.count("sent") == len(ids) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager.email, director.email])
    assert DeliveryAttempt.objects.count() == 2
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
