"""The topic figures, defined once, pure (no query, no clock): the desk's topic page,
``GET /api/v1/topic-figures/`` and the key figures' CSV all add their tallies into these counts.

Over the counted reviews published in a period (reviews.models.counted_q) that carry at least
one topic tag (topics.models.ReviewTopic), per group (a month, a product, a KPI row):

* **tagged reviews**: the reviews with at least one topic: the denominator of the shares.
  A review not tagged yet (history before the tagging command ran) is in no share;
* per topic, **reviews**: the reviews tagged with it; **negated**: of those, the tags whose
  match followed a negation ("not comfortable", "pas confortable");
* **share**: reviews / tagged reviews, in percent, one decimal (half to even); None without
  tagged reviews. A review may speak of several topics, so a group's shares may add up to
  more than 100;
* **average rating**: the mean rating of the reviews tagged with the topic, two decimals
  (half to even); None without such reviews.

The selector (topics.selectors) sums the reviews in the database per bucket (a month of the
period) and, for the key figures, per product: the tallies below grow with months, products
and the 7 topics, never with the reviews.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from topics.models import TopicKey

__all__ = [
    "TaggedTally",
    "TopicCounts",
    "TopicFigure",
    "TopicMonth",
    "TopicTally",
    "average_rating",
    "period_months",
    "share_percent",
    "topic_months",
]

TOPIC_KEYS: tuple[str, ...] = tuple(TopicKey.values)  # the order every page and answer lists them in


def share_percent(numerator: int, denominator: int) -> Decimal | None:
    """A percent with one decimal, half to even; None of 0 (care.figures' rule: topics may
    not import care)."""
    if not denominator:
        return None
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


def average_rating(rating_sum: int, reviews: int) -> Decimal | None:
    """A mean rating with two decimals, half to even (the desk's average); None of 0."""
    if not reviews:
        return None
    return (Decimal(rating_sum) / Decimal(reviews)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class TopicTally:
    """The counted reviews of one bucket (and product) tagged with one topic."""

    bucket: int  # an index into the period's buckets (its months, or the whole period)
    topic: str  # a TopicKey value
    reviews: int
    negated: int
    rating_sum: int
    product_id: int | None = None  # when tallied per product


@dataclass(frozen=True)
class TaggedTally:
    """How many counted reviews of one bucket (and product) carry at least one topic."""

    bucket: int
    reviews: int
    product_id: int | None = None


@dataclass(frozen=True)
class TopicFigure:
    """One topic's figures in one group."""

    topic: str
    reviews: int
    negated: int
    share: Decimal | None
    average: Decimal | None

    @property
    def label(self) -> str:
        return str(TopicKey(self.topic).label)


@dataclass
class TopicCounts:
    """The topic counts of a group (a month, a product, a KPI row)."""

    tagged: int = 0
    reviews: Counter[str] = field(default_factory=Counter)
    negated: Counter[str] = field(default_factory=Counter)
    rating_sums: Counter[str] = field(default_factory=Counter)

    def add_tagged(self, tally: TaggedTally) -> None:
        self.tagged += tally.reviews

    def add_topic(self, tally: TopicTally) -> None:
        if tally.topic not in TOPIC_KEYS:
            raise ValueError(f"unknown topic {tally.topic!r}")
        self.reviews[tally.topic] += tally.reviews
        self.negated[tally.topic] += tally.negated
        self.rating_sums[tally.topic] += tally.rating_sum

    def merge(self, other: TopicCounts) -> None:
        """Add another group's counts (groups without a review in common)."""
        self.tagged += other.tagged
        self.reviews.update(other.reviews)
        self.negated.update(other.negated)
        self.rating_sums.update(other.rating_sums)

    def share(self, topic: str) -> Decimal | None:
        return share_percent(self.reviews[topic], self.tagged)

    def average(self, topic: str) -> Decimal | None:
        return average_rating(self.rating_sums[topic], self.reviews[topic])

    def figures(self) -> list[TopicFigure]:
        """Every topic's figures, in TopicKey's order (a topic nobody spoke of: 0 reviews)."""
        return [
            TopicFigure(key, self.reviews[key], self.negated[key], self.share(key), self.average(key))
            for key in TOPIC_KEYS
        ]


def period_months(first: date, last: date) -> list[tuple[date, date]]:
    """The months of ``first .. last``, each as (its first day in the period, the day after
    its last day in the period): the period's buckets by month (desk.kpis.month_buckets
    cuts the key figures' months the same way)."""
    if first > last:
        raise ValueError("the period ends before it starts")
    months = []
    day = first
    while day <= last:
        following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        months.append((day, min(following, last + timedelta(days=1))))
        day = following
    return months


@dataclass(frozen=True)
class TopicMonth:
    """A month of the period (its days in the period: ``start`` .. ``end`` - 1) and its counts."""

    start: date
    end: date
    counts: TopicCounts

    @property
    def key(self) -> str:
        return self.start.strftime("%Y-%m")


def topic_months(
    *, months: Sequence[tuple[date, date]], topics: Iterable[TopicTally], tagged: Iterable[TaggedTally]
) -> list[TopicMonth]:
    """Every month of the period in calendar order, those without tagged reviews included
    (their shares None), the tallies (of any products) added into their bucket's month."""
    found = [TopicMonth(start, end, TopicCounts()) for start, end in months]
    for tally in tagged:
        found[tally.bucket].counts.add_tagged(tally)
    for topic in topics:
        found[topic.bucket].counts.add_topic(topic)
    return found
