"""What the gate tells shoppers: a product's public gate status and the gate's year in figures.

Read by the shopper's pages (the product page, the transparency page) and nothing writes here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.utils import timezone

from gate.configured import gate_policy_from_settings, threshold_decimal
from gate.models import GateEvent, Improvement
from gate.policy import EventKind, GateState
from products.models import Product


@dataclass(frozen=True)
class PublicGateStatus:
    """What a shopper is told about the quality gate on a product page."""

    withdrawn: bool
    withdrawn_on: date | None
    threshold: Decimal
    min_reviews: int
    window_days: int
    grace_days: int
    improved_since: datetime | None  # the current revision's start, when it follows an improvement
    reinstated: bool  # the latest improvement put a withdrawn product back on sale
    improvement_note: str  # the manager's public note about the improvement
    # The counted figures that withdrew it (its withdrawal event), shown beside the notice.
    withdrawal_average: Decimal | None = None
    withdrawal_count: int = 0


def gate_policy_public() -> dict[str, Any]:
    """The gate policy in force (``gate.configured``), as the shopper's pages show it: the
    threshold as a ``Decimal`` the templates format (``3.0``, ``3.5``)."""
    policy = gate_policy_from_settings()
    return {
        "threshold": threshold_decimal(policy),
        "grace_days": policy.grace_days,
        "min_reviews": policy.min_reviews,
        "window_days": policy.window_days,
        "timezone": policy.timezone,
    }


def product_public_gate_status(product: Product) -> PublicGateStatus:
    """Two queries at most: the improvement that started the current revision, if any, and
    a withdrawn product's withdrawal event (its counted figures)."""
    policy = gate_policy_public()
    improvement = None
    if product.revision > 0:
        improvement = (
            Improvement.objects.filter(product=product, revision=product.revision).select_related("event").first()
        )
    reinstated = False
    if improvement is not None:
        event = getattr(improvement, "event", None)
        reinstated = event is not None and event.kind == EventKind.REINSTATED
    withdrawal = None
    if product.gate_state == GateState.WITHDRAWN:
        withdrawal = GateEvent.objects.filter(product=product, kind=EventKind.WITHDRAWN).order_by("-day", "-id").first()
    return PublicGateStatus(
        withdrawal_average=withdrawal.average if withdrawal is not None else None,
        withdrawal_count=withdrawal.count if withdrawal is not None else 0,
        withdrawn=product.gate_state == GateState.WITHDRAWN,
        withdrawn_on=product.withdrawn_on,
        threshold=policy["threshold"],
        min_reviews=policy["min_reviews"],
        window_days=policy["window_days"],
        grace_days=policy["grace_days"],
        improved_since=product.revision_started_at if product.revision > 0 else None,
        reinstated=reinstated,
        improvement_note=improvement.public_note if improvement is not None else "",
    )


@dataclass(frozen=True)
class GateFigures:
    """The gate at work, for the transparency page."""

    first_day: date  # figures count events with first_day <= day <= today
    today: date
    flagged: int  # distinct products flagged at least once in the period
    withdrawn: int
    reinstated: int
    recovered: int
    improved: int
    currently_flagged: int
    currently_withdrawn: int


def one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def product_gate_figures(*, today: date | None = None) -> GateFigures:
    """Products flagged, withdrawn, reinstated... in the last 12 months (two queries)."""
    today = today or timezone.localdate()
    since = one_year_before(today)
    per_kind = dict(
        GateEvent.objects.filter(day__gt=since, day__lte=today)
        .values_list("kind")
        .annotate(products=Count("product", distinct=True))
        .order_by()
    )
    now = dict(Product.objects.values_list("gate_state").annotate(n=Count("id")).order_by())
    return GateFigures(
        first_day=since + timedelta(days=1),
        today=today,
        flagged=per_kind.get(EventKind.FLAGGED, 0),
        withdrawn=per_kind.get(EventKind.WITHDRAWN, 0),
        reinstated=per_kind.get(EventKind.REINSTATED, 0),
        recovered=per_kind.get(EventKind.RECOVERED, 0),
        improved=per_kind.get(EventKind.IMPROVED, 0),
        currently_flagged=now.get(GateState.FLAGGED, 0),
        currently_withdrawn=now.get(GateState.WITHDRAWN, 0),
    )
