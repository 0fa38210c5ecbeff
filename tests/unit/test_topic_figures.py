"""The topic figures (topics.figures) on hand-made tallies: shares of the tagged reviews (which
may add up to more than 100), average ratings, negations, empty months, and months cut at the
shop's local midnights across daylight-saving changes (topics.selectors.month_bounds)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from topics.figures import (
    TOPIC_KEYS,
    TaggedTally,
    TopicCounts,
    TopicTally,
    average_rating,
    period_months,
    share_percent,
    topic_months,
)
from topics.selectors import month_bounds

PARIS = ZoneInfo("Europe/Paris")


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def test_the_topics_come_in_the_fixed_order_pages_list_them() -> None:
    assert TOPIC_KEYS == ("delivery", "quality", "size", "price", "service", "setup", "other")


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (3, 7, Decimal("42.9")),  # 42.857...
        (1, 8, Decimal("12.5")),  # exact
        (1, 16, Decimal("6.2")),  # 6.25: half to even
        (3, 16, Decimal("18.8")),  # 18.75: half to even
        (0, 5, Decimal("0.0")),
        (0, 0, None),
    ],
)
def test_a_share_is_a_percent_with_one_decimal_half_to_even(
    numerator: int, denominator: int, expected: Decimal | None
) -> None:
    assert share_percent(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("rating_sum", "reviews", "expected"),
    [(11, 3, Decimal("3.67")), (5, 2, Decimal("2.50")), (1, 8, Decimal("0.12")), (3, 8, Decimal("0.38")), (0, 0, None)],
)
def test_an_average_has_two_decimals_half_to_even(rating_sum: int, reviews: int, expected: Decimal | None) -> None:
    assert average_rating(rating_sum, reviews) == expected


def test_shares_count_each_topic_of_a_review_so_they_may_add_up_to_more_than_100() -> None:
    """4 tagged reviews: delivery in 3 (ratings 1, 2, 4; one negated), quality in 2 (5, 4),
    other in 1 (3). 3 + 2 + 1 = 6 tags over 4 reviews: the shares add up to 150."""
    counts = TopicCounts()
    counts.add_tagged(TaggedTally(bucket=0, reviews=4))
    counts.add_topic(TopicTally(bucket=0, topic="delivery", reviews=3, negated=1, rating_sum=7))
    counts.add_topic(TopicTally(bucket=0, topic="quality", reviews=2, negated=0, rating_sum=9))
    counts.add_topic(TopicTally(bucket=0, topic="other", reviews=1, negated=0, rating_sum=3))
    figures = {figure.topic: figure for figure in counts.figures()}
    assert list(figures) == list(TOPIC_KEYS)
    assert (figures["delivery"].share, figures["delivery"].average, figures["delivery"].negated) == (
        Decimal("75.0"),
        Decimal("2.33"),
        1,
    )
    assert (figures["quality"].share, figures["quality"].average) == (Decimal("50.0"), Decimal("4.50"))
    assert (figures["other"].share, figures["other"].average) == (Decimal("25.0"), Decimal("3.00"))
    # A topic nobody spoke of: 0 reviews, a share of 0.0, no average.
    assert (figures["size"].reviews, figures["size"].share, figures["size"].average) == (0, Decimal("0.0"), None)
    assert sum(figure.share or 0 for figure in figures.values()) == Decimal("150.0")
    assert figures["delivery"].label == "Delivery"


def test_groups_merge_by_adding_their_counts() -> None:
    tent, bag = TopicCounts(), TopicCounts()
    tent.add_tagged(TaggedTally(bucket=0, reviews=2, product_id=1))
    tent.add_topic(TopicTally(bucket=0, topic="size", reviews=2, negated=1, rating_sum=3, product_id=1))
    bag.add_tagged(TaggedTally(bucket=0, reviews=3, product_id=2))
    bag.add_topic(TopicTally(bucket=0, topic="size", reviews=1, negated=0, rating_sum=5, product_id=2))
    total = TopicCounts()
    total.merge(tent)
    total.merge(bag)
    assert (total.tagged, total.reviews["size"], total.negated["size"]) == (5, 3, 1)
    assert (total.share("size"), total.average("size")) == (Decimal("60.0"), Decimal("2.67"))


def test_an_unknown_topic_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown topic 'weather'"):
        TopicCounts().add_topic(TopicTally(bucket=0, topic="weather", reviews=1, negated=0, rating_sum=5))


def test_every_month_of_the_period_is_listed_empty_ones_with_no_share() -> None:
    """15 January to 10 April: four months, the first and last cut by the period; tallies in
    January (bucket 0) and March (bucket 2) only."""
    months = period_months(date(2026, 1, 15), date(2026, 4, 10))
    assert months == [
        (date(2026, 1, 15), date(2026, 2, 1)),
        (date(2026, 2, 1), date(2026, 3, 1)),
        (date(2026, 3, 1), date(2026, 4, 1)),
        (date(2026, 4, 1), date(2026, 4, 11)),
    ]
    rows = topic_months(
        months=months,
        topics=[
            TopicTally(bucket=0, topic="price", reviews=1, negated=0, rating_sum=2),
            TopicTally(bucket=2, topic="price", reviews=2, negated=2, rating_sum=3),
            TopicTally(bucket=2, topic="setup", reviews=1, negated=0, rating_sum=4),
        ],
        tagged=[TaggedTally(bucket=0, reviews=1), TaggedTally(bucket=2, reviews=3)],
    )
    assert [row.key for row in rows] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert [row.counts.tagged for row in rows] == [1, 0, 3, 0]
    assert [row.counts.share("price") for row in rows] == [Decimal("100.0"), None, Decimal("66.7"), None]
    assert [row.counts.average("price") for row in rows] == [Decimal("2.00"), None, Decimal("1.50"), None]
    assert rows[2].counts.negated["price"] == 2
    assert all(figure.share is None and figure.reviews == 0 for figure in rows[1].counts.figures())


def test_a_period_across_new_year_and_a_one_day_period() -> None:
    assert period_months(date(2025, 12, 31), date(2026, 1, 1)) == [
        (date(2025, 12, 31), date(2026, 1, 1)),
        (date(2026, 1, 1), date(2026, 1, 2)),
    ]
    assert period_months(date(2026, 2, 28), date(2026, 2, 28)) == [(date(2026, 2, 28), date(2026, 3, 1))]
    with pytest.raises(ValueError):
        period_months(date(2026, 3, 2), date(2026, 3, 1))


@override_settings(TIME_ZONE="Europe/Paris")
def test_months_are_cut_at_local_midnights_across_daylight_saving_changes() -> None:
    """Paris moves its clocks on 29 March (one hour less) and 25 October 2026 (one more): the
    months are calendar months of the shop's zone, not multiples of 24 hours."""
    bounds = month_bounds(period_months(date(2026, 3, 1), date(2026, 10, 31)))
    assert bounds[0] == datetime(2026, 3, 1, tzinfo=PARIS)
    assert bounds[0].utcoffset() == timedelta(hours=1)
    assert bounds[1] == datetime(2026, 4, 1, tzinfo=PARIS) and bounds[1].utcoffset() == timedelta(hours=2)
    # Elapsed time (Python subtracts the wall clocks of two datetimes of one zone: in UTC).
    assert utc(bounds[1]) - utc(bounds[0]) == timedelta(days=31, hours=-1)  # March: 743 hours
    assert bounds[-1] == datetime(2026, 11, 1, tzinfo=PARIS) and bounds[-1].utcoffset() == timedelta(hours=1)
    assert utc(bounds[-1]) - utc(bounds[-2]) == timedelta(days=31, hours=1)  # October: 745 hours
    assert len(bounds) == 9  # eight months, nine cuts
