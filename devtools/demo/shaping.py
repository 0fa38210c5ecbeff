"""The review shaping: dated, rated reviews per product, nudged day by day until the gate's
own pure step (`gate.policy`) tells each product's story.

A scenario product must be flagged, withdrawn, reinstated or recovered on its planned days;
every other product must never drop below the threshold. Ratings are drawn at random, then
`shape_reviews` walks the days with `evaluate_day` and moves the few ratings it must.
"""

from __future__ import annotations

import random
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from devtools.demo.catalogue import CategorySpec, ProductSpec
from devtools.demo.rows import PlannedReview, local_moment, random_moment
from devtools.demo.scenarios import Ratings, Scenario
from gate.policy import (
    ACTIVE,
    DayStats,
    GateEvent,
    GatePolicy,
    GateState,
    ProductGateState,
    apply_improvement,
    evaluate_day,
)

# About 18 months of history before the anchor day.
HORIZON_DAYS = 545

_GOOD_MIX = (0.02, 0.03, 0.07, 0.25, 0.63)  # mean 4.44
_MID_MIX = (0.12, 0.13, 0.22, 0.30, 0.23)  # mean 3.39
_BAD_MIX = (0.40, 0.24, 0.18, 0.11, 0.07)  # mean 2.21

# Target: must the product be below on day d (True), must it not be (False), or either (None)?
Target = Callable[[date, ProductGateState], bool | None]


def _rating_weights(mean: float) -> tuple[float, ...]:
    good = min(1.0, max(0.0, (mean - 3.39) / 1.05))
    return tuple(good * g + (1 - good) * m for g, m in zip(_GOOD_MIX, _MID_MIX, strict=True))


def _draw_rating(rng: random.Random, ratings: Ratings) -> int:
    if isinstance(ratings, int):
        return ratings
    weights = _BAD_MIX if ratings == "bad" else _rating_weights(float(ratings))
    return rng.choices((1, 2, 3, 4, 5), weights)[0]


# --- Timelines --------------------------------------------------------------------------
def normal_timeline(
    spec: ProductSpec, category: CategorySpec, rng: random.Random, *, anchor: date, count: int, policy: GatePolicy
) -> list[PlannedReview]:
    start = min(spec.launched_days_ago, HORIZON_DAYS)
    offsets = list(range(start, 0, -1))
    weights = []
    for days_ago in offsets:
        month = (anchor - timedelta(days=days_ago)).month
        age = start - days_ago
        ramp = min(1.0, 0.25 + age / 90)  # a new product gathers reviews slowly
        trend = 0.8 + 0.4 * (1 - days_ago / HORIZON_DAYS)  # the shop grows
        weights.append(category.season[month - 1] * ramp * trend)
    chosen = rng.choices(offsets, weights, k=count)
    return [
        PlannedReview(
            sku=spec.sku,
            created_at=random_moment(rng, anchor - timedelta(days=days_ago), policy),
            rating=_draw_rating(rng, spec.mean),
        )
        for days_ago in chosen
    ]


def scenario_timeline(
    spec: ProductSpec, scenario: Scenario, rng: random.Random, *, anchor: date, policy: GatePolicy
) -> list[PlannedReview]:
    # Scenario days ignore the seasons, so a review's distance from the anchor does not depend
    # on the anchor itself (see ANCHOR_REVIEW).
    reviews = []
    for phase in scenario.phases:
        for _ in range(phase.count):
            days_ago = rng.randint(phase.days_ago_to, phase.days_ago_from)
            reviews.append(
                PlannedReview(
                    sku=spec.sku,
                    created_at=random_moment(rng, anchor - timedelta(days=days_ago), policy),
                    rating=_draw_rating(rng, phase.ratings),
                    phase=phase.flavour,
                    revision=phase.revision,
                )
            )
    return reviews


def scenario_target(scenario: Scenario, anchor: date) -> Target:
    flag_day = anchor - timedelta(days=scenario.flag_days_ago) if scenario.flag_days_ago is not None else None
    recover_day = anchor - timedelta(days=scenario.recover_days_ago) if scenario.recover_days_ago is not None else None
    improved_day = (
        anchor - timedelta(days=scenario.improvement_days_ago) if scenario.improvement_days_ago is not None else None
    )

    def target(day: date, state: ProductGateState) -> bool | None:
        if improved_day is not None and day >= improved_day:
            return False  # the new revision must hold
        if state.state is GateState.WITHDRAWN:
            return None
        if recover_day is not None and day >= recover_day:
            return False
        if flag_day is None:
            # Flagged whenever it first drops below; once flagged it must stay below.
            return True if state.state is GateState.FLAGGED else None
        return day >= flag_day

    return target


