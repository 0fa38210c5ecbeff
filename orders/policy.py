"""The invitation loop's decisions, pure (no database, no clock: ``now`` is given).

* an order's lifecycle: placed -> delivered -> refunded, or placed -> cancelled; each time
  is set once (a repeated PATCH with the same time changes nothing);
* when an order's invitation falls due, and its reminder;
* the frequency caps: at most one invitation or reminder a customer in 7 days, 3 in 30.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

# (days, most emails in that many days) for one customer.
DEFAULT_CAPS: tuple[tuple[int, int], ...] = ((7, 1), (30, 3))


class Change(StrEnum):
    DELIVERED = "delivered_at"
    CANCELLED = "cancelled_at"
    REFUNDED = "refunded_at"


@dataclass(frozen=True)
class OrderTimes:
    purchased_at: datetime
    delivered_at: datetime | None = None
    cancelled_at: datetime | None = None
    refunded_at: datetime | None = None


class Refusal(StrEnum):
    """Why a change is refused (the API's error code; the message is the caller's)."""

    ALREADY_SET = "already_set"  # set before, to another time
    BEFORE_PURCHASE = "before_purchase"
    BEFORE_DELIVERY = "before_delivery"
    CANCELLED = "order_cancelled"
    DELIVERED = "order_delivered"  # a delivered order is refunded, not cancelled
    NOT_DELIVERED = "order_not_delivered"  # only a delivered order is refunded
    REFUNDED = "order_refunded"


def change_refusal(times: OrderTimes, change: Change, at: datetime) -> Refusal | None:
    """None if setting ``change`` to ``at`` is legal (or changes nothing), else why not."""
    current: datetime | None = getattr(times, change.value)
    if current is not None:
        return None if current == at else Refusal.ALREADY_SET
    if at < times.purchased_at:
        return Refusal.BEFORE_PURCHASE
    if times.cancelled_at is not None:
        return Refusal.CANCELLED
    if change is Change.DELIVERED:
        return Refusal.REFUNDED if times.refunded_at is not None else None
    if change is Change.CANCELLED:
        if times.refunded_at is not None:
            return Refusal.REFUNDED
        return Refusal.DELIVERED if times.delivered_at is not None else None
    if times.delivered_at is None:
        return Refusal.NOT_DELIVERED
    return Refusal.BEFORE_DELIVERY if at < times.delivered_at else None


def invitation_due_at(delivered_at: datetime, *, invite_days: int) -> datetime:
    return delivered_at + timedelta(days=invite_days)


def reminder_due_at(invitation_sent_at: datetime, *, reminder_days: int) -> datetime:
    return invitation_sent_at + timedelta(days=reminder_days)


def too_late(due_at: datetime, *, now: datetime, late_days: int) -> bool:
    """An invitation more than ``late_days`` past due is never sent: an imported year-old
    order, or one held back by the caps for weeks, would ask about a purchase long gone."""
    return now - due_at > timedelta(days=late_days)


def cap_allows(
    sent_times: Iterable[datetime], *, now: datetime, caps: Sequence[tuple[int, int]] = DEFAULT_CAPS
) -> bool:
    """True if one more email to this customer now keeps every cap (``sent_times``: when
    their earlier invitations and reminders went out)."""
    times = list(sent_times)
    for days, most in caps:
        window_start = now - timedelta(days=days)
        if sum(1 for sent in times if window_start < sent <= now) >= most:
            return False
    return True


@dataclass(frozen=True)
class LineFacts:
    line_id: int
    reviewed: bool


@dataclass(frozen=True)
class OrderFacts:
    """What the sweep knows of one order to decide what it owes its customer now."""

    times: OrderTimes
    lines: tuple[LineFacts, ...]
    invitation_sent_at: datetime | None
    reminder_sent: bool
    customer_reachable: bool  # an address, not unsubscribed, not erased


@dataclass(frozen=True)
class InvitationSettings:
    invite_days: int
    reminder_days: int
    late_days: int


class Owed(StrEnum):
    INVITATION = "invitation"
    REMINDER = "reminder"


@dataclass(frozen=True)
class Decision:
    owed: Owed
    line_ids: tuple[int, ...]  # the products the email lists


def invitation_owed(facts: OrderFacts, *, now: datetime, rules: InvitationSettings) -> Decision | None:
    """The email an order owes its customer now, before the caps (cap_allows), or None.

    1. a cancelled or refunded order, an undelivered one, or an unreachable customer: none;
    2. no invitation yet: one listing every product not reviewed yet, from
       ``invite_days`` after delivery, unless it is ``late_days`` past that;
    3. invited, no reminder yet: once ``reminder_days`` have passed since the invitation and
       some product is still not reviewed, one reminder listing only those (a customer who
       reviewed everything is not written to again).
    """
    times = facts.times
    if times.cancelled_at or times.refunded_at or times.delivered_at is None or not facts.customer_reachable:
        return None
    unreviewed = tuple(line.line_id for line in facts.lines if not line.reviewed)
    if not unreviewed:
        return None
    if facts.invitation_sent_at is None:
        due = invitation_due_at(times.delivered_at, invite_days=rules.invite_days)
        if now < due or too_late(due, now=now, late_days=rules.late_days):
            return None
        return Decision(Owed.INVITATION, unreviewed)
    if facts.reminder_sent:
        return None
    due = reminder_due_at(facts.invitation_sent_at, reminder_days=rules.reminder_days)
    if now < due or too_late(due, now=now, late_days=rules.late_days):
        return None
    return Decision(Owed.REMINDER, unreviewed)
