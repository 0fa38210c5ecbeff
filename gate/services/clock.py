"""The gate's clock: the one lock every writer of gate history takes, and the next day due.

Locking: every writer of gate history (a day's evaluation, an improvement, an import of
improvements or of reviews) works inside one transaction that first locks the ``GateClock``
row (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite every transaction takes the single
write lock at BEGIN, ``transaction_mode=IMMEDIATE``). So they run one at a time, and each
sees what the previous one committed.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Min

from gate.configured import gate_policy_from_settings
from gate.models import GateClock, Improvement
from gate.policy import GatePolicy
from reviews.models import Review, ReviewStatus

__all__ = ["clock_next_day", "gate_clock_locked", "gate_next_day"]






def gate_clock_locked(*, ensure: bool = True) -> GateClock:
    """The GateClock row, locked until the end of the caller's transaction.

    Created on first use (a flushed test database has none); get_or_create copes with two
    first users at once by catching the unique violation and reading the winner's row.
    ``ensure=False`` skips that read when the caller made sure of the row already.
    """
    if ensure:
        GateClock.objects.get_or_create(pk=1)
    return GateClock.objects.select_for_update().get(pk=1)


def _first_day(policy: GatePolicy) -> date | None:
    """A new database starts with the earliest published review or improvement day."""
    first_review = Review.objects.filter(status=ReviewStatus.PUBLISHED).aggregate(m=Min("published_at"))["m"]
    first_improvement = Improvement.objects.aggregate(m=Min("logged_at"))["m"]
    days = [policy.day_of(moment) for moment in (first_review, first_improvement) if moment is not None]
    return min(days, default=None)


def clock_next_day(clock: GateClock, policy: GatePolicy) -> date | None:
    if clock.last_evaluated_day is not None:
        return clock.last_evaluated_day + timedelta(days=1)
    return _first_day(policy)


def gate_next_day(*, policy: GatePolicy | None = None) -> date | None:
    """The next day the engine will evaluate (``None``: nothing stored to evaluate yet)."""
    policy = policy or gate_policy_from_settings()
    clock = GateClock.objects.filter(pk=1).first()
    if clock is None:
        return _first_day(policy)
    return clock_next_day(clock, policy)
