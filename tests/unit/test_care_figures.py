"""The care figures and the NPS on hand-made cases, with the clock passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from care.figures import CareCounts, CaseFacts, NpsCounts

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(hours=24)


def facts(*, contact_after: timedelta | None, outcome: str = "", messages: int = 0, **kw: object) -> CaseFacts:
    values: dict[str, object] = {
        "opened_at": T0,
        "due_at": T0 + DAY,
        "first_contact_at": None if contact_after is None else T0 + contact_after,
        "closed_at": T0 + timedelta(days=3) if outcome else None,
        "outcome": outcome,
        "care_messages": messages,
        "effort_score": None,
        "rating_at_open": 1,
        "rating_now": 1,
        "rating_changed_at": None,
    }
    values.update(kw)
    return CaseFacts(**values)  # type: ignore[arg-type]


def test_the_24_hour_share_counts_only_cases_that_are_due_at_the_injected_now() -> None:
    cases = [
        facts(contact_after=timedelta(hours=2)),  # in time
        facts(contact_after=DAY),  # exactly at the target: in time
        facts(contact_after=DAY + timedelta(seconds=1)),  # late
        facts(contact_after=None),  # not contacted: due only once the target has passed
    ]
    before = CareCounts()
    for case in cases:
        before.add(case, now=T0 + timedelta(hours=23))
    assert (before.cases, before.due, before.in_time) == (4, 3, 2)
    assert before.in_time_share == Decimal("66.7")
    after = CareCounts()
    for case in cases:
        after.add(case, now=T0 + DAY + timedelta(seconds=1))
    assert (after.due, after.in_time, after.in_time_share) == (4, 2, Decimal("50.0"))
    # Median of 2 h, 24 h and 24 h 0 min 1 s.
    assert after.median_first_contact_hours == Decimal("24.0")


def test_outcomes_resolution_effort_and_raised_ratings() -> None:
    contact = timedelta(hours=1)
    counts = CareCounts()
    now = T0 + timedelta(days=10)
    for case in [
        facts(contact_after=contact, outcome="solved", messages=1, effort_score=7),
        facts(contact_after=contact, outcome="solved", messages=2, effort_score=4),
        facts(contact_after=contact, outcome="refunded_replaced", messages=1),
        facts(contact_after=contact, outcome="no_answer", messages=1),
        facts(contact_after=None, outcome="not_reachable"),
        facts(contact_after=contact, rating_now=4, rating_changed_at=T0 + timedelta(hours=5)),
        facts(contact_after=contact, rating_now=4, rating_changed_at=T0 + timedelta(minutes=5)),  # before contact
    ]:
        counts.add(case, now=now)
    assert dict(counts.outcomes) == {"solved": 2, "refunded_replaced": 1, "no_answer": 1, "not_reachable": 1}
    assert (counts.first_contact_resolved, counts.closed_contacted) == (2, 4)
    assert counts.first_contact_resolution_share == Decimal("50.0")
    assert (counts.effort_answers, counts.effort_mean) == (2, Decimal("5.50"))
    assert (counts.ratings_raised, counts.contacted, counts.raised_share) == (1, 6, Decimal("16.7"))


def test_no_cases_give_no_figures() -> None:
    counts = CareCounts()
    assert counts.in_time_share is None
    assert counts.median_first_contact_hours is None
    assert counts.first_contact_resolution_share is None
    assert counts.effort_mean is None
    assert counts.raised_share is None


@pytest.mark.parametrize(
    ("answers", "score"),
    [
        ([], None),
        ([10, 9, 8, 7, 6], Decimal("20.0")),  # 2 promoters, 1 detractor of 5
        ([0, 0, 0], Decimal("-100.0")),
        ([9, 10], Decimal("100.0")),
        ([7, 8], Decimal("0.0")),  # passives only
        ([10, 6, 8], Decimal("0.0")),
        ([10, 10, 6], Decimal("33.3")),
    ],
)
def test_nps_on_hand_made_answers(answers: list[int], score: Decimal | None) -> None:
    counts = NpsCounts()
    for answer in answers:
        counts.add(answer)
    assert counts.answers == len(answers)
    assert counts.score == score


def test_nps_merges_and_refuses_answers_outside_0_to_10() -> None:
    left, right = NpsCounts(), NpsCounts()
    left.add(10, count=3)
    right.add(0)
    left.merge(right)
    assert (left.answers, left.promoters, left.detractors, left.score) == (4, 3, 1, Decimal("50.0"))
    with pytest.raises(ValueError, match="0 to 10"):
        left.add(11)


def test_the_first_contact_target_is_24_elapsed_hours_across_a_change_of_clock() -> None:
    from zoneinfo import ZoneInfo

    from care.policy import first_contact_due, time_left

    paris = ZoneInfo("Europe/Paris")
    # The night of 28 to 29 March 2026 has 23 hours in Paris (clocks go forward at 02:00).
    opened = datetime(2026, 3, 28, 12, 0, tzinfo=paris)
    due = first_contact_due(opened, hours=24)
    assert due - opened == DAY
    assert due.astimezone(paris) == datetime(2026, 3, 29, 13, 0, tzinfo=paris)
    assert time_left(due, now=datetime(2026, 3, 29, 12, 0, tzinfo=paris)) == timedelta(hours=1)
