"""The desk's key figures computed the straightforward way, one fact per review: the
algorithm desk.kpis used before the database summed the reviews (kept here, unchanged
in what it computes, as the reference the aggregated figures are compared with).

``reference_rows`` returns desk.kpis.KpiRow objects whose ``reply_middle`` holds every
reply time of the group, not just the middle ones, so their properties (average, CSAT,
median reply time...) are the figures as the per-review code gave them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from statistics import median
from typing import Any

from desk.kpis import REPLY_TARGET_HOURS, TOTAL_KEY, EventFact, KpiRow


@dataclass(frozen=True)
class ReviewFact:
    product_id: int
    day: date  # publication day, in the policy's time zone
    rating: int
    verified: bool
    published_at: datetime
    first_reply_at: datetime | None = None


def _hours(start: datetime, end: datetime) -> Decimal:
    return Decimal((end - start).total_seconds()) / Decimal(3600)


def _days_to_improvement(events: Sequence[EventFact], first: date, last: date) -> dict[int, list[tuple[date, int]]]:
    latest_withdrawal: dict[int, date] = {}
    found: dict[int, list[tuple[date, int]]] = {}
    for event in sorted(events, key=lambda e: (e.day, e.product_id, e.kind != "withdrawn")):
        if event.kind == "withdrawn":
            latest_withdrawal[event.product_id] = event.day
        elif event.kind == "reinstated" and first <= event.day <= last:
            withdrawn = latest_withdrawal.pop(event.product_id, None)
            if withdrawn is not None:
                found.setdefault(event.product_id, []).append((event.day, (event.day - withdrawn).days))
    return found


def reference_rows(
    *,
    first: date,
    last: date,
    reviews: Iterable[ReviewFact],
    events: Iterable[EventFact],
    groups_of: Callable[[int, date], Iterable[tuple[str, str]]],
    total_label: str = "All",
) -> list[KpiRow]:
    rows: dict[str, KpiRow] = {}
    total = KpiRow(key=TOTAL_KEY, label=total_label)

    def targets(product_id: int, day: date) -> list[KpiRow]:
        found = [total]
        for key, label in groups_of(product_id, day):
            if key not in rows:
                rows[key] = KpiRow(key=key, label=label)
            found.append(rows[key])
        return found

    target = Decimal(REPLY_TARGET_HOURS)
    for review in reviews:
        if not first <= review.day <= last:
            continue
        hours = None
        if review.first_reply_at is not None:
            hours = max(_hours(review.published_at, review.first_reply_at), Decimal(0))
        for row in targets(review.product_id, review.day):
            row.reviews += 1
            row.rating_sum += review.rating
            row.high += review.rating >= 4
            row.verified += review.verified
            if hours is not None:
                row.replies += 1
                row.reply_middle.append(hours)
                row.replies_within_target += hours <= target
    event_list = list(events)
    for event in event_list:
        if not first <= event.day <= last or event.kind not in ("flagged", "recovered", "withdrawn", "reinstated"):
            continue
        for row in targets(event.product_id, event.day):
            setattr(row, event.kind, getattr(row, event.kind) + 1)
    for product_id, spans in _days_to_improvement(event_list, first, last).items():
        for day, days in spans:
            for row in targets(product_id, day):
                row.days_to_improvement.append(days)
    ordered = sorted(rows.values(), key=lambda row: (row.label.casefold(), row.key))
    return [*ordered, total]


def per_review_facts(*, scope: Any, first: date, last: date, policy: Any) -> tuple[list[ReviewFact], list[EventFact]]:
    """What the per-review code loaded for ``scope`` (a Product queryset): one fact per
    review published in ``first .. last`` (days in the policy's zone), every event up to
    ``last``. Needs the database (the rest of this module does not)."""
    from datetime import timedelta

    from gate.models import GateEvent
    from gate.policy import EventKind
    from reviews.models import Review, ReviewStatus

    rows = (
        Review.objects.filter(
            product__in=scope,
            status=ReviewStatus.PUBLISHED,
            published_at__gte=policy.start_of_day(first),
            published_at__lt=policy.start_of_day(last + timedelta(days=1)),
        )
        .order_by()
        .values_list("product_id", "rating", "verified_purchase", "published_at", "brand_reply__created_at")
    )
    reviews = [
        ReviewFact(product_id, policy.day_of(published_at), rating, verified, published_at, replied_at)
        for product_id, rating, verified, published_at, replied_at in rows
        if published_at is not None
    ]
    events = [
        EventFact(product_id, day, kind)
        for product_id, day, kind in GateEvent.objects.filter(
            product__in=scope,
            day__lte=last,
            kind__in=[EventKind.FLAGGED, EventKind.RECOVERED, EventKind.WITHDRAWN, EventKind.REINSTATED],
        )
        .order_by()
        .values_list("product_id", "day", "kind")
    ]
    return reviews, events


def exact_median(row: KpiRow) -> Decimal | None:
    """The median reply time before rounding (a stricter comparison than the page's 0.1 h)."""
    return Decimal(median(row.reply_middle)) if row.reply_middle else None


def figures(row: KpiRow) -> tuple[object, ...]:
    """Everything a row shows or exports, and the sums behind it."""
    return (
        row.key,
        row.label,
        row.reviews,
        row.rating_sum,
        row.high,
        row.verified,
        row.average,
        row.csat,
        row.verified_share,
        row.replies,
        row.replies_within_target,
        exact_median(row),
        row.median_reply_hours,
        row.reply_target_met,
        row.within_target_share,
        row.flagged,
        row.recovered,
        row.withdrawn,
        row.reinstated,
        sorted(row.days_to_improvement),
        row.median_days_to_improvement,
    )
