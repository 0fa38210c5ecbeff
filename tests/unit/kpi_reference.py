"""The desk's key figures worked out a second, independent way, to check desk.kpis against.

desk.kpis adds up sums the database made (per product and month) into ``KpiRow`` objects
whose properties divide and round them as ``Decimal``. This reference starts from the raw
facts instead, one per published review, and shares none of desk.kpis' code: it gathers
each group's raw values (a ``Counter`` of the ratings, every reply delay in whole
microseconds, the gate events), then computes each figure from them with exact fractions
(``fractions.Fraction``) and rounds half to even by hand. What the page shows and the CSV
exports are compared: a slip in desk.kpis (a median, a rounding, a comparison with the
24-hour target, the days to an improvement) makes the figures differ.

``reference_rows`` gives ``ReferenceRow`` objects (the figures as the page prints them);
``desk_figures`` reads the same figures off a desk.kpis.KpiRow; ``assert_rows_agree``
compares the two lists, the unrounded median reply time included.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Protocol

from desk.kpis import TOTAL_KEY  # the "All" row's key: a name both sides must use, not a figure

if TYPE_CHECKING:
    from desk.kpis import KpiRow

# The spec's figures, restated here rather than read from desk.kpis.
TARGET = timedelta(hours=24)
TARGET_HOURS = 24
COUNTED_EVENTS = ("flagged", "recovered", "withdrawn", "reinstated")
MICROSECONDS_PER_HOUR = 3_600_000_000
# Below a microsecond of delay (a median differs by at least half of one): the unrounded
# medians agree when they are this close (desk computes them in Decimal from float seconds).
MEDIAN_TOLERANCE_HOURS = Fraction(1, 10**11)


@dataclass(frozen=True)
class ReviewFact:
    product_id: int
    day: date  # publication day, in the policy's time zone
    rating: int
    verified: bool
    published_at: datetime
    first_reply_at: datetime | None = None


class EventLike(Protocol):
    """A gate event as both sides read it (desk.kpis.EventFact, or GateEventFact below)."""

    @property
    def product_id(self) -> int: ...

    @property
    def day(self) -> date: ...

    @property
    def kind(self) -> str: ...


@dataclass(frozen=True)
class GateEventFact:
    product_id: int
    day: date
    kind: str


@dataclass
class _Raw:
    """Everything one group's figures are computed from."""

    label: str
    first_day: date  # the earliest day of a fact counted in the group
    ratings: Counter[int] = field(default_factory=Counter)
    verified: int = 0
    delays: list[int] = field(default_factory=list)  # reply delays in microseconds, as replied
    events: Counter[str] = field(default_factory=Counter)
    improvement_days: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ReferenceRow:
    """One row's figures as the page prints them: decimals as text, None when undefined."""

    key: str
    label: str
    reviews: int
    rating_sum: int
    high: int
    verified: int
    average: str | None
    csat: str | None
    verified_share: str | None
    replies: int
    replies_within_target: int
    median_reply_hours: str | None
    reply_target_met: bool | None
    within_target_share: str | None
    flagged: int
    recovered: int
    withdrawn: int
    reinstated: int
    days_to_improvement: tuple[int, ...]
    median_days_to_improvement: str | None
    exact_median_reply_hours: Fraction | None = field(compare=False)

    def figures(self) -> tuple[object, ...]:
        return _figures_tuple(self)


