"""The desk's key figures, per category, product, manager or month, over a period.

Pure computation over plain facts, so every figure can be checked against a hand count.
desk.selectors.kpi_facts loads them in a few queries whose rows grow with products and
months, never with reviews: the database sums the reviews of each product (and month)
into a ``ReviewTally``, and gives each group's reply figures (``ReplyFigures``): counts,
and only the middle one or two of its sorted reply delays, all an exact median needs.

* **average**: mean rating of the reviews published in the period;
* **CSAT**: share of those reviews rated 4 or 5 stars;
* **volume**: how many were published; **verified**: the share of verified purchases;
* **reply time**: hours from a review's publication to the brand's first reply, for the
  reviews of the period that have one; the median is compared with the 24-hour target,
  and the share answered within it is given;
* **notices**: gate events of the period: flagged (a notice opened), recovered,
  withdrawn, reinstated;
* **days to improvement**: for each reinstatement in the period, the days since the
  product's withdrawal; median;
* **invitations**: invitations sent, links opened, reviews written, response rate and
  reminders sent, as desk.invitation_figures defines them;
* **NPS**: the Net Promoter Score of the counted reviews published in the period that carry
  a recommend answer, with its number of answers (``care.figures.NpsCounts``);
* **customer care**: over the cases opened in the period (a case counts in its opening
  month), the share first contacted within their target, the median time to first contact,
  the outcomes, first-contact resolution, the customer effort score with its number of
  answers, and the share of ratings raised after follow-up (``care.figures.CareCounts``:
  the definitions are in care.figures' docstring). Whether a case is due depends on ``now``;
* **topics**: the reviews carrying at least one topic, and each topic's share of them
  (``topics.figures.TopicCounts``: a review may speak of several topics).

A product with several managers counts in each manager's row; the "All" row counts it once.
Rows come by label (a product's label is its name and SKU), months in calendar order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from statistics import median

from care.figures import CareCounts, CaseFacts, NpsCounts
from care.policy import Outcome
from desk.invitation_figures import InvitationCounts, InvitationTally
from topics.figures import TOPIC_KEYS, TopicCounts

__all__ = [
    "CSV_COLUMNS",
    "REPLY_TARGET_HOURS",
    "TOTAL_KEY",
    "CaseFact",
    "EventFact",
    "KpiRow",
    "NpsTally",
    "ReplyFigures",
    "ReviewTally",
    "category_key",
    "kpi_csv",
    "kpi_rows",
    "manager_key",
    "month_buckets",
    "month_key",
    "product_key",
    "reply_hours",
]

REPLY_TARGET_HOURS = 24
TOTAL_KEY = "__all__"


@dataclass(frozen=True)
class ReviewTally:
    """The published reviews of one product in one bucket of the period: a month when
    the figures are per month, else the whole period."""

    product_id: int
    day: date  # a day of the bucket inside the period: groups_of(product_id, day) names its groups
    reviews: int
    rating_sum: int
    high: int  # rated 4 or 5 stars
    verified: int
    topics: TopicCounts = field(default_factory=TopicCounts)  # their topic tags


@dataclass(frozen=True)
class ReplyFigures:
    """The reviews of a group that have a brand reply. A delay is the brand's first reply
    minus the publication; ``middle`` holds the middle of the group's delays in ascending
    order: the middle one when ``replies`` is odd, the two middle ones when even. Their
    mean is the median of all the group's delays."""

    key: str  # the group's key, as groups_of names it, or TOTAL_KEY
    replies: int
    within_target: int  # delays of at most REPLY_TARGET_HOURS
    middle: tuple[timedelta, ...]


@dataclass(frozen=True)
class NpsTally:
    """How many counted reviews of one product gave one recommend answer in one bucket of
    the period (ReviewTally's buckets)."""

    product_id: int
    day: date  # a day of the bucket inside the period
    answer: int  # 0-10
    count: int


