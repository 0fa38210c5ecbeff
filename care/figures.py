"""Customer care's figures and the Net Promoter Score, defined once, pure (the clock passed
in): the desk's key figures, their CSV, ``GET /api/v1/care-figures/`` and the transparency
page all add their facts into these counts.

Care (over the cases **opened** in the period; a case counts in the month it opened):

* **contacted within the target**: cases whose first message to the customer was written
  by their ``due_at`` (``CARE_FIRST_CONTACT_HOURS`` after opening, as set then), as a share
  of the cases that are **due**: contacted, or whose target has passed at ``now``. A case
  still inside its target and not yet contacted is not counted yet (it may still make it);
* **median time to first contact**, in hours (one decimal, half to even), over contacted cases;
* **outcomes**: closed cases per outcome;
* **first-contact resolution**: closed cases solved or refunded/replaced with one message
  from care (before closing), as a share of closed cases that were contacted;
* **customer effort score**: the mean of the effort answers (1 very difficult - 7 very
  easy, two decimals), with their number;
* **ratings raised after follow-up**: contacted cases whose review's rating was changed
  after the first contact to more stars than when the case opened, as a share of contacted cases.

Net Promoter Score (over the counted reviews published in the period that carry a recommend
answer): the share of 9-10 answers minus the share of 0-6 answers, in points from -100 to
100 (one decimal, half to even), with its number of answers; undefined without answers.

Shares are percents with one decimal (half to even), None when the denominator is 0.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from statistics import median

from care.policy import DETRACTOR_MAX, RESOLVED_OUTCOMES, contacted_in_time

PROMOTER_MIN = 9

__all__ = ["PROMOTER_MIN", "CareCounts", "CaseFacts", "NpsCounts", "hours_of", "share_percent"]


def share_percent(numerator: int, denominator: int) -> Decimal | None:
    """The one rule for shares: a percent with one decimal, half to even; None of 0."""
    if not denominator:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


def hours_of(delay: timedelta) -> Decimal:
    """A delay in hours (never negative), exact to the second."""
    return max(Decimal(int(delay.total_seconds())) / Decimal(3600), Decimal(0))


@dataclass(frozen=True)
class CaseFacts:
    """What the figures need of one case (care.selectors reads them)."""

    opened_at: datetime
    due_at: datetime
    first_contact_at: datetime | None
    closed_at: datetime | None
    outcome: str  # "" while open
    care_messages: int  # care's messages of kind "message" (the closing one not counted)
    effort_score: int | None
    rating_at_open: int
    rating_now: int
    rating_changed_at: datetime | None


@dataclass
class CareCounts:
    """The care figures of a group of cases (a product, category, manager, month or all)."""

    cases: int = 0
    due: int = 0
    in_time: int = 0
    contacted: int = 0
    first_contact_hours: list[Decimal] = field(default_factory=list, repr=False)
    outcomes: Counter[str] = field(default_factory=Counter)
    closed_contacted: int = 0
    first_contact_resolved: int = 0
    effort_answers: int = 0
    effort_sum: int = 0
    ratings_raised: int = 0

    def add(self, case: CaseFacts, *, now: datetime) -> None:
        self.cases += 1
        contacted = case.first_contact_at is not None
        if contacted or case.due_at < now:
            self.due += 1
        if contacted_in_time(first_contact_at=case.first_contact_at, due_at=case.due_at):
            self.in_time += 1
        if case.first_contact_at is not None:
            self.contacted += 1
            self.first_contact_hours.append(hours_of(case.first_contact_at - case.opened_at))
            raised_after = case.rating_changed_at is not None and case.rating_changed_at > case.first_contact_at
            if raised_after and case.rating_now > case.rating_at_open:
                self.ratings_raised += 1
        if case.outcome:
            self.outcomes[case.outcome] += 1
            if contacted:
                self.closed_contacted += 1
                if case.outcome in RESOLVED_OUTCOMES and case.care_messages == 1:
                    self.first_contact_resolved += 1
        if case.effort_score is not None:
            self.effort_answers += 1
            self.effort_sum += case.effort_score

    def merge(self, other: CareCounts) -> None:
        """Add another group's counts (a total of groups, each case counted once in each)."""
        self.cases += other.cases
        self.due += other.due
        self.in_time += other.in_time
        self.contacted += other.contacted
        self.first_contact_hours.extend(other.first_contact_hours)
        self.outcomes.update(other.outcomes)
        self.closed_contacted += other.closed_contacted
        self.first_contact_resolved += other.first_contact_resolved
        self.effort_answers += other.effort_answers
        self.effort_sum += other.effort_sum
        self.ratings_raised += other.ratings_raised

    @property
    def in_time_share(self) -> Decimal | None:
        return share_percent(self.in_time, self.due)

    @property
    def median_first_contact_hours(self) -> Decimal | None:
        if not self.first_contact_hours:
            return None
        return Decimal(median(self.first_contact_hours)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)

    @property
    def first_contact_resolution_share(self) -> Decimal | None:
        return share_percent(self.first_contact_resolved, self.closed_contacted)

    @property
    def effort_mean(self) -> Decimal | None:
        if not self.effort_answers:
            return None
        return (Decimal(self.effort_sum) / Decimal(self.effort_answers)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_EVEN
        )

    @property
    def raised_share(self) -> Decimal | None:
        return share_percent(self.ratings_raised, self.contacted)


@dataclass
class NpsCounts:
    """The recommend answers of a group: the Net Promoter Score and its number of answers."""

    answers: int = 0
    promoters: int = 0  # 9-10
    detractors: int = 0  # 0-6

    def add(self, answer: int, count: int = 1) -> None:
        if not 0 <= answer <= 10:
            raise ValueError(f"a recommend answer is 0 to 10, not {answer}")
        self.answers += count
        if answer >= PROMOTER_MIN:
            self.promoters += count
        elif answer <= DETRACTOR_MAX:
            self.detractors += count

    def merge(self, other: NpsCounts) -> None:
        self.answers += other.answers
        self.promoters += other.promoters
        self.detractors += other.detractors

    @property
    def score(self) -> Decimal | None:
        """Promoters' share minus detractors' share, in points (-100 to 100)."""
        if not self.answers:
            return None
        exact = Decimal(100 * (self.promoters - self.detractors)) / Decimal(self.answers)
        return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
