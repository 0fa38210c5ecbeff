"""The demo data as a plan: every row `seed_demo` writes, computed without touching the database.

The plan is a pure function of the anchor day (the day of the first seeding), the scale and
the gate policy: the same inputs always give the same rows, with the same keys, so writing
it twice creates nothing twice.

Poor products are shaped, day by day, with the gate's own pure step (`gate.policy`), so
that the reviews tell the story each scenario needs (flagged a few days ago, withdrawn,
reinstated after an improvement, recovered once) and every other product never drops
below the threshold. The plan records the events that step predicts; the real engine
(`gate.services`) writes the actual ones from the stored reviews.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from devtools.demo import texts
from devtools.demo.catalogue import CATEGORIES, PRODUCTS, CategorySpec, ProductSpec
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

SEED = 7_340_211
# About 18 months of history before the anchor day.
HORIZON_DAYS = 545
# Published reviews of the products without a scenario, at scale 1.
NORMAL_REVIEWS = 4_480
FRENCH_SHARE = 0.3

SHOPPER, MODERATOR, MANAGER, DIRECTOR, ADMIN = "shopper", "moderator", "manager", "director", "admin"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str  # a role of accounts.roles, or "admin" for the superuser
    language: str
    first_name: str
    last_name: str
    display_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(SHOPPER, "shopper-demo", "shopper", "en", "Alex", "Parker", "Alex P."),
    DemoAccount(MODERATOR, "moderator-demo", "moderator", "fr", "Inès", "Moreau", "Inès M."),
    DemoAccount(MANAGER, "manager-demo", "product_manager", "en", "Julia", "Reyes", "Julia R."),
    DemoAccount(DIRECTOR, "director-demo", "quality_director", "fr", "Marc", "Lefèvre", "Marc L."),
    DemoAccount(ADMIN, "admin-demo", ADMIN, "en", "Sam", "Admin", "Sam (admin)"),
)
EMAIL_DOMAIN = "reviewgate.example"


@dataclass(frozen=True)
class Customer:
    """A shopper account that writes and votes on reviews; it has no usable password."""

    username: str
    first_name: str
    last_name: str
    display_name: str
    language: str


@dataclass(slots=True)
class PlannedReview:
    sku: str
    created_at: datetime
    rating: int
    revision: int = 0
    status: str = "published"
    status_reason: str = ""
    language: str = "en"
    author: str | None = None  # an account's username; None for an invited guest
    author_name: str = ""
    title: str = ""
    body: str = ""
    verified: bool = False
    source: str = "invitation"
    # Text flavour: "" (ordinary), "issue" (the product's known defect), "fixed" (after the
    # fix: praise of it, or a low rating for another reason).
    phase: str = ""
    # Rating and text chosen by hand: the shaper and the composer leave them alone.
    fixed: bool = False
    external_id: str = ""
    votes: list[tuple[str, bool]] = field(default_factory=list)
    # When a moderator (or the author) moved it away from published.
    decided_at: datetime | None = None

    @property
    def helpful_yes(self) -> int:
        return sum(1 for _voter, helpful in self.votes if helpful)

    @property
    def helpful_no(self) -> int:
        return sum(1 for _voter, helpful in self.votes if not helpful)


@dataclass(frozen=True)
class PlannedReport:
    review: str  # external_id
    reporter: str
    reason: str
    comment: str
    created_at: datetime
    handled_at: datetime | None = None
    handled_by: str | None = None


@dataclass(frozen=True)
class PlannedReply:
    review: str  # external_id
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class PlannedImprovement:
    sku: str
    logged_at: datetime
    logged_by: str
    description: str
    public_note: str
    addressed_phrases: tuple[str, ...]


@dataclass
class DemoPlan:
    anchor: date
    scale: float
    policy: GatePolicy
    categories: tuple[CategorySpec, ...]
    products: tuple[ProductSpec, ...]
    product_created_at: dict[str, datetime]
    accounts: tuple[DemoAccount, ...]
    customers: list[Customer]
    reviews: list[PlannedReview]
    reports: list[PlannedReport]
    replies: list[PlannedReply]
    improvements: list[PlannedImprovement]
    # What the gate's pure step predicts for each product with any event, in order.
    expected_events: dict[str, list[GateEvent]]

    @property
    def anchor_review_id(self) -> str:
        return ANCHOR_REVIEW


# --- Scenarios --------------------------------------------------------------------------
# A phase: reviews spread evenly over [from, to] days before the anchor (inclusive),
# with ratings drawn from a mean (float), the poor products' distribution ("bad") or
# one fixed rating (int).
Ratings = float | str | int


@dataclass(frozen=True)
class Phase:
    days_ago_from: int
    days_ago_to: int
    count: int
    ratings: Ratings
    flavour: str = ""
    revision: int = 0


# Target: must the product be below on day d (True), must it not be (False), or either (None)?
Target = Callable[[date, ProductGateState], bool | None]


@dataclass(frozen=True)
class Scenario:
    phases: tuple[Phase, ...]
    # Flagged on (days before the anchor); None: when it first drops below on its own.
    flag_days_ago: int | None = None
    # Recovers on (days before the anchor).
    recover_days_ago: int | None = None
    # An improvement logged on (days before the anchor), starting revision 1.
    improvement_days_ago: int | None = None


SCENARIOS: dict[str, Scenario] = {
    # A good shoe until a faulty batch: flagged 3 days before the anchor, deadline to come,
    # so its notice email goes out on the first `make run`.
    "STL-2041": Scenario(
        (
            Phase(300, 46, 38, 3.9),
            Phase(45, 4, 30, "bad", "issue"),
            Phase(3, 3, 3, 1, "issue"),
            Phase(2, 1, 3, "bad", "issue"),
        ),
        flag_days_ago=3,
    ),
    # A lunch box whose lid leaks: flagged 20 days ago, withdrawal 10 days after the anchor.
    "FRN-9410": Scenario(
        (
            Phase(330, 90, 30, 3.7),
            Phase(89, 21, 22, "bad", "issue"),
            Phase(20, 20, 2, 1, "issue"),
            Phase(19, 1, 8, "bad", "issue"),
        ),
        flag_days_ago=20,
    ),
    # A tent that leaked from the start: flagged when it reached the minimum number of
    # reviews, withdrawn 30 days later, months ago.
    "CFD-4102": Scenario((Phase(330, 175, 50, "bad", "issue"),)),
    # Earbuds broken by a firmware update: flagged 36 days ago, withdrawn 6 days ago.
    "ADR-1250": Scenario(
        (
            Phase(220, 70, 34, 3.8),
            Phase(69, 37, 20, "bad", "issue"),
            Phase(36, 36, 3, 1, "issue"),
            Phase(35, 8, 14, "bad", "issue"),
        ),
        flag_days_ago=36,
    ),
    # A light set that drowned in the rain: withdrawn over a year ago, then improved
    # 35 days ago (sealed charging port); the new revision's reviews are good, but for two
    # low-rated ones about other things, so the desk's "did the fix work?" table compares
    # the addressed complaints against real low-rated reviews of the new version.
    "RAY-6500": Scenario(
        (
            Phase(540, 470, 10, 3.4),
            Phase(469, 380, 38, "bad", "issue"),
            Phase(34, 1, 16, 4.5, "fixed", revision=1),
            Phase(30, 6, 2, 2, "fixed", revision=1),
        ),
        improvement_days_ago=35,
    ),
    # A pan with one bad batch of coating: flagged, then recovered 10 days later on a
    # wave of good reviews; fine since.
    "MCV-8128": Scenario(
        (
            Phase(360, 251, 30, 3.8),
            Phase(250, 214, 22, "bad", "issue"),
            Phase(213, 213, 2, 1, "issue"),
            Phase(212, 204, 5, "bad", "issue"),
            Phase(203, 203, 6, 5, "fixed"),
            Phase(202, 1, 55, 4.3, "fixed"),
        ),
        flag_days_ago=213,
        recover_days_ago=203,
    ),
}
# Its first review's day, minus its planned offset, is the anchor of an earlier seeding.
ANCHOR_REVIEW = "demo-STL-2041-0001"

IMPROVEMENT_TEXT = {
    "RAY-6500": {
        "description": "Rear light housing redesigned: the USB-C port now has a hinged silicone cover and the "
        "lens a new gasket (IPX6 instead of IPX4). Battery cells from a second supplier, tested to 500 cycles. "
        "Front strap in a cold-resistant silicone.",
        "public_note": "Since this date the Urban 500 set has a sealed charging port and a new lens gasket, so "
        "rain no longer reaches the battery. Reviews written before it are about the previous version.",
        # What the fix is about, as the previous version's low-rated reviews say it word for
        # word (the desk counts a phrase where its words follow each other in a sentence):
        # the lens, the battery in English and French (phrases the improvement form offers),
        # the charging port and the strap (typed in as free phrases).
        "phrases": ("condensation inside", "battery lasted", "batterie tenait", "usb port", "silicone strap"),
    },
}

_GOOD_MIX = (0.02, 0.03, 0.07, 0.25, 0.63)  # mean 4.44
_MID_MIX = (0.12, 0.13, 0.22, 0.30, 0.23)  # mean 3.39
_BAD_MIX = (0.40, 0.24, 0.18, 0.11, 0.07)  # mean 2.21
_HOURS = tuple(range(7, 24))
_HOUR_WEIGHTS = (1, 2, 3, 3, 3, 4, 4, 3, 3, 3, 4, 5, 6, 7, 7, 5, 3)


def _rating_weights(mean: float) -> tuple[float, ...]:
    good = min(1.0, max(0.0, (mean - 3.39) / 1.05))
    return tuple(good * g + (1 - good) * m for g, m in zip(_GOOD_MIX, _MID_MIX, strict=True))


def _draw_rating(rng: random.Random, ratings: Ratings) -> int:
    if isinstance(ratings, int):
        return ratings
    weights = _BAD_MIX if ratings == "bad" else _rating_weights(float(ratings))
    return rng.choices((1, 2, 3, 4, 5), weights)[0]


def _local(day: date, policy: GatePolicy, hour: int, minute: int, second: int = 0) -> datetime:
    # Hours run from 7 to 23, so no time falls in a daylight-saving gap.
    return datetime.combine(day, time(hour, minute, second), tzinfo=policy.tzinfo)


def _random_moment(rng: random.Random, day: date, policy: GatePolicy) -> datetime:
    hour = rng.choices(_HOURS, _HOUR_WEIGHTS)[0]
    return _local(day, policy, hour, rng.randrange(60), rng.randrange(60))


# --- Timelines --------------------------------------------------------------------------
def _normal_timeline(
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
            created_at=_random_moment(rng, anchor - timedelta(days=days_ago), policy),
            rating=_draw_rating(rng, spec.mean),
        )
        for days_ago in chosen
    ]


def _scenario_timeline(
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
                    created_at=_random_moment(rng, anchor - timedelta(days=days_ago), policy),
                    rating=_draw_rating(rng, phase.ratings),
                    phase=phase.flavour,
                    revision=phase.revision,
                )
            )
    return reviews


def _scenario_target(scenario: Scenario, anchor: date) -> Target:
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


def _never_below(_day: date, _state: ProductGateState) -> bool:
    return False


# --- Shaping ----------------------------------------------------------------------------
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
    by_day: dict[date, list[PlannedReview]] = defaultdict(list)
    for review in reviews:
        by_day[policy.day_of(review.created_at)].append(review)
    if not by_day:
        return []
    day = min(by_day)
    state: ProductGateState = ACTIVE
    events: list[GateEvent] = []
    counted: deque[tuple[date, PlannedReview]] = deque()
    count = total = revision = 0
    while day <= last_day:
        if improvement_day is not None and day == improvement_day:
            state, improvement = apply_improvement(state, day=day, product_id=sku)
            events.append(improvement)
            revision += 1
            counted.clear()
            count = total = 0
        if policy.window_days:
            while counted and counted[0][0] <= day - timedelta(days=policy.window_days):
                _, leaving = counted.popleft()
                count -= 1
                total -= leaving.rating
        todays = [r for r in by_day.get(day, []) if r.revision == revision]
        for review in todays:
            counted.append((day, review))
            count += 1
            total += review.rating
        wanted = target(day, state)
        if wanted is not None and policy.is_below(count, total) != wanted:
            adjustable = [r for r in todays if not r.fixed]
            while policy.is_below(count, total) != wanted:
                if wanted:
                    movable = sorted((r for r in adjustable if r.rating > 1), key=lambda r: -r.rating)
                else:
                    movable = sorted((r for r in adjustable if r.rating < 5), key=lambda r: r.rating)
                if movable:
                    step = -1 if wanted else 1
                    movable[0].rating += step
                    total += step
                    continue
                added = PlannedReview(
                    sku=sku,
                    created_at=_local(day, policy, rng.randint(18, 21), rng.randrange(60), rng.randrange(60)),
                    rating=1 if wanted else 5,
                    revision=revision,
                    phase="issue" if wanted else "",
                )
                reviews.append(added)
                by_day[day].append(added)
                todays.append(added)
                adjustable.append(added)
                counted.append((day, added))
                count += 1
                total += added.rating
        state, event = evaluate_day(state, DayStats(count, total), day=day, product_id=sku, policy=policy)
        if event is not None:
            events.append(event)
        day += timedelta(days=1)
    reviews.sort(key=lambda r: r.created_at)
    return events


# --- Texts ------------------------------------------------------------------------------
def _band(rating: int) -> str:
    return "bad" if rating <= 2 else "mixed" if rating == 3 else "good"


def _fill_values(rng: random.Random, spec: ProductSpec, language: str) -> dict[str, object]:
    return {
        "this": spec.noun.this_en if language == "en" else spec.noun.this_fr,
        "the": spec.noun.the_en if language == "en" else spec.noun.the_fr,
        "weeks": rng.randint(2, 10),
        "few_weeks": rng.randint(2, 4),
        "months": rng.randint(2, 12),
        "km": rng.randrange(80, 620, 10),
        "km_long": rng.randint(18, 32),
        "km_week": rng.randrange(15, 65, 5),
        "km_day": rng.randint(4, 15),
        "size": rng.randint(37, 46),
        "kg": rng.randint(72, 98),
        "kg_pack": rng.randint(8, 16),
        "minutes": rng.choice((5, 8, 10, 12, 15, 20)),
        "n": rng.randint(2, 6),
        "days": rng.randint(2, 5),
        "temp": rng.randint(4, 12),
        "height": rng.randint(58, 89),
        "age": rng.randint(5, 11),
        "place_en": rng.choice(texts.PLACES["en"]),
        "place_fr": rng.choice(texts.PLACES["fr"]),
    }


def _fits(fragment: str, age_days: int) -> bool:
    # "for {months} months" on a product reviewed in its first weeks would not be believable.
    if "{months}" in fragment and age_days < 75:
        return False
    return not ("{weeks}" in fragment and age_days < 30)


# Fragments that talk about the same thing: two of them in one review would repeat or
# contradict each other ("the handle stays cool" ... "the handle gets warm").
_TOPICS = {
    "handle": "handle",
    "poignée": "handle",
    "sole": "sole",
    "semelle": "sole",
    "battery": "battery",
    "batterie": "battery",
    "autonomie": "battery",
    "zip": "zip",
    "fermeture": "zip",
    "bass": "bass",
    "coating": "coating",
    "revêtement": "coating",
    "pegs": "pegs",
    "sardines": "pegs",
    "gears": "gears",
    "vitesses": "gears",
    "derailleur": "gears",
    "dérailleur": "gears",
    "brake": "brakes",
    "frein": "brakes",
    "saddle": "saddle",
    "selle": "saddle",
    "strap": "strap",
    "bretelle": "strap",
    "pocket": "pockets",
    "poches": "pockets",
    "mesh": "mesh",
    "cushioning": "foam",
    "foam": "foam",
    "amorti": "foam",
    "mousse": "foam",
    "size": "size",
    "small": "size",
    "pointure": "size",
    "taille": "size",
    "heel": "heel",
    "talon": "heel",
    "condensation": "condensation",
    "seam": "seams",
    "couture": "seams",
    "cold": "warmth",
    "warm": "warmth",
    "froid": "warmth",
    "chaud": "warmth",
    "heav": "weight",
    "lourd": "weight",
    "light enough": "weight",
    "léger": "weight",
    "dishwasher": "dishwasher",
    "lave-vaisselle": "dishwasher",
    "finish": "finish",
    "finition": "finish",
    "touch": "controls",
    "tactile": "controls",
    "connection": "connection",
    "connexion": "connection",
    "bluetooth": "connection",
    "clean": "clean",
    "nettoyer": "clean",
    "comfortable": "comfort",
    "confortable": "comfort",
    "price": "price",
    "prix": "price",
    "value": "price",
    "delivery": "delivery",
    "delivered": "delivery",
    "livraison": "delivery",
    "sticks": "sticking",
    "attache": "sticking",
    "grip": "grip",
    "accroche": "grip",
    "glisse": "grip",
    "slippery": "grip",
    "mount": "mount",
    "fixation": "mount",
    "fixing": "mount",
    "plastic": "plastic",
    "plastique": "plastic",
    "refund": "refund",
    "rembours": "refund",
}


@functools.cache
def _topics(fragment: str) -> frozenset[str]:
    lowered = fragment.lower()
    return frozenset(topic for word, topic in _TOPICS.items() if word in lowered)


def _pick(rng: random.Random, pool: Sequence[str], k: int, age_days: int, taken: list[str]) -> list[str]:
    """Up to k fragments of `pool`, none repeating a topic of `taken` or of each other."""
    picked: list[str] = []
    for _ in range(k):
        busy = frozenset().union(*(_topics(t) for t in taken + picked))
        usable = [f for f in pool if _fits(f, age_days) and f not in taken + picked and not _topics(f) & busy]
        if not usable:
            break
        picked.append(rng.choice(usable))
    return picked


def compose_review(
    rng: random.Random, *, spec: ProductSpec, language: str, rating: int, phase: str, age_days: int
) -> tuple[str, str]:
    """A title and a body that read like a customer's, from the fragments in `texts`.

    Context first (how they use it), then one or two details for the rating, sometimes a
    word on delivery or value, sometimes a closing line. A complaint about a known defect
    gets the title that names it.
    """
    band = _band(rating)
    details = texts.DETAILS[spec.kind][language]
    issue = texts.ISSUES.get(spec.sku, {}).get(language)
    short = rng.random() < 0.12
    chosen: list[str] = []
    if not short and rng.random() < 0.75:
        contexts = texts.KIDS_CONTEXTS[language] if "Kids" in spec.name else texts.CONTEXTS[spec.category][language]
        chosen += _pick(rng, contexts, 1, age_days, [])
    body: list[str] = []
    title = ""
    if phase == "issue" and rating <= 2 and issue:
        body += _pick(rng, issue["text"], rng.choice((1, 1, 2)), age_days, body)
        if body and rng.random() < 0.7:
            title = issue["title"][issue["text"].index(body[0])]
        if rng.random() < 0.3:
            body += _pick(rng, details["bad"], 1, age_days, body)
    elif phase == "fixed" and rating >= 4 and issue and "fixed" in issue:
        body += _pick(rng, issue["fixed"], rng.choice((1, 2)), age_days, body)
        if rng.random() < 0.6:
            title = rng.choice(issue["fixed_title"])
        if rng.random() < 0.4:
            body += _pick(rng, details["good"], 1, age_days, body)
    elif phase == "fixed" and rating <= 2 and issue and "after" in issue:
        # Unhappy with the new version, for a reason the fix was not about: never the old
        # defect, which the ordinary complaints ("stopped working after the rain") could name.
        body += _pick(rng, issue["after"], rng.choice((1, 1, 2)), age_days, body)
        if body and rng.random() < 0.7:
            title = issue["after_title"][issue["after"].index(body[0])]
    elif rating == 5:
        body += _pick(rng, details["good"], rng.choice((1, 2, 2)), age_days, body)
    elif rating == 4:
        body += _pick(rng, details["good"], 1, age_days, body)
        body += _pick(rng, details["mixed" if rng.random() < 0.45 else "good"], 1, age_days, body)
    elif rating == 3:
        body += _pick(rng, details["good"] if rng.random() < 0.5 else details["mixed"], 1, age_days, body)
        body += _pick(rng, details["mixed"], 1, age_days, body)
    elif rating == 2:
        body += _pick(rng, details["bad"], 1, age_days, body)
        if rng.random() < 0.5:
            body += _pick(rng, details["mixed"], 1, age_days, body)
    else:
        body += _pick(rng, details["bad"], rng.choice((1, 2)), age_days, body)
    if not title:
        kind_titles = texts.KIND_TITLES.get(spec.kind, {}).get(language, {})
        if band in kind_titles and rng.random() < 0.15:
            title = rng.choice(kind_titles[band])
        elif rating == 5 or (rating == 4 and rng.random() < 0.4):
            title = rng.choice(texts.TITLES[language]["great"])
        else:
            title = rng.choice(texts.TITLES[language][band])
    body = body[:1] if short else body
    if not body or (not short and rng.random() < 0.45):
        body += _pick(rng, texts.GENERIC[language][band], 1, age_days, body)
    closers = [c for c in texts.CLOSERS[language][band] if c.rstrip(".!") != title]
    if rng.random() < 0.65:
        body += _pick(rng, closers, 1, age_days, body)
    chosen += body
    values = _fill_values(rng, spec, language)
    return title, " ".join(sentence.format(**values) for sentence in chosen)


# --- People -----------------------------------------------------------------------------
def _customers() -> list[Customer]:
    rng = random.Random(f"{SEED}:customers")
    people = []
    for number in range(60):
        language = "fr" if number % 10 in (1, 4, 7) else "en"
        first = rng.choice(texts.FIRST_NAMES[language])
        initial = rng.choice(texts.LAST_INITIALS)
        ascii_first = first.lower().translate(str.maketrans("éèëêàâîïôöûüç", "eeeeaaiioouuc"))
        people.append(
            Customer(
                username=f"{ascii_first}.{initial.lower()}{number + 11}",
                first_name=first,
                last_name=f"{initial}.",
                display_name=f"{first} {initial}.",
                language=language,
            )
        )
    return people


def _guest_name(rng: random.Random, language: str) -> str:
    first = rng.choice(texts.FIRST_NAMES[language])
    return first if rng.random() < 0.2 else f"{first} {rng.choice(texts.LAST_INITIALS)}."


class _Authors:
    """Hands out authors: an account at most once per product revision, else a guest."""

    def __init__(self, customers: list[Customer]) -> None:
        self.by_language: dict[str, list[Customer]] = defaultdict(list)
        for customer in customers:
            self.by_language[customer.language].append(customer)
        self.display = {c.username: c.display_name for c in customers}
        self.used: set[tuple[str, int, str]] = set()

    def reserve(self, review: PlannedReview, username: str) -> None:
        self.used.add((review.sku, review.revision, username))

    def assign(self, rng: random.Random, review: PlannedReview, *, account_share: float = 0.3) -> None:
        if rng.random() < account_share:
            free = [
                c
                for c in self.by_language[review.language]
                if (review.sku, review.revision, c.username) not in self.used
            ]
            if free:
                customer = rng.choice(free)
                self.reserve(review, customer.username)
                review.author, review.author_name = customer.username, customer.display_name
                review.source, review.verified = "site", rng.random() < 0.55
                return
        review.author, review.author_name = None, _guest_name(rng, review.language)
        review.source, review.verified = "invitation", rng.random() < 0.95


# --- The plan ---------------------------------------------------------------------------
def build_plan(*, anchor: date, scale: float, policy: GatePolicy) -> DemoPlan:
    """Every row of the demo for a seeding first done on `anchor`, deterministically.

    1. timelines: scenario products by phase, the others spread over their launch period
       with seasons; hand-written reviews (reported ones, the demo shopper's) added;
    2. ratings shaped day by day against each product's gate target;
    3. ids by date, then language, author, text, votes for each review;
    4. unpublished reviews, the moderation queue, reports and brand replies.
    """
    categories = {c.slug: c for c in CATEGORIES}
    customers = _customers()
    authors = _Authors(customers)
    last_day = anchor - timedelta(days=1)
    normal_popularity = sum(p.popularity for p in PRODUCTS if not p.scenario)
    reviews_by_sku: dict[str, list[PlannedReview]] = {}
    expected: dict[str, list[GateEvent]] = {}
    improvements: list[PlannedImprovement] = []
    product_created_at: dict[str, datetime] = {}
    rngs = {spec.sku: random.Random(f"{SEED}:{spec.sku}") for spec in PRODUCTS}

    # 1. Timelines.
    for spec in PRODUCTS:
        rng = rngs[spec.sku]
        scenario = SCENARIOS.get(spec.sku)
        if scenario is not None:
            reviews = _scenario_timeline(spec, scenario, rng, anchor=anchor, policy=policy)
        else:
            count = max(3, round(NORMAL_REVIEWS * spec.popularity / normal_popularity * scale))
            reviews = _normal_timeline(spec, categories[spec.category], rng, anchor=anchor, count=count, policy=policy)
        reviews_by_sku[spec.sku] = reviews
        launched = anchor - timedelta(days=min(spec.launched_days_ago, HORIZON_DAYS) + rng.randint(3, 12))
        product_created_at[spec.sku] = _local(launched, policy, 9, 0)

    special_rng = random.Random(f"{SEED}:special")
    for special in texts.SPECIAL_REVIEWS:
        review = PlannedReview(
            sku=special.sku,
            created_at=_random_moment(special_rng, anchor - timedelta(days=special.days_ago), policy),
            rating=special.rating,
            language=special.language,
            title=special.title,
            body=special.body,
            fixed=True,
        )
        review.author, review.author_name = None, _guest_name(special_rng, review.language)
        review.source, review.verified = "invitation", False
        reviews_by_sku[review.sku].append(review)
    for sku, days_ago, rating in (("TRN-3050", 40, 5), ("SNT-3200", 75, 4), ("VLM-7900", 130, 4)):
        review = PlannedReview(
            sku=sku,
            created_at=_random_moment(special_rng, anchor - timedelta(days=days_ago), policy),
            rating=rating,
            fixed=True,
            author=SHOPPER,
            author_name="Alex P.",
            source="site",
            verified=True,
        )
        authors.reserve(review, SHOPPER)
        reviews_by_sku[sku].append(review)

    # 2. Shaping.
    for spec in PRODUCTS:
        scenario = SCENARIOS.get(spec.sku)
        improvement_day = None
        if scenario is not None and scenario.improvement_days_ago is not None:
            improvement_day = anchor - timedelta(days=scenario.improvement_days_ago)
            text = IMPROVEMENT_TEXT[spec.sku]
            improvements.append(
                PlannedImprovement(
                    sku=spec.sku,
                    logged_at=_local(improvement_day, policy, 10, 15),
                    logged_by=MANAGER,
                    description=str(text["description"]),
                    public_note=str(text["public_note"]),
                    addressed_phrases=tuple(text["phrases"]),
                )
            )
        events = shape_reviews(
            reviews_by_sku[spec.sku],
            sku=spec.sku,
            policy=policy,
            target=_scenario_target(scenario, anchor) if scenario is not None else _never_below,
            last_day=last_day,
            rng=rngs[spec.sku],
            improvement_day=improvement_day,
        )
        if events:
            expected[spec.sku] = events

    # 3. Ids, people and texts.
    all_reviews: list[PlannedReview] = []
    specs = {spec.sku: spec for spec in PRODUCTS}
    for spec in PRODUCTS:
        rng = rngs[spec.sku]
        launched_day = product_created_at[spec.sku].date()
        # Reviews of a new revision talk about the improved product, not the old one.
        revised_day = next((i.logged_at.date() for i in improvements if i.sku == spec.sku), launched_day)
        for number, review in enumerate(reviews_by_sku[spec.sku], start=1):
            review.external_id = f"demo-{spec.sku}-{number:04d}"
            if not review.fixed:
                review.language = "fr" if rng.random() < FRENCH_SHARE else "en"
                authors.assign(rng, review)
                review.title, review.body = compose_review(
                    rng,
                    spec=spec,
                    language=review.language,
                    rating=review.rating,
                    phase=review.phase,
                    age_days=(
                        policy.day_of(review.created_at) - (revised_day if review.revision else launched_day)
                    ).days,
                )
            elif review.author == SHOPPER:
                review.title, review.body = compose_review(
                    rng, spec=spec, language="en", rating=review.rating, phase="", age_days=365
                )
            all_reviews.append(review)

    # 4. Everything around the published reviews.
    extra_rng = random.Random(f"{SEED}:extras")
    all_reviews += _unpublished_reviews(extra_rng, anchor=anchor, policy=policy, customers=customers, authors=authors)
    all_reviews += _pending_reviews(extra_rng, anchor=anchor, policy=policy, authors=authors, specs=specs)
    _votes(extra_rng, all_reviews, customers)
    reports = _reports(extra_rng, all_reviews, customers, anchor=anchor, policy=policy)
    replies = _replies(extra_rng, all_reviews, specs, anchor=anchor, policy=policy)
    return DemoPlan(
        anchor=anchor,
        scale=scale,
        policy=policy,
        categories=CATEGORIES,
        products=PRODUCTS,
        product_created_at=product_created_at,
        accounts=DEMO_ACCOUNTS,
        customers=customers,
        reviews=all_reviews,
        reports=reports,
        replies=replies,
        improvements=improvements,
        expected_events=expected,
    )


def _unpublished_reviews(
    rng: random.Random, *, anchor: date, policy: GatePolicy, customers: list[Customer], authors: _Authors
) -> list[PlannedReview]:
    made = []
    for number, row in enumerate(texts.UNPUBLISHED_REVIEWS, start=1):
        created = _random_moment(rng, anchor - timedelta(days=row.days_ago), policy)
        review = PlannedReview(
            sku=row.sku,
            created_at=created,
            rating=row.rating,
            status=row.status,
            status_reason=row.reason,
            language=row.language,
            title=row.title,
            body=row.body,
            fixed=True,
            external_id=f"demo-x-{number:03d}",
            decided_at=created + timedelta(hours=rng.randint(5, 40)),
        )
        if review.status_reason == "author_deleted":
            # Deleted by its author: an account. A removed review frees its author's slot,
            # so no reservation is needed.
            same_language = [c for c in customers if c.language == review.language]
            author = rng.choice(same_language)
            review.author, review.author_name, review.source = author.username, author.display_name, "site"
        else:
            review.author, review.author_name = None, _guest_name(rng, review.language)
        made.append(review)
    return made


def _pending_reviews(
    rng: random.Random, *, anchor: date, policy: GatePolicy, authors: _Authors, specs: dict[str, ProductSpec]
) -> list[PlannedReview]:
    """The moderation queue: recent reviews a moderator has not decided on yet."""
    on_sale = [sku for sku, spec in specs.items() if not spec.scenario]
    made = []
    entries = [(language, entry) for language, rows in texts.PENDING_TEXTS.items() for entry in rows]
    for number, (language, (rating, title, body)) in enumerate(entries, start=1):
        review = PlannedReview(
            sku=rng.choice(on_sale),
            created_at=_random_moment(rng, anchor - timedelta(days=rng.randint(1, 2)), policy),
            rating=rating,
            status="pending",
            language=language,
            title=title,
            body=body,
            fixed=True,
            external_id=f"demo-p-{number:03d}",
        )
        authors.assign(rng, review, account_share=0.6)
        made.append(review)
    mine = PlannedReview(
        sku="CFD-4400",
        created_at=_local(anchor - timedelta(days=1), policy, 20, 42),
        rating=4,
        status="pending",
        language="en",
        title="Roomy and easy to pitch",
        body="Two of us pitched it in fifteen minutes on a windy evening. The living area is huge; "
        "the bedroom curtains are a bit thin.",
        fixed=True,
        author=SHOPPER,
        author_name="Alex P.",
        source="site",
        verified=True,
        external_id=f"demo-p-{len(entries) + 1:03d}",
    )
    authors.reserve(mine, SHOPPER)
    made.append(mine)
    return made


def _votes(rng: random.Random, reviews: list[PlannedReview], customers: list[Customer]) -> None:
    voters = [c.username for c in customers]
    shopper_votes = 0
    for review in reviews:
        if review.status != "published" or rng.random() < 0.55:
            continue
        count = min(len(voters) - 1, 1 + int(rng.expovariate(1 / 3)))
        if review.phase == "issue" and review.rating <= 2:
            count = min(len(voters) - 1, count + rng.randint(2, 9))  # defects draw attention
        yes_share = 0.85 if review.rating in (1, 5) else 0.7
        if review.fixed and review.title and review.author is None and review.rating in (1, 5):
            yes_share = 0.2  # the hand-written reports bait
        pool = [v for v in voters if v != review.author]
        review.votes = [(voter, rng.random() < yes_share) for voter in rng.sample(pool, count)]
        if shopper_votes < 8 and review.author != SHOPPER and review.phase == "issue":
            review.votes.append((SHOPPER, True))
            shopper_votes += 1


_OTHER_COMMENTS = {
    "en": ["Looks like the same text as another review on this page.", "This is about a different product."],
    "fr": ["Même texte qu'un autre avis sur cette page.", "Cet avis parle d'un autre produit."],
}


def _reports(
    rng: random.Random, reviews: list[PlannedReview], customers: list[Customer], *, anchor: date, policy: GatePolicy
) -> list[PlannedReport]:
    reporters = [c.username for c in customers]
    specials = {(s.sku, s.title): s for s in texts.SPECIAL_REVIEWS}
    reports: list[PlannedReport] = []
    for review in reviews:
        special = specials.get((review.sku, review.title)) if review.fixed and review.author is None else None
        if special is not None and review.status == "published":
            reason, comment = special.report
            for reporter in rng.sample(reporters, rng.randint(1, 3)):
                reports.append(
                    PlannedReport(
                        review=review.external_id,
                        reporter=reporter,
                        reason=reason,
                        comment=comment,
                        created_at=review.created_at + timedelta(hours=rng.randint(2, 40)),
                    )
                )
        elif review.status == "rejected" and review.decided_at is not None:
            # The report that led a moderator to reject it.
            reports.append(
                PlannedReport(
                    review=review.external_id,
                    reporter=rng.choice(reporters),
                    reason=review.status_reason,
                    comment="",
                    created_at=review.created_at + (review.decided_at - review.created_at) / 2,
                    handled_at=review.decided_at,
                    handled_by=MODERATOR,
                )
            )
    # Ordinary reviews reported for weak reasons: a few open, a few a moderator kept.
    recent = [
        r
        for r in reviews
        if r.status == "published" and not r.fixed and (anchor - policy.day_of(r.created_at)).days <= 60
    ]
    for number, review in enumerate(rng.sample(recent, 10)):
        reason = rng.choice(("off_topic", "fake", "other", "offensive"))
        comment = rng.choice(_OTHER_COMMENTS[review.language]) if reason == "other" else ""
        reporter = rng.choice([r for r in reporters if r != review.author])
        created = review.created_at + timedelta(hours=rng.randint(3, 72))
        latest = _local(anchor - timedelta(days=1), policy, 23, 0)
        created = min(created, latest)
        handled = number >= 6
        reports.append(
            PlannedReport(
                review=review.external_id,
                reporter=reporter,
                reason=reason,
                comment=comment,
                created_at=created,
                handled_at=min(created + timedelta(hours=rng.randint(4, 30)), latest) if handled else None,
                handled_by=MODERATOR if handled else None,
            )
        )
    return reports


def _replies(
    rng: random.Random, reviews: list[PlannedReview], specs: dict[str, ProductSpec], *, anchor: date, policy: GatePolicy
) -> list[PlannedReply]:
    """The demo product manager answers some reviews of the products they manage."""
    replies = []
    for review in reviews:
        spec = specs[review.sku]
        if not spec.managed or review.status != "published" or review.fixed:
            continue
        if (anchor - policy.day_of(review.created_at)).days < 4:
            continue
        if review.rating <= 2:
            chance = 0.15 if review.phase == "issue" else 0.06
        elif review.rating == 5:
            chance = 0.01
        else:
            continue
        if rng.random() >= chance:
            continue
        if review.phase == "issue" and review.sku in texts.REPLIES:
            template = texts.REPLIES[review.sku][review.language]
        else:
            template = texts.REPLIES["bad" if review.rating <= 2 else "good"][review.language]
        first_name = review.author_name.split(" ")[0]
        replies.append(
            PlannedReply(
                review=review.external_id,
                author=MANAGER,
                body=template.format(name=first_name, brand=spec.brand),
                created_at=review.created_at + timedelta(hours=rng.randint(14, 60)),
            )
        )
    return replies