@dataclass(frozen=True)
class CaseFact:
    """A care case of a product, opened on ``day`` (in the policy's time zone)."""

    product_id: int
    day: date
    facts: CaseFacts


@dataclass(frozen=True)
class EventFact:
    product_id: int
    day: date
    kind: str  # gate.models.EventKind value


@dataclass
class KpiRow:
    key: str
    label: str
    reviews: int = 0
    rating_sum: int = 0
    high: int = 0  # 4-5 stars
    verified: int = 0
    replies: int = 0
    replies_within_target: int = 0
    # The middle one or two of the sorted reply times (ReplyFigures): enough for the median.
    reply_middle: list[Decimal] = field(default_factory=list, repr=False)
    flagged: int = 0
    recovered: int = 0
    withdrawn: int = 0
    reinstated: int = 0
    days_to_improvement: list[int] = field(default_factory=list, repr=False)
    invitations: InvitationCounts = field(default_factory=InvitationCounts)
    nps: NpsCounts = field(default_factory=NpsCounts)
    care: CareCounts = field(default_factory=CareCounts)
    topics: TopicCounts = field(default_factory=TopicCounts)

    @property
    def average(self) -> Decimal | None:
        return _ratio(self.rating_sum, self.reviews, places="0.01")

    @property
    def exact_average(self) -> Fraction | None:
        """The exact mean, for the page's display rule beside the gate's threshold
        (``core.gate_figures``); the CSV keeps :attr:`average`'s two decimals."""
        return Fraction(self.rating_sum, self.reviews) if self.reviews else None

    @property
    def csat(self) -> Decimal | None:
        """Share of 4-5 star reviews, in percent."""
        return _ratio(100 * self.high, self.reviews, places="0.1")

    @property
    def verified_share(self) -> Decimal | None:
        return _ratio(100 * self.verified, self.reviews, places="0.1")

    @property
    def median_reply_hours(self) -> Decimal | None:
        if not self.reply_middle:
            return None
        return Decimal(median(self.reply_middle)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)

    @property
    def reply_target_met(self) -> bool | None:
        value = self.median_reply_hours
        return None if value is None else value <= REPLY_TARGET_HOURS

    @property
    def within_target_share(self) -> Decimal | None:
        return _ratio(100 * self.replies_within_target, self.replies, places="0.1")

    @property
    def median_days_to_improvement(self) -> Decimal | None:
        if not self.days_to_improvement:
            return None
        return Decimal(median(self.days_to_improvement)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)

    @property
    def is_total(self) -> bool:
        return self.key == TOTAL_KEY


def _ratio(numerator: int, denominator: int, *, places: str) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), rounding=ROUND_HALF_EVEN)


def reply_hours(delay: timedelta) -> Decimal:
    """A reply delay in hours; a reply dated before the review's publication counts as 0.

    Non-decreasing in ``delay``, so the middle delays give the middle hours."""
    return max(Decimal(delay.total_seconds()) / Decimal(3600), Decimal(0))


def category_key(category_id: int | None) -> str:
    """The key of a category's row ("none": products without a category)."""
    return "none" if category_id is None else f"c{category_id}"


def manager_key(user_id: int | None) -> str:
    """The key of a manager's row ("none": products nobody manages)."""
    return "none" if user_id is None else f"u{user_id}"


def product_key(product_id: int) -> str:
    """The key of a product's row."""
    return f"p{product_id}"


def month_key(day: date) -> str:
    """The key of the row of ``day``'s month: ``YYYY-MM``, so keys sort in calendar order."""
    return day.strftime("%Y-%m")


def month_buckets(first: date, last: date) -> list[tuple[date, date]]:
    """The months of ``first .. last``, each as (its first day in the period, the day
    after its last day in the period)."""
    buckets = []
    day = first
    while day <= last:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        buckets.append((day, min(following, last + timedelta(days=1))))
        day = following
    return buckets


def _days_to_improvement(events: Sequence[EventFact], first: date, last: date) -> dict[int, list[tuple[date, int]]]:
    """Per product: (reinstatement day, days since the withdrawal it ended), for the
    reinstatements in first..last."""
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


