"""A database restart in the middle of a delivery (the worker already claimed the message).

Retrying the whole task would find the message claimed and leave it hidden for the whole
lease (10 minutes), and lose what only this worker knows: whether it went out. So the
worker waits the restart out where it stands (core.db_unavailable.until_the_database_answers).
The real restart under load: tests/integration/faults/test_outages_postgres.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.transaction import Atomic

from accounts.models import User
from core import db_unavailable
from gate.notify import gate_event_notify
from notifications import delivery
from notifications.delivery import claim_lease, outbox_deliver, retry_delay
from notifications.models import DeliveryAttempt, OutboxMessage
from products.models import Product

from .factories import NOW, flag

SHUTTING_DOWN = "terminating connection due to administrator command"


@pytest.fixture(autouse=True)
def short_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(db_unavailable, "DATABASE_WAIT_PAUSES", (0.01,) * 9)


def an_email(product: Product) -> OutboxMessage:
    gate_event_notify(event=flag(product), now=NOW)
    return OutboxMessage.objects.filter(channel=OutboxMessage.Channel.EMAIL).order_by("id").first()  # type: ignore[return-value]


def atomic_failing_on(calls: set[int], real: Callable[..., Any]) -> Callable[..., AbstractContextManager[Any]]:
    """transaction.atomic, whose n-th use (1-based) for n in ``calls`` meets a restart."""
    seen = [0]

    def atomic(*args: Any, **kwargs: Any) -> Atomic | AbstractContextManager[Any]:
        seen[0] += 1
        if seen[0] in calls:
            raise OperationalError(SHUTTING_DOWN)
        return real(*args, **kwargs)

    return atomic


@pytest.mark.django_db(transaction=True)
def test_a_restart_while_the_outcome_is_recorded_is_waited_out_and_the_send_recorded_once(
    product: Product, manager: User, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    message = an_email(product)
    # Use 1 is the claim; uses 2 and 3 (recording the outcome) meet the restart.
    monkeypatch.setattr(transaction, "atomic", atomic_failing_on({2, 3}, transaction.atomic))

    assert outbox_deliver(message_id=message.pk, now=NOW) == "sent"

    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == ("sent", 1, NOW)
    attempts = list(DeliveryAttempt.objects.filter(message=message).values_list("number", "succeeded"))
    assert attempts == [(1, True)]
    assert len(mailoutbox) == 1  # sent once, recorded once


@pytest.mark.django_db(transaction=True)
def test_a_restart_while_the_claimed_message_is_loaded_is_waited_out(
    product: Product, manager: User, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    message = an_email(product)
    real_get = delivery.OutboxMessage.objects.select_related
    failures = [OperationalError(SHUTTING_DOWN), OperationalError(SHUTTING_DOWN)]

    def select_related(*fields: str) -> Any:
        if failures:
            raise failures.pop()
        return real_get(*fields)

    monkeypatch.setattr(delivery.OutboxMessage.objects, "select_related", select_related)
    assert outbox_deliver(message_id=message.pk, now=NOW) == "sent"
    assert not failures and len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_restart_while_an_email_is_built_is_a_failed_attempt_retried_after_the_backoff_not_the_lease(
    product: Product, manager: User, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    message = an_email(product)

    def restarting(message: OutboxMessage) -> None:
        raise OperationalError(SHUTTING_DOWN)

    monkeypatch.setattr(delivery, "_send_email", restarting)
    assert outbox_deliver(message_id=message.pk, now=NOW) == "pending"

    message.refresh_from_db()
    assert message.next_attempt_at == NOW + retry_delay(1)  # a minute, not the 10-minute lease
    assert message.last_error == f"database unavailable: {SHUTTING_DOWN}"
    assert not mailoutbox
    monkeypatch.undo()
    assert outbox_deliver(message_id=message.pk, now=NOW + retry_delay(1)) == "sent"
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_database_down_past_half_the_lease_raises_and_the_message_goes_out_after_the_lease(
    product: Product, manager: User, settings: Any, mailoutbox: list[Any]
) -> None:
    message = an_email(product)
    settings.OUTBOX_CLAIM_LEASE_SECONDS = 0.05  # half of it: less than the pauses' 0.09 s
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(transaction, "atomic", atomic_failing_on(set(range(2, 100)), transaction.atomic))
        with pytest.raises(OperationalError):
            outbox_deliver(message_id=message.pk, now=NOW)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)  # hidden until the lease ends
    assert len(mailoutbox) == 1  # it went out; the outcome was never recorded
    # After the lease a sweep sends it again (at least once: what the outbox promises).
    assert outbox_deliver(message_id=message.pk, now=NOW + claim_lease()) == "sent"
    assert len(mailoutbox) == 2


@pytest.mark.django_db(transaction=True)
def test_a_recording_whose_commit_answer_was_lost_is_recognised_as_done(
    product: Product, manager: User, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    # The commit went through but its answer never came back: the next try finds the
    # attempt finished by us, and reports the message sent instead of "after its lease".
    message = an_email(product)
    real_atomic = transaction.atomic
    uses = [0]

    class CommitAnswerLost:
        def __init__(self) -> None:
            self.inner = real_atomic()

        def __enter__(self) -> Any:
            return self.inner.__enter__()

        def __exit__(self, *exc: Any) -> None:
            self.inner.__exit__(*exc)
            if exc == (None, None, None):
                raise OperationalError("server closed the connection unexpectedly")

    def atomic(*args: Any, **kwargs: Any) -> Any:
        uses[0] += 1
        return CommitAnswerLost() if uses[0] == 2 else real_atomic(*args, **kwargs)

    monkeypatch.setattr(transaction, "atomic", atomic)
    assert outbox_deliver(message_id=message.pk, now=NOW) == "sent"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1) and len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_by_the_server_between_send_and_record_is_replaced(
    product: Product, manager: User, monkeypatch: pytest.MonkeyPatch, mailoutbox: list[Any]
) -> None:
    """A real broken connection (PostgreSQL only): the server ends this worker's session
    while the email goes out, as a restart does; the record opens a new one."""
    if connection.vendor != "postgresql":
        pytest.skip("pg_terminate_backend is PostgreSQL's (DATABASE_URL=postgres://...)")
    message = an_email(product)
    send_email = delivery._send_email

    def send_then_lose_the_connection(message: OutboxMessage) -> None:
        send_email(message)
        with connection.cursor() as cursor, contextlib.suppress(DatabaseError):
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    monkeypatch.setattr(delivery, "_send_email", send_then_lose_the_connection)
    assert outbox_deliver(message_id=message.pk, now=NOW) == "sent"
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1) and len(mailoutbox) == 1
