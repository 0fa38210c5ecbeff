"""Which reviews are a team's, and which are new for a day's digest (docs/topics.md).

The rule (pure): a review is a team's when it speaks of one of the team's topics (any
topic, when the team names none) in one of its categories (any category, when it names
none). A team naming neither would take every review of the shop: it takes none, and the
admin refuses to save it (topics.admin).

The window (pure): the digest of day D carries the reviews *published* during the local day
before it, [D-1 00:00, D 00:00) in TIME_ZONE. A fixed calendar day rather than "since the
member's last digest" because:
- consecutive windows tile time: every review is in exactly one day's digest, whoever
  reads it and whenever the task runs (08:00, a retry at 08:05, a restart at 14:00, or the
  ``send_team_digests`` command);
- it is the day the desk and the gate count by (local midnight), so "yesterday's reviews"
  in the email are yesterday's on the desk;
- it holds no per-person state: a new member gets the day's reviews, not the history, and
  moving TOPIC_DIGEST_HOUR loses or repeats nothing;
- the day is over when its digest is written, so the tagger (a task on publication) has had
  the night to tag it; what it has not tagged yet (a broker down overnight) the digest run
  tags itself before choosing (topics.digests), so no review misses its teams.

The selector reads the window's counted reviews (published, not an employee's: the reviews
every figure counts), their tags (ReviewTopic) and the teams, and applies the rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.db.models import QuerySet

from reviews.models import Review, counted_q
from topics.models import ReviewTopic, Team, TopicKey

__all__ = [
    "TeamInterest",
    "TeamReviews",
    "digest_day_due",
    "digest_window",
    "digest_window_reviews",
    "link_topic",
    "teams_new_reviews",
]

# The topics in the order pages list them: a review's link filters by the first it shares.
_TOPIC_ORDER = {key: position for position, key in enumerate(TopicKey.values)}


# --- The rule (pure) ----------------------------------------------------------------------
@dataclass(frozen=True)
class TeamInterest:
    """What a team subscribes to: topic keys and category ids (empty: any)."""

    topic_keys: frozenset[str]
    category_ids: frozenset[int]

    @property
    def subscribes(self) -> bool:
        """A team must name a topic or a category: naming neither would be the whole shop."""
        return bool(self.topic_keys or self.category_ids)

    def wants(self, *, topic_keys: Iterable[str], category_id: int | None) -> bool:
        """Is a review speaking of ``topic_keys``, of a product in ``category_id``, this team's?"""
        if not self.subscribes:
            return False
        if self.category_ids and category_id not in self.category_ids:
            return False
        return not self.topic_keys or not self.topic_keys.isdisjoint(topic_keys)


def link_topic(review_topic_keys: Iterable[str], team_topic_keys: frozenset[str]) -> str:
    """The topic a review's desk link filters by: the first (in the pages' order) the review
    shares with the team, or its own first when the team names no topic; "" when the review
    has no tag yet (the link then lists the product's reviews unfiltered)."""
    keys = sorted(review_topic_keys, key=lambda key: _TOPIC_ORDER.get(key, len(_TOPIC_ORDER)))
    shared = [key for key in keys if key in team_topic_keys] if team_topic_keys else keys
    return shared[0] if shared else ""


def digest_window(day: date, *, tz: tzinfo) -> tuple[datetime, datetime]:
    """The publication window of day ``day``'s digest: the local day before, [start, end)."""
    end = datetime.combine(day, time(0), tzinfo=tz)
    start = datetime.combine(day - timedelta(days=1), time(0), tzinfo=tz)
    return start, end


def digest_day_due(now: datetime, *, hour: int, tz: tzinfo) -> date:
    """The latest digest day whose hour has come at ``now``: today from ``hour`` on, else
    yesterday. A run delayed past midnight (a retry, a worker back at 00:30) still writes
    the day it was meant for, never the next one early."""
    local = now.astimezone(tz)
    return local.date() if local.hour >= hour else local.date() - timedelta(days=1)


# --- The selector -------------------------------------------------------------------------
@dataclass(frozen=True)
class TeamReviews:
    """A team's new reviews for a day, oldest first, each with the topic its link filters by."""

    team_id: int
    team_name: str
    reviews: tuple[tuple[int, int, str], ...]  # (review id, product id, link topic key or "")


def digest_window_reviews(day: date, *, tz: tzinfo) -> QuerySet[Review]:
    """The reviews day ``day``'s digest may carry: counted, published in its window."""
    start, end = digest_window(day, tz=tz)
    return Review.objects.filter(counted_q(), published_at__gte=start, published_at__lt=end)


def _window_reviews(day: date, *, tz: tzinfo) -> list[tuple[int, int, int | None]]:
    return list(
        digest_window_reviews(day, tz=tz)
        .order_by("published_at", "pk")
        .values_list("pk", "product_id", "product__category_id")
    )


def _team_interests() -> dict[int, tuple[str, TeamInterest]]:
    teams = Team.objects.prefetch_related("topics", "categories").order_by("name", "pk")
    return {
        team.pk: (
            team.name,
            TeamInterest(
                topic_keys=frozenset(topic.key for topic in team.topics.all()),
                category_ids=frozenset(category.pk for category in team.categories.all()),
            ),
        )
        for team in teams
    }


def teams_new_reviews(*, day: date, tz: tzinfo) -> list[TeamReviews]:
    """Every team with at least one new review in day ``day``'s window (three queries:
    the window's counted reviews, their tags, the teams)."""
    reviews = _window_reviews(day, tz=tz)
    if not reviews:
        return []
    tags: dict[int, set[str]] = defaultdict(set)
    for review_id, key in ReviewTopic.objects.filter(review_id__in=[pk for pk, _, _ in reviews]).values_list(
        "review_id", "topic__key"
    ):
        tags[review_id].add(key)
    found = []
    for team_id, (name, interest) in _team_interests().items():
        picked = tuple(
            (review_id, product_id, link_topic(tags[review_id], interest.topic_keys))
            for review_id, product_id, category_id in reviews
            if interest.wants(topic_keys=tags[review_id], category_id=category_id)
        )
        if picked:
            found.append(TeamReviews(team_id=team_id, team_name=name, reviews=picked))
    return found
