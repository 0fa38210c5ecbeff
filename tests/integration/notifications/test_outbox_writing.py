"""gate_event_notify: who is owed what, written with the event or not at all."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import transaction

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from gate.models import GateEvent
from gate.notify import gate_event_notify
from notifications.models import OutboxMessage, WebhookEndpoint
from products.models import Product
from tests.factories import product_create

from .factories import NOW, TODAY, YESTERDAY, evaluation_event, flag, improvement_event, messages_about

pytestmark = pytest.mark.django_db


def endpoint(events: list[str], *, active: bool = True) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url="https://erp.example/hook", secret="whsec_test", events=events, active=active
    )


def test_flagged_event_owes_an_email_to_each_manager_and_director_and_a_webhook_per_subscribed_endpoint(
    product: Product, manager: User, director: User, make_user: Callable[..., User]
) -> None:
    second_director = make_user(QUALITY_DIRECTOR)
    subscribed = endpoint(["flagged", "withdrawn"])
    endpoint(["recovered"])  # not subscribed to flagged
    endpoint(["flagged"], active=False)  # revoked
    event = flag(product)

    gate_event_notify(event=event, now=NOW)

    emails = OutboxMessage.objects.filter(channel="email")
    assert sorted(emails.values_list("recipient_id", flat=True)) == sorted(
        [manager.pk, director.pk, second_director.pk]
    )
    assert {m.dedupe_key for m in emails} == {
        f"email:{event.pk}:{u}" for u in (manager.pk, director.pk, second_director.pk)
    }
    webhooks = OutboxMessage.objects.filter(channel="webhook")
    assert [(m.endpoint_id, m.dedupe_key) for m in webhooks] == [(subscribed.pk, f"webhook:{event.pk}:{subscribed.pk}")]
    assert all(
        m.status == "pending" and m.next_attempt_at == NOW and m.payload["notice_id"] == event.notice.pk for m in emails
    )


def test_people_who_neither_manage_the_product_nor_direct_quality_get_nothing(
    product: Product, make_user: Callable[..., User]
) -> None:
    make_user(SHOPPER)
    other_manager = make_user(PRODUCT_MANAGER)
    product_create(sku="OTHER", name="Other", slug="other", managers=[other_manager])
    no_email = make_user(PRODUCT_MANAGER, email="")
    left = make_user(PRODUCT_MANAGER, is_active=False)
    product.managers.add(no_email, left)

    gate_event_notify(event=flag(product), now=NOW)

    recipients = set(OutboxMessage.objects.values_list("recipient__username", flat=True))
    assert recipients == {u.username for u in User.objects.filter(groups__name__in=["quality_director"])} | {
        u.username for u in product.managers.filter(is_active=True).exclude(email="")
    }
    assert other_manager.username not in recipients and no_email.username not in recipients


def test_outbox_rows_are_written_in_the_event_transaction_and_rolled_back_with_it(product: Product) -> None:
    class EngineCrashed(Exception):
        pass

    with pytest.raises(EngineCrashed), transaction.atomic():
        event = flag(product)
        gate_event_notify(event=event, now=NOW)
        assert messages_about(event).count() == 2  # visible inside the transaction
        raise EngineCrashed

    assert not GateEvent.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_delivery_is_kicked_only_once_the_transaction_commits(
    product: Product, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notifications import tasks

    kicked: list[int] = []
    monkeypatch.setattr(tasks.outbox_email_deliver_task, "delay", kicked.append)
    monkeypatch.setattr(tasks.outbox_webhook_deliver_task, "delay", kicked.append)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        gate_event_notify(event=flag(product), now=NOW)
        assert kicked == []
    assert len(callbacks) == 1
    assert sorted(kicked) == sorted(OutboxMessage.objects.values_list("id", flat=True))


@pytest.mark.parametrize(
    ("days_ago", "notifies"),
    [(0, True), (1, True), (7, True), (8, False), (400, False)],
)
def test_only_events_of_the_last_notify_days_send_anything(product: Product, days_ago: int, notifies: bool) -> None:
    event = flag(product, day=TODAY - timedelta(days=days_ago))
    gate_event_notify(event=event, now=NOW)
    assert OutboxMessage.objects.exists() is notifies


def test_notify_days_comes_from_settings_and_the_day_is_cut_in_the_policy_time_zone(
    product: Product, settings: Any
) -> None:
    settings.GATE_NOTIFY_DAYS = 2
    old = flag(product, day=TODAY - timedelta(days=3))
    gate_event_notify(event=old, now=NOW)
    assert not OutboxMessage.objects.exists()

    # 23:30 UTC on 11 March is already 12 March in Paris: 10 March is then 2 days old.
    event = evaluation_event(product, "recovered", day=TODAY)
    gate_event_notify(event=event, now=datetime(2026, 3, 11, 23, 30, tzinfo=UTC))
    assert messages_about(event).exists()
    settings.GATE_NOTIFY_DAYS = 1
    other = product_create(sku="OTHER", name="Other", slug="other")
    later = evaluation_event(other, "withdrawn", day=TODAY)
    gate_event_notify(event=later, now=datetime(2026, 3, 11, 23, 30, tzinfo=UTC))
    assert not messages_about(later).exists()


def test_notifying_the_same_event_twice_writes_nothing_more(product: Product) -> None:
    endpoint(["flagged"])
    event = flag(product)
    gate_event_notify(event=event, now=NOW)
    first = list(OutboxMessage.objects.order_by("id").values_list("id", "dedupe_key"))
    gate_event_notify(event=event, now=NOW + timedelta(hours=1))
    assert list(OutboxMessage.objects.order_by("id").values_list("id", "dedupe_key")) == first
    assert len(first) == 3


def test_every_event_kind_notifies_and_subscribed_endpoints_get_their_kinds(product: Product, manager: User) -> None:
    hook = endpoint(["flagged", "recovered", "withdrawn", "improved", "reinstated"])
    only_withdrawn = endpoint(["withdrawn"])
    events = [
        flag(product, day=TODAY - timedelta(days=5)),
        evaluation_event(product, "recovered", day=TODAY - timedelta(days=4)),
        evaluation_event(product, "withdrawn", day=TODAY - timedelta(days=3), average="2.5000"),
        improvement_event(product, "reinstated", day=TODAY - timedelta(days=2), by=manager),
        improvement_event(product, "improved", day=TODAY - timedelta(days=1), by=manager),
    ]
    for event in events:
        gate_event_notify(event=event, now=NOW)
    assert list(OutboxMessage.objects.filter(endpoint=hook).order_by("id").values_list("kind", flat=True)) == [
        "flagged",
        "recovered",
        "withdrawn",
        "reinstated",
        "improved",
    ]
    assert list(OutboxMessage.objects.filter(endpoint=only_withdrawn).values_list("kind", flat=True)) == ["withdrawn"]
    assert OutboxMessage.objects.filter(recipient=manager).count() == 5


def test_webhook_body_carries_the_spec_event_and_the_withdrawal_date(product: Product) -> None:
    hook = endpoint(["flagged"])
    event = flag(product)
    gate_event_notify(event=event, now=NOW)
    body = OutboxMessage.objects.get(endpoint=hook).payload
    assert body["id"] == str(event.pk)
    assert body["type"] == "flagged"
    assert body["event"] == {
        "day": YESTERDAY.isoformat(),
        "product_id": product.sku,
        "event": "flagged",
        "average": 2.6129,
        "count": 31,
    }
    assert body["withdrawal_date"] == (YESTERDAY + timedelta(days=30)).isoformat()
    assert body["notice_url"] == f"https://shop.example/desk/notices/{event.notice.pk}/"


def test_an_assignee_outside_the_usual_recipients_is_told_too(product: Product, make_user: Callable[..., User]) -> None:
    assignee = make_user(PRODUCT_MANAGER)
    event = flag(product, day=TODAY - timedelta(days=2))
    event.notice.assigned_to = assignee
    event.notice.save()
    withdrawn = evaluation_event(product, "withdrawn", day=YESTERDAY)
    gate_event_notify(event=withdrawn, now=NOW)
    assert messages_about(withdrawn).filter(recipient=assignee).exists()


def test_a_day_of_many_events_reads_the_quality_directors_and_endpoints_once(
    manager: User, director: User, settings: Any
) -> None:
    # The engine's day: three products below, evaluated together; each event still owes
    # its emails and webhook, but the audience shared by all is read once.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gate.services import gate_evaluate_day
    from reviews.models import Review, ReviewSource, ReviewStatus

    settings.GATE_MIN_REVIEWS = 2
    subscribed = endpoint(["flagged"])
    products = []
    for n in range(3):
        item = product_create(sku=f"DAY-{n}", name=f"Day {n}", slug=f"day-{n}", managers=[manager])
        products.append(item)
        moment = NOW - timedelta(days=1)
        Review.objects.bulk_create(
            Review(
                product=item,
                author_name="Tester",
                rating=1,
                status=ReviewStatus.PUBLISHED,
                source=ReviewSource.IMPORT,
                created_at=moment,
                published_at=moment,
            )
            for _ in range(2)
        )

    with CaptureQueriesContext(connection) as queries:
        gate_evaluate_day(day=YESTERDAY, now=NOW)

    events = GateEvent.objects.filter(kind="flagged")
    assert events.count() == 3
    for event in events:
        recipients = messages_about(event).filter(channel="email").values_list("recipient_id", flat=True)
        assert sorted(recipients) == sorted([manager.pk, director.pk])
        assert messages_about(event).filter(channel="webhook", endpoint=subscribed).count() == 1
    endpoint_reads = [q for q in queries.captured_queries if 'FROM "notifications_webhookendpoint"' in q["sql"]]
    director_reads = [q for q in queries.captured_queries if "manage_all_products" in q["sql"]]
    assert (len(endpoint_reads), len(director_reads)) == (1, 1)
