"""Gate events and notices written directly through the ORM, as the gate engine writes
them, so these tests do not depend on the engine."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from accounts.models import User
from gate.models import GateEvent, Improvement, WithdrawalNotice
from notifications.models import OutboxMessage
from products.models import Product

PARIS = ZoneInfo("Europe/Paris")
# The clock of these tests: noon in Paris on 10 March 2026.
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=PARIS)
TODAY = date(2026, 3, 10)
YESTERDAY = TODAY - timedelta(days=1)
POLICY = {"threshold": "3", "grace_days": 30, "min_reviews": 25, "window_days": 365, "timezone": "Europe/Paris"}


def messages_about(event: GateEvent) -> QuerySet[OutboxMessage]:
    """The outbox rows the gate wrote about ``event`` (its emails, reminders of the notice
    it opened, webhook deliveries): the outbox keeps no link to the gate, the payloads name it."""
    return OutboxMessage.objects.filter(
        Q(channel="email", payload__event_id=event.pk) | Q(channel="webhook", payload__id=str(event.pk))
    )


def flag(
    product: Product, *, day: date = YESTERDAY, average: str = "2.6129", count: int = 31, grace: int = 30
) -> GateEvent:
    """A flagged event and the notice the engine opens with it."""
    event = GateEvent.objects.create(
        product=product, day=day, kind="flagged", average=Decimal(average), count=count, policy=POLICY
    )
    WithdrawalNotice.objects.create(
        product=product, flag_event=event, opened_on=day, deadline=day + timedelta(days=grace)
    )
    return event


def evaluation_event(
    product: Product, kind: str, *, day: date, average: str | None = "3.1000", count: int = 30
) -> GateEvent:
    return GateEvent.objects.create(
        product=product,
        day=day,
        kind=kind,
        average=None if average is None else Decimal(average),
        count=count,
        policy=POLICY,
    )


def improvement_event(product: Product, kind: str, *, day: date, by: User | None = None) -> GateEvent:
    revision = product.revision + 1
    improvement = Improvement.objects.create(
        product=product,
        logged_by=by,
        logged_at=datetime.combine(day, datetime.min.time(), tzinfo=PARIS) + timedelta(hours=9),
        day=day,
        revision=revision,
        description="New sole supplier.",
        public_note="We changed the sole.",
    )
    Product.objects.filter(pk=product.pk).update(revision=revision)
    product.refresh_from_db()
    return GateEvent.objects.create(
        product=product, day=day, kind=kind, average=None, count=0, improvement=improvement, policy=POLICY
    )
