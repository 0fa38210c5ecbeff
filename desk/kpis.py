"""The desk's key figures, per category, per manager or per month, over a period.

Pure computation over plain facts (desk.selectors.kpi_facts loads them in a few
queries), so every figure can be checked against a hand count:

* **average**: mean rating of the reviews published in the period;
* **CSAT**: share of those reviews rated 4 or 5 stars;
* **volume**: how many were published; **verified**: the share of verified purchases;
* **reply time**: hours from a review's publication to the brand's first reply, for the
  reviews of the period that have one; the median is compared with the 24-hour target,
  and the share answered within it is given;
* **notices**: gate events of the period: flagged (a notice opened), recovered,
  withdrawn, reinstated;
* **days to improvement**: for each reinstatement in the period, the days since the
  product's withdrawal; median.

A product with several managers counts in each manager's row; the "All" row counts it once.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from statistics import median

__all__ = [
    "CSV_COLUMNS",
    "REPLY_TARGET_HOURS",
    "EventFact",
    "KpiRow",
    "ReviewFact",
    "kpi_csv",
    "kpi_rows",
]

REPLY_TARGET_HOURS = 24
TOTAL_KEY = "__all__"


@dataclass(frozen=True)
class ReviewFact:
    product_id: int
    day: date  # publication day, in the site's time zone
    rating: int
    verified: bool
    published_at: datetime
    first_reply_at: datetime | None = None


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
    reply_hours: list[Decimal] = field(default_factory=list, repr=False)
    flagged: int = 0
    recovered: int = 0
    withdrawn: int = 0
    reinstated: int = 0
    days_to_improvement: list[int] = field(default_factory=list, repr=False)

    @property
    def average(self) -> Decimal | None:
        return _ratio(self.rating_sum, self.reviews, places="0.01")

    @property
    def csat(self) -> Decimal | None:
        """Share of 4-5 star reviews, in percent."""
        return _ratio(100 * self.high, self.reviews, places="0.1")

    @property
    def verified_share(self) -> Decimal | None:
        return _ratio(100 * self.verified, self.reviews, places="0.1")

    @property
    def median_reply_hours(self) -> Decimal | None:
        if not self.reply_hours:
            return None
        return Decimal(median(self.reply_hours)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)

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


def _hours(start: datetime, end: datetime) -> Decimal:
    return Decimal((end - start).total_seconds()) / Decimal(3600)


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


def kpi_rows(
    *,
    first: date,
    last: date,
    reviews: Iterable[ReviewFact],
    events: Iterable[EventFact],
    groups_of: Callable[[int, date], Iterable[tuple[str, str]]],
    total_label: str = "All",
) -> list[KpiRow]:
    """One row per group (by label), then the "All" row.

    ``groups_of(product_id, day)`` names the (key, label) groups a fact of that product
    on that day belongs to: its category, each of its managers, or the day's month.
    ``reviews`` and ``events`` outside ``first .. last`` are ignored, except withdrawals
    before ``first`` (a reinstatement in the period measures from them).
    """
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
                row.reply_hours.append(hours)
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
                    )
                ),
            ]
        )
    return out.getvalue()
