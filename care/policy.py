"""Customer care's decisions, pure (no database, the clock passed in): tested alone.

Which review opens a case, the first-contact deadline, and which moves a case may make.
care.services applies them in transactions; the database constraints are the backstop.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

# A rating of this or less is an unhappy review; a recommend answer of this or less is a
# detractor's (the Net Promoter Score's 0 to 6).
UNHAPPY_RATING_MAX = 2
DETRACTOR_MAX = 6
# Sources whose reviews open no case: imported history (an import sends nothing).
SILENT_SOURCES = frozenset({"import"})


class Reason(StrEnum):
    """Mirrors care.models.CaseReason (kept standard-library only here)."""

    LOW_RATING = "low_rating"
    LOW_RECOMMEND = "low_recommend"


def case_reason(*, rating: int, recommend: int | None, employee: bool, source: str) -> Reason | None:
    """Why this published review calls for a follow-up case, or None.

    1 or 2 stars, or a recommend answer of 0 to 6; never an employee review (staff are not
    customers to win back) nor imported history. The low rating is named first when both hold.
    """
    if employee or source in SILENT_SOURCES:
        return None
    if rating <= UNHAPPY_RATING_MAX:
        return Reason.LOW_RATING
    if recommend is not None and recommend <= DETRACTOR_MAX:
        return Reason.LOW_RECOMMEND
    return None


def first_contact_due(opened_at: datetime, *, hours: int) -> datetime:
    """``hours`` of elapsed time after opening, in UTC. (Python adds a timedelta to a local
    time on the wall clock: across a change of clock, 24 hours would be 23 or 25.)"""
    return opened_at.astimezone(UTC) + timedelta(hours=hours)


def time_left(due_at: datetime, *, now: datetime) -> timedelta:
    """Elapsed time until the target, negative once it has passed (in UTC, for the same
    reason: two local times of one zone subtract on the wall clock)."""
    return due_at.astimezone(UTC) - now.astimezone(UTC)


def contacted_in_time(*, first_contact_at: datetime | None, due_at: datetime) -> bool:
    return first_contact_at is not None and first_contact_at <= due_at


class Outcome(StrEnum):
    """Mirrors care.models.CaseOutcome."""

    SOLVED = "solved"
    REFUNDED_REPLACED = "refunded_replaced"
    NO_ANSWER = "no_answer"
    NOT_REACHABLE = "not_reachable"


# Outcomes that say the customer was helped: first-contact resolution counts these.
RESOLVED_OUTCOMES = frozenset({Outcome.SOLVED, Outcome.REFUNDED_REPLACED})


class CloseRefusal(StrEnum):
    ALREADY_CLOSED = "already_closed"
    UNKNOWN_OUTCOME = "unknown_outcome"
    NOT_CONTACTED = "not_contacted"  # solved, refunded or no answer: only after writing to them


def close_refusal(*, state: str, outcome: str, contacted: bool) -> CloseRefusal | None:
    """Why a case cannot close with ``outcome`` now, or None.

    "Not reachable" closes a case care could not write to (no address, an erased customer);
    every other outcome follows at least one message to the customer.
    """
    if state == "closed":
        return CloseRefusal.ALREADY_CLOSED
    if outcome not in set(Outcome):
        return CloseRefusal.UNKNOWN_OUTCOME
    if outcome != Outcome.NOT_REACHABLE and not contacted:
        return CloseRefusal.NOT_CONTACTED
    return None