# The gate events a row counts, each in the KpiRow field of the same name.
COUNTED_EVENTS = ("flagged", "recovered", "withdrawn", "reinstated")


class _Rows:
    """The rows being summed: one per group, created when a fact first names it, and the
    "All" row every fact also counts in."""

    def __init__(self, groups_of: Callable[[int, date], Iterable[tuple[str, str]]], total_label: str) -> None:
        self.groups_of = groups_of
        self.by_key: dict[str, KpiRow] = {}
        self.total = KpiRow(key=TOTAL_KEY, label=total_label)

    def of(self, product_id: int, day: date) -> list[KpiRow]:
        """The rows a fact of that product on that day counts in: "All", then its groups."""
        found = [self.total]
        for key, label in self.groups_of(product_id, day):
            if key not in self.by_key:
                self.by_key[key] = KpiRow(key=key, label=label)
            found.append(self.by_key[key])
        return found

    def ordered(self, *, by_key: bool) -> list[KpiRow]:
        """The groups by label (or by key), then the "All" row."""

        def order(row: KpiRow) -> tuple[str, str]:
            return (row.key, row.label) if by_key else (row.label.casefold(), row.key)

        return [*sorted(self.by_key.values(), key=order), self.total]


def _add_reviews(rows: _Rows, reviews: Iterable[ReviewTally], first: date, last: date) -> None:
    for tally in reviews:
        if not first <= tally.day <= last:
            continue
        for row in rows.of(tally.product_id, tally.day):
            row.reviews += tally.reviews
            row.rating_sum += tally.rating_sum
            row.high += tally.high
            row.verified += tally.verified
            row.topics.merge(tally.topics)


def _add_replies(rows: _Rows, replies: Iterable[ReplyFigures]) -> None:
    """Each group's reply figures; those of a group without reviews are left out."""
    for figures in replies:
        found = rows.total if figures.key == TOTAL_KEY else rows.by_key.get(figures.key)
        if found is not None:
            found.replies = figures.replies
            found.replies_within_target = figures.within_target
            found.reply_middle = [reply_hours(delay) for delay in figures.middle]


def _add_invitations(rows: _Rows, invitations: Iterable[InvitationTally], first: date, last: date) -> None:
    for tally in invitations:
        if first <= tally.day <= last:
            for row in rows.of(tally.product_id, tally.day):
                row.invitations.add(tally)


def _add_nps(rows: _Rows, answers: Iterable[NpsTally], first: date, last: date) -> None:
    for tally in answers:
        if first <= tally.day <= last:
            for row in rows.of(tally.product_id, tally.day):
                row.nps.add(tally.answer, tally.count)


def _add_cases(rows: _Rows, cases: Iterable[CaseFact], first: date, last: date, now: datetime | None) -> None:
    for case in cases:
        if not first <= case.day <= last:
            continue
        if now is None:
            raise ValueError("care cases need now: whether a case is due depends on it")
        for row in rows.of(case.product_id, case.day):
            row.care.add(case.facts, now=now)


def _add_events(rows: _Rows, events: Sequence[EventFact], first: date, last: date) -> None:
    for event in events:
        if not first <= event.day <= last or event.kind not in COUNTED_EVENTS:
            continue
        for row in rows.of(event.product_id, event.day):
            setattr(row, event.kind, getattr(row, event.kind) + 1)
    for product_id, spans in _days_to_improvement(events, first, last).items():
        for day, days in spans:
            for row in rows.of(product_id, day):
                row.days_to_improvement.append(days)