def fixed(value: Fraction | None, places: int) -> str | None:
    """``value`` rounded half to even to ``places`` decimals, written out ("3.20")."""
    if value is None:
        return None
    scaled = round(value * 10**places)  # Fraction rounds half to even
    sign, digits = ("-" if scaled < 0 else ""), str(abs(scaled)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def share(part: int, whole: int, places: int) -> str | None:
    return fixed(Fraction(100 * part, whole), places) if whole else None


def middle_value(values: Sequence[int]) -> Fraction | None:
    """The median: the middle value, or halfway between the two middle ones."""
    if not values:
        return None
    ranked = sorted(values)
    half = len(ranked) // 2
    if len(ranked) % 2:
        return Fraction(ranked[half])
    return Fraction(ranked[half - 1] + ranked[half], 2)


def improvement_spans(events: Iterable[EventLike], first: date, last: date) -> list[tuple[int, date, int]]:
    """(product, reinstatement day, days since its withdrawal) for each reinstatement in
    the period that ended a withdrawal: one whose product was withdrawn on or before that
    day, with no other reinstatement of the period between that withdrawal and it."""
    withdrawals: dict[int, list[date]] = defaultdict(list)
    reinstatements: dict[int, list[date]] = defaultdict(list)
    for event in events:
        if event.kind == "withdrawn":
            withdrawals[event.product_id].append(event.day)
        elif event.kind == "reinstated" and first <= event.day <= last:
            reinstatements[event.product_id].append(event.day)
    spans = []
    for product_id, days in reinstatements.items():
        previous: date | None = None
        for day in sorted(days):
            before = [withdrawn for withdrawn in withdrawals[product_id] if withdrawn <= day]
            if before and (previous is None or max(before) > previous):
                spans.append((product_id, day, (day - max(before)).days))
            previous = day
    return spans


def reference_rows(
    *,
    first: date,
    last: date,
    reviews: Iterable[ReviewFact],
    events: Iterable[EventLike],
    groups_of: Callable[[int, date], Iterable[tuple[str, str]]],
    total_label: str = "All",
    chronological: bool = False,
) -> list[ReferenceRow]:
    """The rows of the page: one per group, by label, then the total (each fact once).
    With ``chronological`` (the groups are months), by the earliest day of their facts
    instead: a month's facts all fall in it, so this is calendar order."""
    groups: dict[str, _Raw] = {}
    total = _Raw(label=total_label, first_day=first)

    def raws(product_id: int, day: date) -> list[_Raw]:
        found = [total]
        for key, label in groups_of(product_id, day):
            raw = groups.setdefault(key, _Raw(label=label, first_day=day))
            raw.first_day = min(raw.first_day, day)
            found.append(raw)
        return found

    for review in reviews:
        if first <= review.day <= last:
            delay = _delay_microseconds(review)
            for raw in raws(review.product_id, review.day):
                raw.ratings[review.rating] += 1
                raw.verified += review.verified
                raw.delays += [] if delay is None else [delay]
    event_list = list(events)
    for event in event_list:
        if first <= event.day <= last and event.kind in COUNTED_EVENTS:
            for raw in raws(event.product_id, event.day):
                raw.events[event.kind] += 1
    for product_id, day, days in improvement_spans(event_list, first, last):
        for raw in raws(product_id, day):
            raw.improvement_days.append(days)
    if chronological:
        ordered = sorted(groups.items(), key=lambda item: item[1].first_day)
    else:
        ordered = sorted(groups.items(), key=lambda item: (item[1].label.casefold(), item[0]))
    return [_row(key, raw) for key, raw in [*ordered, (TOTAL_KEY, total)]]


def _delay_microseconds(review: ReviewFact) -> int | None:
    if review.first_reply_at is None:
        return None
    return (review.first_reply_at - review.published_at) // timedelta(microseconds=1)


def _row(key: str, raw: _Raw) -> ReferenceRow:
    reviews = sum(raw.ratings.values())
    rating_sum = sum(rating * times for rating, times in raw.ratings.items())
    high = raw.ratings[4] + raw.ratings[5]
    # A reply dated before its review counts as answered at once (0 h), within the target.
    answered = [max(delay, 0) for delay in raw.delays]
    within = sum(delay <= TARGET // timedelta(microseconds=1) for delay in answered)
    middle = middle_value(answered)
    exact_hours = None if middle is None else middle / MICROSECONDS_PER_HOUR
    shown_hours = fixed(exact_hours, 1)
    return ReferenceRow(
        key=key,
        label=raw.label,
        reviews=reviews,
        rating_sum=rating_sum,
        high=high,
        verified=raw.verified,
        average=fixed(Fraction(rating_sum, reviews), 2) if reviews else None,
        csat=share(high, reviews, 1),
        verified_share=share(raw.verified, reviews, 1),
        replies=len(answered),
        replies_within_target=within,
        median_reply_hours=shown_hours,
        # The page compares the median it shows (rounded to 0.1 h) with the target.
        reply_target_met=None if shown_hours is None else Fraction(shown_hours) <= TARGET_HOURS,
        within_target_share=share(within, len(answered), 1),
        flagged=raw.events["flagged"],
        recovered=raw.events["recovered"],
        withdrawn=raw.events["withdrawn"],
        reinstated=raw.events["reinstated"],
        days_to_improvement=tuple(sorted(raw.improvement_days)),
        median_days_to_improvement=fixed(middle_value(raw.improvement_days), 1),
        exact_median_reply_hours=exact_hours,
    )


def _figures_tuple(row: ReferenceRow) -> tuple[object, ...]:
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
        row.median_reply_hours,
        row.reply_target_met,
        row.within_target_share,
        row.flagged,
        row.recovered,
        row.withdrawn,
        row.reinstated,
        row.days_to_improvement,
        row.median_days_to_improvement,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def desk_figures(row: KpiRow) -> tuple[object, ...]:
    """The same figures read off desk.kpis' row (its Decimals as the page prints them)."""
    return (
        row.key,
        row.label,
        row.reviews,
        row.rating_sum,
        row.high,
        row.verified,
        _text(row.average),
        _text(row.csat),
        _text(row.verified_share),
        row.replies,
        row.replies_within_target,
        _text(row.median_reply_hours),
        row.reply_target_met,
        _text(row.within_target_share),
        row.flagged,
        row.recovered,
        row.withdrawn,
        row.reinstated,
        tuple(sorted(row.days_to_improvement)),
        _text(row.median_days_to_improvement),
    )


def _desk_exact_median(row: KpiRow) -> Fraction | None:
    """desk's median reply time before rounding, from the middle hours it keeps."""
    middle = [Fraction(hours) for hours in row.reply_middle]
    if not middle:
        return None
    return sum(middle, Fraction(0)) / len(middle)


def assert_rows_agree(desk_rows: Sequence[KpiRow], expected: Sequence[ReferenceRow], context: str = "") -> None:
    """Every figure equal, and the unrounded median reply times equal to a microsecond."""
    assert [desk_figures(row) for row in desk_rows] == [row.figures() for row in expected], context
    for seen, wanted in zip(desk_rows, expected, strict=True):
        median = _desk_exact_median(seen)
        if wanted.exact_median_reply_hours is None or median is None:
            assert median == wanted.exact_median_reply_hours, context
        else:
            assert abs(median - wanted.exact_median_reply_hours) < MEDIAN_TOLERANCE_HOURS, (context, seen.key)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return {True: "yes", False: "no"}[value]
    return f"{value}"


def reference_csv(rows: Sequence[ReferenceRow], *, period: tuple[date, date], group_by: str) -> str:
    """The export as the spec describes it: a header, then one line per row; a label that
    a spreadsheet would run as a formula is quoted with a leading apostrophe."""
    header = [
        "period_start",
        "period_end",
        "grouped_by",
        "group",
        "reviews",
        "average",
        "csat_percent",
        "verified_percent",
        "replies",
        "median_reply_hours",
        "reply_target_hours",
        "reply_target_met",
        "replied_within_target_percent",
        "notices_opened",
        "recovered",
        "withdrawn",
        "reinstated",
        "median_days_withdrawal_to_improvement",
        "invitations_sent",
        "links_opened",
        "reviews_written",
        "response_rate_percent",
        "reminders_sent",
        # Issue 16: the NPS and customer care's figures (tests/integration/desk/test_care_kpis.py).
        *("nps", "nps_answers", "care_cases", "care_cases_due", "care_contacted"),
        *("care_contacted_within_target_percent", "care_median_first_contact_hours", "care_outcome_solved"),
        *("care_outcome_refunded_replaced", "care_outcome_no_answer", "care_outcome_not_reachable"),
        *("care_first_contact_resolution_percent", "care_effort_score", "care_effort_answers"),
        "care_ratings_raised_percent",
        # Issue 17: the tagged reviews and each topic's share (tests/integration/desk/test_topic_page.py).
        "topic_tagged_reviews",
        *("topic_delivery_percent", "topic_quality_percent", "topic_size_percent", "topic_price_percent"),
        *("topic_service_percent", "topic_setup_percent", "topic_other_percent"),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        label = f"'{row.label}" if row.label.startswith(("=", "+", "-", "@", "\t", "\r")) else row.label
        values: list[Any] = [
            row.reviews,
            row.average,
            row.csat,
            row.verified_share,
            row.replies,
            row.median_reply_hours,
            TARGET_HOURS,
            row.reply_target_met,
            row.within_target_share,
            row.flagged,
            row.recovered,
            row.withdrawn,
            row.reinstated,
            row.median_days_to_improvement,
            # The reference's facts hold no invitation: sent, opened, written, no rate, reminders.
            0,
            0,
            0,
            None,
            0,
            # Nor any recommend answer or care case: no NPS, then 0 cases and nothing to share.
            *(None, 0, 0, 0, 0, None, None, 0, 0, 0, 0, None, None, 0, None),
            # Nor any topic tag: 0 tagged reviews, no share.
            *(0, None, None, None, None, None, None, None),
        ]
        writer.writerow([period[0].isoformat(), period[1].isoformat(), group_by, label, *map(_cell, values)])
    return out.getvalue()


def per_review_facts(
    *, scope: Any, first: date, last: date, policy: Any
) -> tuple[list[ReviewFact], list[GateEventFact]]:
    """The raw facts for ``scope`` (a Product queryset): one per review published in
    ``first .. last`` (days in the policy's zone), every counted gate event up to ``last``.
    Needs the database (the rest of this module does not)."""
    from gate.models import GateEvent
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
        GateEventFact(product_id, day, kind)
        for product_id, day, kind in GateEvent.objects.filter(product__in=scope, day__lte=last, kind__in=COUNTED_EVENTS)
        .order_by()
        .values_list("product_id", "day", "kind")
    ]
    return reviews, events
