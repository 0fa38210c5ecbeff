"""The team digests' pure rules (topics.teams): which reviews are a team's, the window a day's
digest reads, and which day a run at a given moment writes (the clock is an argument)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from topics.teams import TeamInterest, digest_day_due, digest_window, link_topic

PARIS = ZoneInfo("Europe/Paris")
TENTS, BIKES = 1, 2


def interest(topics: Iterable[str] = (), categories: Iterable[int] = ()) -> TeamInterest:
    return TeamInterest(topic_keys=frozenset(topics), category_ids=frozenset(categories))


@pytest.mark.parametrize(
    ("team", "review_topics", "category", "wanted"),
    [
        # Topics only: every category.
        (interest({"delivery"}), {"delivery", "quality"}, BIKES, True),
        (interest({"delivery"}), {"quality"}, TENTS, False),
        (interest({"delivery"}), set(), None, False),
        # Categories only: every topic, even a review not tagged yet.
        (interest(categories={TENTS}), {"size"}, TENTS, True),
        (interest(categories={TENTS}), set(), TENTS, True),
        (interest(categories={TENTS}), {"size"}, BIKES, False),
        (interest(categories={TENTS}), {"size"}, None, False),
        # Both: a topic of the team in a category of the team.
        (interest({"size", "setup"}, {TENTS}), {"setup"}, TENTS, True),
        (interest({"size", "setup"}, {TENTS}), {"setup"}, BIKES, False),
        (interest({"size", "setup"}, {TENTS}), {"delivery"}, TENTS, False),
        # Neither: nothing at all (it would be the whole shop).
        (interest(), {"delivery"}, TENTS, False),
        (interest(), set(), None, False),
    ],
)
def test_a_review_is_a_teams_by_its_topics_and_category(
    team: TeamInterest, review_topics: set[str], category: int | None, wanted: bool
) -> None:
    assert team.wants(topic_keys=review_topics, category_id=category) is wanted


def test_a_team_subscribes_only_when_it_names_a_topic_or_a_category() -> None:
    assert [interest().subscribes, interest({"price"}).subscribes, interest(categories={BIKES}).subscribes] == [
        False,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("review_topics", "team_topics", "link"),
    [
        ({"service", "delivery"}, frozenset({"service", "delivery"}), "delivery"),  # the pages' order
        ({"service", "delivery"}, frozenset({"service"}), "service"),  # the team's topic
        ({"size", "quality"}, frozenset(), "quality"),  # no team topic: the review's first
        (set(), frozenset(), ""),  # not tagged yet: the product's reviews unfiltered
    ],
)
def test_the_link_filters_by_the_first_topic_the_review_shares_with_the_team(
    review_topics: set[str], team_topics: frozenset[str], link: str
) -> None:
    assert link_topic(review_topics, team_topics) == link


def test_the_window_is_the_local_day_before_the_digest_day_even_across_a_clock_change() -> None:
    # 29 March 2026: Paris moves from UTC+1 to UTC+2 at 02:00; that day has 23 hours.
    start, end = digest_window(date(2026, 3, 30), tz=PARIS)
    assert (start, end) == (datetime(2026, 3, 29, tzinfo=PARIS), datetime(2026, 3, 30, tzinfo=PARIS))
    assert (start.astimezone(UTC), end.astimezone(UTC)) == (
        datetime(2026, 3, 28, 23, tzinfo=UTC),
        datetime(2026, 3, 29, 22, tzinfo=UTC),
    )
    # Consecutive windows tile time: each review is in exactly one day's digest.
    assert digest_window(date(2026, 3, 31), tz=PARIS)[0] == end


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime(2026, 3, 10, 8, 0, tzinfo=PARIS), date(2026, 3, 10)),  # the beat, on time
        (datetime(2026, 3, 10, 14, 30, tzinfo=PARIS), date(2026, 3, 10)),  # a restart later that day
        (datetime(2026, 3, 10, 7, 59, tzinfo=PARIS), date(2026, 3, 9)),  # before the hour: yesterday's
        (datetime(2026, 3, 11, 0, 30, tzinfo=PARIS), date(2026, 3, 10)),  # a retry past midnight
        # The clock is read in the time zone, not UTC: 23:30 UTC is 00:30 the next day in Paris.
        (datetime(2026, 3, 10, 7, 30, tzinfo=UTC), date(2026, 3, 10)),
        (datetime(2026, 3, 10, 6, 59, tzinfo=UTC), date(2026, 3, 9)),
    ],
)
def test_a_run_writes_the_latest_day_whose_hour_has_come(now: datetime, day: date) -> None:
    assert digest_day_due(now, hour=8, tz=PARIS) == day