def kpi_rows(
    *,
    first: date,
    last: date,
    reviews: Iterable[ReviewTally],
    events: Iterable[EventFact],
    groups_of: Callable[[int, date], Iterable[tuple[str, str]]],
    replies: Iterable[ReplyFigures] = (),
    invitations: Iterable[InvitationTally] = (),
    nps: Iterable[NpsTally] = (),
    cases: Iterable[CaseFact] = (),
    now: datetime | None = None,
    total_label: str = "All",
    by_key: bool = False,
) -> list[KpiRow]:
    """One row per group, by label (with ``by_key``, by key: months, whose keys month_key
    writes ``YYYY-MM``, then come in calendar order, not "April" before "February"),
    then the "All" row.

    ``groups_of(product_id, day)`` names the (key, label) groups a fact of that product
    on that day belongs to: its category, the product, each of its managers, or the day's month.
    ``reviews``, ``invitations`` and ``events`` outside ``first .. last`` are ignored, except withdrawals
    before ``first`` (a reinstatement in the period measures from them).
    ``nps`` and ``cases`` outside the period are ignored too; ``now`` (required with cases)
    says which cases are due (care.figures).
    ``replies`` give each group's reply figures (by the keys groups_of names, TOTAL_KEY
    for the "All" row); those of a group without reviews are ignored (a review taken down
    between the queries that loaded the facts).
    """
    rows = _Rows(groups_of, total_label)
    _add_reviews(rows, reviews, first, last)
    _add_replies(rows, replies)
    _add_invitations(rows, invitations, first, last)
    _add_nps(rows, nps, first, last)
    _add_cases(rows, cases, first, last, now)
    _add_events(rows, list(events), first, last)
    return rows.ordered(by_key=by_key)


CSV_COLUMNS = (
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
    # Appended by issue 15 (desk.invitation_figures): earlier columns keep their places.
    "invitations_sent",
    "links_opened",
    "reviews_written",
    "response_rate_percent",
    "reminders_sent",
    # Appended by issue 16 (care.figures): the NPS, then customer care's figures.
    "nps",
    "nps_answers",
    "care_cases",
    "care_cases_due",
    "care_contacted",
    "care_contacted_within_target_percent",
    "care_median_first_contact_hours",
    *(f"care_outcome_{outcome.value}" for outcome in Outcome),
    "care_first_contact_resolution_percent",
    "care_effort_score",
    "care_effort_answers",
    "care_ratings_raised_percent",
    # Appended by issue 17 (topics.figures): the tagged reviews, then each topic's share of them.
    "topic_tagged_reviews",
    *(f"topic_{key}_percent" for key in TOPIC_KEYS),
)


def _care_cells(row: KpiRow) -> tuple[object, ...]:
    care = row.care
    return (
        row.nps.score,
        row.nps.answers,
        care.cases,
        care.due,
        care.contacted,
        care.in_time_share,
        care.median_first_contact_hours,
        *(care.outcomes[outcome.value] for outcome in Outcome),
        care.first_contact_resolution_share,
        care.effort_mean,
        care.effort_answers,
        care.raised_share,
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _safe(text: str) -> str:
    # A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def kpi_csv(rows: Sequence[KpiRow], *, period: tuple[date, date], group_by: str) -> str:
    """The rows as CSV: a header, one line per row; numbers with a dot, empty when undefined."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period_start", "period_end", "grouped_by", *CSV_COLUMNS])
    for row in rows:
        writer.writerow(
            [
                period[0].isoformat(),
                period[1].isoformat(),
                group_by,
                _safe(row.label),
                *(
                    _cell(value)
                    for value in (
                        row.reviews,
                        row.average,
                        row.csat,
                        row.verified_share,
                        row.replies,
                        row.median_reply_hours,
                        REPLY_TARGET_HOURS,
                        row.reply_target_met,
                        row.within_target_share,
                        row.flagged,
                        row.recovered,
                        row.withdrawn,
                        row.reinstated,
                        row.median_days_to_improvement,
                        row.invitations.invited,
                        row.invitations.opened,
                        row.invitations.written,
                        row.invitations.response_rate,
                        row.invitations.reminders,
                        *_care_cells(row),
                        row.topics.tagged,
                        *(row.topics.share(key) for key in TOPIC_KEYS),
                    )
                ),
            ]
        )
    return out.getvalue()
