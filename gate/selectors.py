"""Reads of the gate: events in the spec's order, notices, and a product's windowed average.

Nothing here writes. Events come out through gate.policy's one serialiser (``GateEvent``
of the policy module, ``to_json``), so ``gate_events`` and ``gate_backtest`` print the same
bytes for the same history.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.roles import user_is_quality_director
from gate.models import GateEvent, Improvement, WithdrawalNotice
from gate.policy import EventKind, GatePolicy, average_of
from gate.policy import GateEvent as SpecEvent
from products.access import products_managed_by
from products.models import Product
from reviews.models import Review

# Events are read this many rows at a time; a day's events are sorted in memory.
_EXPORT_CHUNK = 5000


def gate_event_list(
    *, product: Product | None = None, since: date | None = None, kinds: list[str] | None = None
) -> QuerySet[GateEvent]:
    """Stored events, newest day first (pages and the API). The spec's order is
    :func:`gate_events_in_spec_order`."""
    events = GateEvent.objects.select_related("product", "improvement")
    if product is not None:
        events = events.filter(product=product)
    if since is not None:
        events = events.filter(day__gte=since)
    if kinds:
        events = events.filter(kind__in=kinds)
    return events.order_by("-day", "-id")


def gate_event_as_spec(day: date, sku: str, kind: str, average: Decimal | None, count: int) -> SpecEvent:
    """A stored event as the policy module's event, whose ``to_json`` is the spec's line."""
    return SpecEvent(day, sku, EventKind(kind), None if average is None else Decimal(average), count)


def gate_events_in_spec_order(*, since: date | None = None) -> Iterator[SpecEvent]:
    """Every stored event (from ``since``, inclusive) in the spec's order.

    Day, then product id compared as a Python string (the database's collation may sort
    SKUs differently), then ``id``: within a product and day the engine writes the
    improvements before the evaluation, and improvements in ``logged_at`` order. Streams
    one day at a time, so memory grows with the busiest day, not with the history.
    """
    rows = GateEvent.objects.order_by("day", "id").values_list("day", "product__sku", "id", "kind", "average", "count")
    if since is not None:
        rows = rows.filter(day__gte=since)
    current: date | None = None
    batch: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=_EXPORT_CHUNK):
        if row[0] != current:
            yield from _day_sorted(batch)
            batch = []
            current = row[0]
        batch.append(row)
    yield from _day_sorted(batch)


def _day_sorted(batch: list[tuple[Any, ...]]) -> Iterator[SpecEvent]:
    batch.sort(key=lambda row: (row[1], row[2]))
    for day, sku, _id, kind, average, count in batch:
        yield gate_event_as_spec(day, sku, kind, average, count)


def withdrawal_notice_list(
    *, user: User | AnonymousUser | None = None, states: list[str] | None = None, product: Product | None = None
) -> QuerySet[WithdrawalNotice]:
    """Notices, soonest deadline first; with ``user``, only those of products they may manage
    (products.access: every product for a quality director, their own for a product
    manager, none otherwise)."""
    notices = WithdrawalNotice.objects.select_related("product", "flag_event", "resolved_by", "assigned_to")
    if user is not None and not user_is_quality_director(user):
        # A quality director's products are all of them: no filter, no subquery.
        notices = notices.filter(product__in=products_managed_by(user))
    if states:
        notices = notices.filter(state__in=states)
    if product is not None:
        notices = notices.filter(product=product)
    return notices.order_by("deadline", "id")


@dataclass(frozen=True)
class AveragePoint:
    """The gate's view of a product at the end of one day: the counted reviews."""

    day: date
    revision: int
    count: int
    total: int

    @property
    def average(self) -> Decimal | None:
        return average_of(count=self.count, total=self.total)


def product_average_series(*, product: Product, first: date, last: date, policy: GatePolicy) -> list[AveragePoint]:
    """The windowed average the gate saw on each day ``first .. last`` (for a chart).

    Each day counts the published reviews of the revision in force at the end of that day
    (the latest improvement logged on or before it) whose day is in the window, exactly as
    the engine counts them. One query for the product's reviews; figures built in memory
    (a product has thousands of reviews at most). Days before ``first`` in the window are
    read too, so the first point is right.
    """
    if last < first:
        return []
    window_start = policy.window_start(first)
    reviews = Review.objects.counted().filter(product=product).filter(
        published_at__lt=policy.start_of_day(last + timedelta(days=1))
    )
    if window_start is not None:
        reviews = reviews.filter(published_at__gte=policy.start_of_day(window_start))
    per_day: dict[int, dict[date, list[int]]] = {}
    for revision, published_at, rating in reviews.order_by().values_list("revision", "published_at", "rating"):
        if published_at is None:  # a published review always has one (a DB constraint)
            continue
        figures = per_day.setdefault(revision, {}).setdefault(policy.day_of(published_at), [0, 0])
        figures[0] += 1
        figures[1] += rating
    # Per revision: its review days in order and running totals, so a window is two bisects.
    running: dict[int, tuple[list[date], list[int], list[int]]] = {}
    for revision, days in per_day.items():
        ordered = sorted(days)
        counts, totals = [0], [0]
        for review_day in ordered:
            counts.append(counts[-1] + days[review_day][0])
            totals.append(totals[-1] + days[review_day][1])
        running[revision] = (ordered, counts, totals)
    revision_days = list(
        Improvement.objects.filter(product=product, day__lte=last).order_by("revision").values_list("day", "revision")
    )
    points: list[AveragePoint] = []
    day = first
    while day <= last:
        revision = 0
        for improved_on, number in revision_days:
            if improved_on <= day:
                revision = number
        count = total = 0
        if revision in running:
            ordered, counts, totals = running[revision]
            start = policy.window_start(day)
            low = 0 if start is None else bisect.bisect_left(ordered, start)
            high = bisect.bisect_right(ordered, day)
            count, total = counts[high] - counts[low], totals[high] - totals[low]
        points.append(AveragePoint(day, revision, count, total))
        day += timedelta(days=1)
    return points
