"""orders.policy: an order's lifecycle, the frequency caps and what an order owes its
customer, as pure decisions (no database, no clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from orders.policy import (
    Change,
    Decision,
    InvitationSettings,
    LineFacts,
    OrderFacts,
    OrderTimes,
    Owed,
    Refusal,
    cap_allows,
    change_refusal,
    invitation_owed,
)

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


PLACED = OrderTimes(purchased_at=T0)
DELIVERED = OrderTimes(purchased_at=T0, delivered_at=at(2))
CANCELLED = OrderTimes(purchased_at=T0, cancelled_at=at(1))
REFUNDED = OrderTimes(purchased_at=T0, delivered_at=at(2), refunded_at=at(5))


@pytest.mark.parametrize(
    ("times", "change", "when", "expected"),
    [
        (PLACED, Change.DELIVERED, at(2), None),
        (PLACED, Change.CANCELLED, at(1), None),
        (PLACED, Change.REFUNDED, at(3), Refusal.NOT_DELIVERED),
        (PLACED, Change.DELIVERED, at(-1), Refusal.BEFORE_PURCHASE),
        (PLACED, Change.CANCELLED, at(-0.001), Refusal.BEFORE_PURCHASE),
        (PLACED, Change.DELIVERED, T0, None),  # delivered at the moment of purchase: a download
        (DELIVERED, Change.DELIVERED, at(2), None),  # the same time again: nothing changes
        (DELIVERED, Change.DELIVERED, at(3), Refusal.ALREADY_SET),
        (DELIVERED, Change.CANCELLED, at(3), Refusal.DELIVERED),
        (DELIVERED, Change.REFUNDED, at(4), None),
        (DELIVERED, Change.REFUNDED, at(1), Refusal.BEFORE_DELIVERY),
        (CANCELLED, Change.DELIVERED, at(2), Refusal.CANCELLED),
        (CANCELLED, Change.REFUNDED, at(2), Refusal.CANCELLED),
        (CANCELLED, Change.CANCELLED, at(1), None),
        (CANCELLED, Change.CANCELLED, at(2), Refusal.ALREADY_SET),
        (REFUNDED, Change.CANCELLED, at(6), Refusal.REFUNDED),
        (REFUNDED, Change.REFUNDED, at(5), None),
        (REFUNDED, Change.REFUNDED, at(6), Refusal.ALREADY_SET),
        (REFUNDED, Change.DELIVERED, at(2), None),
    ],
)
def test_change_refusal(times: OrderTimes, change: Change, when: datetime, expected: Refusal | None) -> None:
    assert change_refusal(times, change, when) == expected


def test_the_same_moment_in_another_zone_is_the_same_time() -> None:
    assert DELIVERED.delivered_at is not None
    paris = DELIVERED.delivered_at.astimezone(ZoneInfo("Europe/Paris"))
    assert change_refusal(DELIVERED, Change.DELIVERED, paris) is None


NOW = at(100)


@pytest.mark.parametrize(
    ("sent_days_ago", "allowed"),
    [
        ([], True),
        ([6.9], False),  # one in the last 7 days
        ([7], True),  # exactly 7 days ago: out of the window
        ([8, 20], True),  # two in 30 days
        ([8, 20, 29], False),  # three in 30 days
        ([8, 20, 30], True),  # the third exactly 30 days ago: out of the window
        ([31, 40, 50, 60], True),
        ([-1], True),  # a time in the future (clock skew) is not "in the last 7 days"
    ],
)
def test_cap_allows(sent_days_ago: list[float], allowed: bool) -> None:
    sent = [NOW - timedelta(days=days) for days in sent_days_ago]
    assert cap_allows(sent, now=NOW) is allowed


def test_cap_allows_takes_other_caps() -> None:
    sent = [NOW - timedelta(days=1)]
    assert cap_allows(sent, now=NOW, caps=((1, 2),)) is True
    assert cap_allows(sent, now=NOW, caps=((2, 1),)) is False


RULES = InvitationSettings(invite_days=7, reminder_days=7, late_days=30)
LINES = (LineFacts(1, reviewed=False), LineFacts(2, reviewed=True), LineFacts(3, reviewed=False))


def facts(
    times: OrderTimes = DELIVERED,
    *,
    lines: tuple[LineFacts, ...] = LINES,
    invited_at: datetime | None = None,
    reminded: bool = False,
    reachable: bool = True,
) -> OrderFacts:
    return OrderFacts(
        times=times, lines=lines, invitation_sent_at=invited_at, reminder_sent=reminded, customer_reachable=reachable
    )


@pytest.mark.parametrize(
    ("order", "now", "expected"),
    [
        (facts(), at(2 + 6.99), None),  # delivered 2 days after purchase: due at day 9
        (facts(), at(9), Decision(Owed.INVITATION, (1, 3))),  # lists only the unreviewed products
        (facts(), at(9 + 30), Decision(Owed.INVITATION, (1, 3))),  # 30 days late: still sent
        (facts(), at(9 + 30.01), None),  # later: never
        (facts(PLACED), at(50), None),
        (facts(CANCELLED), at(50), None),
        (facts(REFUNDED), at(9), None),
        (facts(reachable=False), at(9), None),
        (facts(lines=(LineFacts(1, reviewed=True),)), at(9), None),
        (facts(invited_at=at(9)), at(15.99), None),
        (facts(invited_at=at(9)), at(16), Decision(Owed.REMINDER, (1, 3))),
        (facts(invited_at=at(9), reminded=True), at(20), None),
        (facts(invited_at=at(9)), at(16 + 30.01), None),
    ],
)
def test_invitation_owed(order: OrderFacts, now: datetime, expected: Decision | None) -> None:
    assert invitation_owed(order, now=now, rules=RULES) == expected
