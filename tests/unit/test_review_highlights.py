"""reviews.highlights: the rule that picks the product page's two highlighted reviews (no database)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest

from reviews.highlights import highlights_choose

T0 = datetime(2026, 11, 1, 12, 0)
REVISION = 2


@dataclass(frozen=True)
class Candidate:
    pk: int
    rating: int
    helpful_yes: int = 1
    helpful_no: int = 0
    status: str = "published"
    employee: bool = False
    revision: int = REVISION
    created_at: datetime = T0


def chosen(*reviews: Candidate) -> tuple[int, int] | None:
    pair = highlights_choose(reviews, current_revision=REVISION)
    return None if pair is None else (pair.positive.pk, pair.critical.pk)  # type: ignore[return-value]


def test_positive_is_4_or_5_stars_and_critical_1_to_3() -> None:
    for positive in (4, 5):
        for critical in (1, 2, 3):
            assert chosen(Candidate(1, positive), Candidate(2, critical)) == (1, 2)


def test_none_unless_both_sides_exist() -> None:
    assert chosen(Candidate(1, 5), Candidate(2, 4)) is None
    assert chosen(Candidate(1, 1), Candidate(2, 3)) is None
    assert chosen() is None


def test_most_helpful_votes_win_on_each_side() -> None:
    reviews = (
        Candidate(1, 5, helpful_yes=3),
        Candidate(2, 4, helpful_yes=7, helpful_no=6),
        Candidate(3, 2, helpful_yes=1),
        Candidate(4, 3, helpful_yes=2),
    )
    assert chosen(*reviews) == (2, 4)


def test_equal_votes_go_to_fewer_unhelpful_then_newer_then_later_written() -> None:
    base = Candidate(1, 1, helpful_yes=5, helpful_no=2)
    critical_fewer_no = replace(base, pk=2, helpful_no=1)
    assert chosen(Candidate(9, 5), base, critical_fewer_no) == (9, 2)
    newer = replace(base, pk=3, created_at=T0 + timedelta(days=1))
    assert chosen(Candidate(9, 5), base, newer) == (9, 3)
    same_moment = replace(base, pk=4)
    assert chosen(Candidate(9, 5), same_moment, base) == (9, 4)


@pytest.mark.parametrize(
    "ineligible",
    [
        Candidate(2, 1, helpful_yes=0, helpful_no=0),  # nobody found it helpful
        Candidate(2, 1, helpful_yes=0, helpful_no=3),
        Candidate(2, 1, helpful_yes=50, status="pending"),
        Candidate(2, 1, helpful_yes=50, status="removed"),
        Candidate(2, 1, helpful_yes=50, employee=True),  # counted nowhere, so never put forward
        Candidate(2, 1, helpful_yes=50, revision=REVISION - 1),  # about a previous version
    ],
)
def test_an_ineligible_review_is_never_a_highlight(ineligible: Candidate) -> None:
    positive = Candidate(1, 5)
    assert chosen(positive, ineligible) is None
    # ...even with more votes than the eligible review of its side.
    assert chosen(positive, ineligible, Candidate(3, 2, helpful_yes=1)) == (1, 3)