def never_below(_day: date, _state: ProductGateState) -> bool:
    return False


# --- Shaping ----------------------------------------------------------------------------
@dataclass
class _CountedReviews:
    """The reviews the gate counts on a day (current revision, inside the window), as running figures."""

    entries: deque[tuple[date, PlannedReview]] = field(default_factory=deque)
    count: int = 0
    total: int = 0

    def clear(self) -> None:
        self.entries.clear()
        self.count = self.total = 0

    def drop_before_window(self, day: date, window_days: int) -> None:
        if not window_days:
            return  # no window: every review of the revision counts
        while self.entries and self.entries[0][0] <= day - timedelta(days=window_days):
            _, leaving = self.entries.popleft()
            self.count -= 1
            self.total -= leaving.rating

    def add(self, day: date, review: PlannedReview) -> None:
        self.entries.append((day, review))
        self.count += 1
        self.total += review.rating

    def is_below(self, policy: GatePolicy) -> bool:
        return policy.is_below(self.count, self.total)


@dataclass
class _ProductDays:
    """One product's reviews by day, and what the shaper needs to add one."""

    sku: str
    reviews: list[PlannedReview]
    policy: GatePolicy
    rng: random.Random
    by_day: dict[date, list[PlannedReview]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for review in self.reviews:
            self.by_day[self.policy.day_of(review.created_at)].append(review)

    def add_review(self, day: date, *, rating: int, revision: int, phase: str) -> PlannedReview:
        added = PlannedReview(
            sku=self.sku,
            created_at=local_moment(
                day, self.policy, self.rng.randint(18, 21), self.rng.randrange(60), self.rng.randrange(60)
            ),
            rating=rating,
            revision=revision,
            phase=phase,
        )
        self.reviews.append(added)
        self.by_day[day].append(added)
        return added


def _meet_target(
    product: _ProductDays,
    counted: _CountedReviews,
    todays: list[PlannedReview],
    *,
    day: date,
    wanted: bool,
    revision: int,
) -> None:
    """Moves the day's ratings one star at a time until the product is below (or not) as wanted.

    The day's lowest ratings go up (or highest down); hand-picked reviews are never changed.
    When the day's own reviews cannot do it, a 1-star (or 5-star) review is added that day.
    """
    adjustable = [r for r in todays if not r.fixed]
    while counted.is_below(product.policy) != wanted:
        if wanted:
            movable = sorted((r for r in adjustable if r.rating > 1), key=lambda r: -r.rating)
        else:
            movable = sorted((r for r in adjustable if r.rating < 5), key=lambda r: r.rating)
        if movable:
            step = -1 if wanted else 1
            movable[0].rating += step
            counted.total += step
            continue
        added = product.add_review(day, rating=1 if wanted else 5, revision=revision, phase="issue" if wanted else "")
        todays.append(added)
        adjustable.append(added)
        counted.add(day, added)


def shape_reviews(
    reviews: list[PlannedReview],
    *,
    sku: str,
    policy: GatePolicy,
    target: Target,
    last_day: date,
    rng: random.Random,
    improvement_day: date | None = None,
) -> list[GateEvent]:
    """Nudges ratings (or adds a review) day by day until each day meets `target`.

    Walks the product's days in order with the gate's pure step, keeping the counted
    reviews (current revision, inside the window) as running figures. On a day where the
    product is below but must not be, the day's lowest ratings go up one star at a time;
    in the opposite case the highest go down; if the day's own reviews cannot do it, a
    5-star (or 1-star) review is added that day. Hand-picked reviews are never changed.
    Returns the events the step produces on the final reviews.
    """
    product = _ProductDays(sku=sku, reviews=reviews, policy=policy, rng=rng)
    if not product.by_day:
        return []
    day = min(product.by_day)
    state: ProductGateState = ACTIVE
    events: list[GateEvent] = []
    counted = _CountedReviews()
    revision = 0
    while day <= last_day:
        if improvement_day is not None and day == improvement_day:
            state, improvement = apply_improvement(state, day=day, product_id=sku)
            events.append(improvement)
            revision += 1
            counted.clear()
        counted.drop_before_window(day, policy.window_days)
        todays = [r for r in product.by_day.get(day, []) if r.revision == revision]
        for review in todays:
            counted.add(day, review)
        wanted = target(day, state)
        if wanted is not None and counted.is_below(policy) != wanted:
            _meet_target(product, counted, todays, day=day, wanted=wanted, revision=revision)
        state, event = evaluate_day(
            state, DayStats(counted.count, counted.total), day=day, product_id=sku, policy=policy
        )
        if event is not None:
            events.append(event)
        day += timedelta(days=1)
    reviews.sort(key=lambda r: r.created_at)
    return events
