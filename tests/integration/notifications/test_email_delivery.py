"""outbox_deliver for emails: once, in the recipient's language, retried with backoff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER
from gate.notify import gate_event_notify
from notifications import delivery
from notifications.delivery import (
    MAX_ATTEMPTS,
    claim_lease,
    outbox_deliver,
    outbox_pending_due,
    outbox_sweep,
    retry_delay,
)
from notifications.models import DeliveryAttempt, OutboxMessage
from notifications.tasks import outbox_email_sweep_task
from products.models import Product

from .factories import NOW, TODAY, YESTERDAY, evaluation_event, flag, improvement_event

pytestmark = pytest.mark.django_db


class FlakySMTP(LocmemBackend):
    """Fails the first `failures` sends, like an SMTP server that is down for a while."""

    failures = 0

    def send_messages(self, messages: Any) -> int:
        if FlakySMTP.failures > 0:
            FlakySMTP.failures -= 1
            raise ConnectionRefusedError("smtp.example:25 refused the connection")
        return super().send_messages(messages)


def email_to(user: User) -> mail.EmailMessage:
    [message] = [m for m in mail.outbox if m.to == [user.email]]
    return message


def test_flag_email_reaches_managers_and_directors_each_in_their_language(
    product: Product, manager: User, director: User
) -> None:
    event = flag(product)  # yesterday, 9 March; withdrawal on 8 April
    gate_event_notify(event=event, now=NOW)

    assert outbox_sweep(now=NOW) == 2

    link = f"https://shop.example/desk/notices/{event.notice.pk}/"
    french, english = email_to(manager), email_to(director)
    assert french.extra_headers["Content-Language"] == "fr"
    assert english.extra_headers["Content-Language"] == "en"
    # Dates and numbers are localised with the recipient's language active.
    assert "8 avril 2026" in french.subject and "8 avril 2026" in french.body
    # The average by the page's rule (core.gate_figures), not its 4 decimals.
    assert " 2,6 " in french.body and "31" in french.body and "2,6129" not in french.body
    assert "April 8, 2026" in english.subject and "April 8, 2026" in english.body
    assert " 2.6 " in english.body and "2.6129" not in english.body
    assert "threshold: 3.0" in english.body
    for message in (french, english):
        assert link in message.body
        assert product.sku in message.subject
        # Plain text: the product's name is not HTML-escaped.
        assert product.name in str(message.subject) and "&amp;" not in str(message.body)
        assert "\n" not in message.subject
    assert "Bonjour Camille," in french.body and "Hello Dana," in english.body


def test_the_language_is_the_recipients_at_delivery_time(product: Product, manager: User) -> None:
    gate_event_notify(event=flag(product), now=NOW)
    User.objects.filter(pk=manager.pk).update(language="en")
    outbox_sweep(now=NOW)
    assert email_to(manager).extra_headers["Content-Language"] == "en"
    assert "April 8, 2026" in email_to(manager).body


@pytest.mark.parametrize(
    ("kind", "subject_words", "body_words"),
    [
        ("withdrawn", "has been withdrawn from sale", "was withdrawn from sale on March 9, 2026"),
        ("recovered", "is back above the quality threshold", "no longer below the quality threshold on March 9, 2026"),
        ("improved", "Improvement logged for", "We changed the sole."),
        ("reinstated", "is back on sale after an improvement", "It is back on sale"),
    ],
)
def test_each_event_kind_has_its_own_email(
    product: Product, director: User, manager: User, kind: str, subject_words: str, body_words: str
) -> None:
    flag(product, day=TODAY - timedelta(days=5))
    if kind in ("improved", "reinstated"):
        event = improvement_event(product, kind, day=YESTERDAY, by=manager)
    else:
        event = evaluation_event(product, kind, day=YESTERDAY)
    gate_event_notify(event=event, now=NOW)
    outbox_sweep(now=NOW)
    message = email_to(director)
    assert subject_words in message.subject
    assert body_words in message.body
    assert f"/desk/notices/{event.product.withdrawal_notices.get().pk}/" in message.body


def test_delivering_a_message_twice_sends_it_once(product: Product, manager: User) -> None:
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.get(recipient=manager)

    assert outbox_deliver(message_id=message.pk, now=NOW) == "sent"
    assert outbox_deliver(message_id=message.pk, now=NOW) is None
    assert outbox_deliver(message_id=message.pk, now=NOW + timedelta(days=1)) is None
    assert outbox_email_sweep_task() == 1  # the director's message only

    assert len([m for m in mail.outbox if m.to == [manager.email]]) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.sent_at) == ("sent", 1, NOW)
    assert DeliveryAttempt.objects.filter(message=message).count() == 1


def test_a_second_worker_cannot_send_a_message_another_is_sending(
    product: Product, manager: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.get(recipient=manager)
    send = delivery._send_email
    rival_results: list[str | None] = []

    def slow_send(m: OutboxMessage) -> None:
        # While the first worker is sending, a second one (a duplicate task, the sweep) tries.
        rival_results.append(outbox_deliver(message_id=m.pk, now=NOW))
        rival_results.append(outbox_deliver(message_id=m.pk, now=NOW + claim_lease() - timedelta(seconds=1)))
        send(m)

    monkeypatch.setattr(delivery, "_send_email", slow_send)
    assert outbox_deliver(message_id=message.pk, now=NOW) == "sent"
    assert rival_results == [None, None]
    assert len(mail.outbox) == 1


def test_a_worker_that_died_mid_send_is_replaced_after_the_lease(product: Product, manager: User) -> None:
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.get(recipient=manager)
    # The claim as a worker makes it, and then the worker is killed before sending.
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=1, next_attempt_at=NOW + claim_lease())

    assert message.pk not in outbox_pending_due(NOW + claim_lease() - timedelta(seconds=1))
    assert outbox_deliver(message_id=message.pk, now=NOW + claim_lease()) == "sent"
    assert DeliveryAttempt.objects.get(message=message).number == 2


def test_a_failed_send_is_retried_with_exponential_backoff_and_every_attempt_is_logged(
    product: Product, manager: User, settings: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    FlakySMTP.failures = 3
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.get(recipient=manager)

    clock = NOW
    waits = []
    for _ in range(3):
        assert outbox_deliver(message_id=message.pk, now=clock) == "pending"
        message.refresh_from_db()
        waits.append(message.next_attempt_at - clock)
        # Not due a second before the backoff ends: nothing happens.
        assert outbox_deliver(message_id=message.pk, now=message.next_attempt_at - timedelta(seconds=1)) is None
        clock = message.next_attempt_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert "ConnectionRefusedError" in message.last_error

    assert outbox_deliver(message_id=message.pk, now=clock) == "sent"
    attempts = list(DeliveryAttempt.objects.filter(message=message).values_list("number", "succeeded", "attempted_at"))
    assert attempts == [
        (1, False, NOW),
        (2, False, NOW + timedelta(minutes=1)),
        (3, False, NOW + timedelta(minutes=3)),
        (4, True, NOW + timedelta(minutes=7)),
    ]
    assert len([m for m in mail.outbox if m.to == [manager.email]]) == 1


def test_backoff_is_capped_and_a_message_gives_up_after_the_last_attempt(
    product: Product, manager: User, settings: Any
) -> None:
    assert retry_delay(1) == timedelta(minutes=1)
    assert retry_delay(30) == timedelta(hours=1)
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    FlakySMTP.failures = 100
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.get(recipient=manager)
    clock = NOW
    for _ in range(MAX_ATTEMPTS):
        outbox_deliver(message_id=message.pk, now=clock)
        message.refresh_from_db()
        clock = message.next_attempt_at
    assert message.status == "failed"
    assert message.attempts == MAX_ATTEMPTS
    assert outbox_deliver(message_id=message.pk, now=clock + timedelta(days=1)) is None
    assert DeliveryAttempt.objects.filter(message=message).count() == MAX_ATTEMPTS
    FlakySMTP.failures = 0


def test_a_recipient_who_left_is_given_up_at_once(product: Product, make_user: Callable[..., User]) -> None:
    leaving = make_user(PRODUCT_MANAGER)
    product.managers.add(leaving)
    gate_event_notify(event=flag(product), now=NOW)
    User.objects.filter(pk=leaving.pk).update(is_active=False)
    message = OutboxMessage.objects.get(recipient=leaving)
    assert outbox_deliver(message_id=message.pk, now=NOW) == "failed"
    assert "no active account" in OutboxMessage.objects.get(pk=message.pk).last_error


def test_kicked_tasks_deliver_on_commit_when_run_eagerly(
    product: Product, manager: User, celery_eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        gate_event_notify(event=flag(product))  # now: the real clock; 9 March 2026 is old news
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = evaluation_event(product, "recovered", day=timezone.localdate())
        gate_event_notify(event=event)
    directors = User.objects.filter(groups__name="quality_director").values_list("email", flat=True)
    assert {m.to[0] for m in mail.outbox} == {manager.email, *directors}
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_an_improvement_of_a_product_with_no_live_notice_links_no_old_notice(
    product: Product, director: User, manager: User
) -> None:
    old = flag(product, day=TODAY - timedelta(days=60)).notice
    evaluation_event(product, "recovered", day=TODAY - timedelta(days=50))
    type(old).objects.filter(pk=old.pk).update(state="recovered")
    event = improvement_event(product, "improved", day=YESTERDAY, by=manager)

    gate_event_notify(event=event, now=NOW)
    outbox_sweep(now=NOW)

    message = email_to(director)
    assert "Improvement logged for" in message.subject
    assert "/desk/notices/" not in message.body
    assert OutboxMessage.objects.get(recipient=director).payload["notice_id"] is None


def test_a_reinstatement_links_the_notice_the_improvement_resolved(
    product: Product, director: User, manager: User
) -> None:
    notice = flag(product, day=TODAY - timedelta(days=40)).notice
    evaluation_event(product, "withdrawn", day=TODAY - timedelta(days=10))
    event = improvement_event(product, "reinstated", day=YESTERDAY, by=manager)
    type(notice).objects.filter(pk=notice.pk).update(state="resolved", resolved_by=event.improvement)

    gate_event_notify(event=event, now=NOW)
    outbox_sweep(now=NOW)

    assert f"/desk/notices/{notice.pk}/" in email_to(director).body


def test_a_sweep_stops_at_its_batch_or_time_budget_and_the_next_one_continues(
    product: Product, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate_event_notify(event=flag(product), now=NOW)
    assert outbox_sweep(now=NOW, limit=1) == 1
    monkeypatch.setattr(delivery, "SWEEP_SECONDS", -1.0)
    assert outbox_sweep(now=NOW) == 0
    monkeypatch.setattr(delivery, "SWEEP_SECONDS", 50.0)
    assert outbox_sweep(now=NOW) == 1
    assert len(mail.outbox) == 2
