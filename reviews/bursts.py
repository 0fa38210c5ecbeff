"""Bursts of reviews are held for a moderator, whatever their stars.

:func:`burst_reviews_to_hold` is asked by ``reviews.services`` at the moment a new review
would be published (never for an import: history is not live traffic, and a moderator's
release never asks again). It reads the product's figures and lets the pure rule of
:mod:`reviews.burst_rule` decide. In a burst, the caller keeps the new review pending
with the reason ``burst`` and moves the listed reviews (the window's published reviews of
days the gate has not yet evaluated) back to pending with the same reason, so the first
reviews of a burst, published before it was one, do not slip through. Held reviews count
nowhere until a moderator releases them (desk: the moderation queue).

Cost: one aggregate over the product's reviews of the window (an index range on the
product); only when the window holds enough reviews to matter, a second one for the daily
counts of the 90 days before (at most 90 rows) and, in a burst, the ids to pull back.
The product page never runs any of it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from reviews.burst_rule import (
    BASELINE_DAYS,
    BURST_SETTINGS,
    BurstRule,
    BurstTrigger,
    BurstVerdict,
    burst_decision,
    burst_rule_checked,
    daily_median,
)
from reviews.history_import import history_keeper
from reviews.models import ReasonCode, Review, ReviewSource, ReviewStatus, ReviewStatusChange, counted_q

__all__ = [
    "BASELINE_DAYS",
    "BurstRule",
    "BurstTrigger",
    "BurstVerdict",
    "burst_decision",
    "burst_reviews_to_hold",
    "burst_rule_from_settings",
    "burst_verdict_for",
    "daily_median",
    "held_as_burst",
]


def burst_rule_from_settings() -> BurstRule:
    """The rule in force: the REVIEW_BURST_* settings (checked at start-up too)."""
    return burst_rule_checked({name: getattr(settings, name) for name in BURST_SETTINGS.values()})


def held_as_burst() -> Q:
    """Reviews waiting because of a burst (pending, reason ``burst``)."""
    return Q(status=ReviewStatus.PENDING, status_reason=ReasonCode.BURST)


def _in_window(*, start: datetime, end: datetime) -> Q:
    # Employee reviews count nowhere (docs/gate.md), so not here either.
    # A published review entered the window when it was published; a held one when it was
    # written or held (updated_at: a review that waited for its author's email, written
    # days ago, is held when the address is confirmed; it must count from then on).
    published = counted_q() & Q(published_at__gt=start, published_at__lte=end)
    held = held_as_burst() & Q(employee=False) & (Q(created_at__gt=start) | Q(updated_at__gt=start))
    return published | held


def _is_new_account(review: Review, joined_after: datetime) -> bool:
    author = review.author
    return author is not None and author.date_joined > joined_after


def _daily_counts(*, product_id: int, window_start: datetime) -> list[int]:
    """Published reviews per day over the BASELINE_DAYS whole days before the window's
    first day (days cut in the gate's time zone), days without reviews as 0."""
    keeper = history_keeper()
    zone = keeper.tzinfo
    first_window_day = keeper.day_of(window_start)
    first_day = first_window_day - timedelta(days=BASELINE_DAYS)
    rows = (
        Review.objects.filter(
            counted_q(),
            product_id=product_id,
            published_at__gte=datetime.combine(first_day, time(0), tzinfo=zone),
            published_at__lt=datetime.combine(first_window_day, time(0), tzinfo=zone),
        )
        .annotate(day=TruncDate("published_at", tzinfo=zone))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    per_day: dict[date, int] = dict(rows)
    return [per_day.get(first_day + timedelta(days=offset), 0) for offset in range(BASELINE_DAYS)]


def burst_verdict_for(*, review: Review, now: datetime, rule: BurstRule | None = None) -> BurstVerdict | None:
    """The rule's verdict on publishing ``review`` at ``now``; None when the window holds
    too few reviews for either branch (the daily counts are then not even read)."""
    rule = rule or burst_rule_from_settings()
    start = rule.window_start(now)
    joined_after = rule.new_account_joined_after(now)
    others: dict[str, Any] = (
        Review.objects.filter(_in_window(start=start, end=now), product_id=review.product_id)
        .exclude(pk=review.pk)
        .aggregate(
            total=Count("pk"),
            new_accounts=Count("pk", filter=Q(author__date_joined__gt=joined_after)),
        )
    )
    window_count = others["total"] + 1
    new_account_count = others["new_accounts"] + (1 if _is_new_account(review, joined_after) else 0)
    if window_count < rule.min_reviews and new_account_count < rule.new_accounts:
        return None
    return burst_decision(
        window_count=window_count,
        daily_counts_90d=_daily_counts(product_id=review.product_id, window_start=start),
        new_account_count=new_account_count,
        rule=rule,
    )


# One status change row, the same row: published, by a person (an automatic publication
# has no changed_by).
_published_by_a_moderator = ReviewStatusChange.objects.filter(
    review=OuterRef("pk"), to_status=ReviewStatus.PUBLISHED, changed_by__isnull=False
)


def _published_to_pull_back(*, review: Review, start: datetime, now: datetime) -> list[int]:
    """The window's published reviews of days the gate has not evaluated yet.

    The gate's last evaluated day is read without its lock: taking it here (under the
    product row that review_submit holds) could deadlock with an evaluation that holds
    the clock and updates products. A day being evaluated at this very moment is handled
    as any review changed after its day (docs/gate-production.md).
    """
    candidates = list(
        Review.objects.filter(
            counted_q(),
            product_id=review.product_id,
            published_at__gt=start,
            published_at__lte=now,
        )
        .exclude(pk=review.pk)
        # A review a moderator published (a released burst, a pre-moderated review) was
        # looked at: it stays published.
        .exclude(Exists(_published_by_a_moderator))
        .order_by("published_at", "pk")
        .values_list("pk", "published_at")
    )
    if not candidates:
        return []
    keeper = history_keeper()
    last_evaluated = keeper.evaluated_through()
    # published_at is never None here (a published review has its date: a constraint).
    return [
        pk
        for pk, published_at in candidates
        if published_at is not None and (last_evaluated is None or keeper.day_of(published_at) > last_evaluated)
    ]


def burst_reviews_to_hold(*, review: Review, now: datetime) -> list[int] | None:
    """Asked when ``review`` (saved, not yet published) would be published at ``now``.

    None: no burst, publish it. A list: the product is in a burst; keep ``review`` pending
    with ReasonCode.BURST and move each listed review (published within the window, on a
    day the gate has not evaluated) from published back to pending with the same reason.
    Imports are never held (they are history, not live traffic), nor employee reviews
    (counted nowhere, they cannot move a figure).
    """
    if review.source == ReviewSource.IMPORT or review.employee:
        return None
    rule = burst_rule_from_settings()
    verdict = burst_verdict_for(review=review, now=now, rule=rule)
    if verdict is None or not verdict.is_burst:
        return None
    return _published_to_pull_back(review=review, start=rule.window_start(now), now=now)
