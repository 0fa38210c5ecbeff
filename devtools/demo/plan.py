"""The demo data as a plan: every row `seed_demo` writes, computed without touching the database.

The plan is a pure function of the anchor day (the day of the first seeding), the scale and
the gate policy: the same inputs always give the same rows, with the same keys, so writing
it twice creates nothing twice.

Poor products are shaped, day by day, with the gate's own pure step (`gate.policy`), so
that the reviews tell the story each scenario needs (flagged a few days ago, withdrawn,
reinstated after an improvement, recovered once) and every other product never drops
below the threshold. The plan records the events that step predicts; the real engine
(`gate.services`) writes the actual ones from the stored reviews.

Its parts, bottom up: `rows` (the dataclasses and the demo accounts), `scenarios` (the poor
products' stories), `people` (customers, guests, who wrote what), `shaping` (timelines and
the day-by-day shaping), `composing` (review texts), `extras` (unpublished and pending
reviews, votes, reports, replies); this module puts them together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from devtools.demo import texts
from devtools.demo.care import recommend_answers_add
from devtools.demo.catalogue import CATEGORIES, PRODUCTS, CategorySpec, ProductSpec
from devtools.demo.composing import compose_review
from devtools.demo.extras import add_votes, brand_replies, pending_reviews, review_reports, unpublished_reviews
from devtools.demo.orders import OrderPlan, plan_orders
from devtools.demo.people import Authors, demo_customers, guest_name
from devtools.demo.rows import (
    DEMO_ACCOUNTS,
    MANAGER,
    SEED,
    SHOPPER,
    Customer,
    DemoAccount,
    PlannedImprovement,
    PlannedReply,
    PlannedReport,
    PlannedReview,
    local_moment,
    random_moment,
)
from devtools.demo.scenarios import IMPROVEMENT_TEXT, SCENARIOS
from devtools.demo.shaping import (
    HORIZON_DAYS,
    never_below,
    normal_timeline,
    scenario_target,
    scenario_timeline,
    shape_reviews,
)
from gate.policy import GateEvent, GatePolicy
from orders.invitations import invitation_settings
from orders.policy import InvitationSettings

# Published reviews of the products without a scenario, at scale 1.
NORMAL_REVIEWS = 4_480
FRENCH_SHARE = 0.3

ReviewsBySku = dict[str, list[PlannedReview]]


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
    # The orders and invitations that make the verified reviews verified.
    orders: OrderPlan


def build_plan(*, anchor: date, scale: float, policy: GatePolicy, rules: InvitationSettings | None = None) -> DemoPlan:
    """Every row of the demo for a seeding first done on `anchor`, deterministically.

    1. timelines: scenario products by phase, the others spread over their launch period
       with seasons; hand-written reviews (reported ones, the demo shopper's) added;
    2. ratings shaped day by day against each product's gate target;
    3. ids by date, then language, author, text, votes for each review;
    4. unpublished reviews, the moderation queue, reports and brand replies;
    5. the orders and invitations that prove the verified ones (devtools.demo.orders).
    """
    customers = demo_customers()
    authors = Authors(customers)
    # One generator per product, shared by its steps 1 to 3: a product's rows never depend
    # on another product's.
    rngs = {spec.sku: random.Random(f"{SEED}:{spec.sku}") for spec in PRODUCTS}

    # 1. Timelines.
    reviews_by_sku, product_created_at = _timelines(rngs, anchor=anchor, scale=scale, policy=policy)
    _add_hand_written_reviews(reviews_by_sku, authors, anchor=anchor, policy=policy)

    # 2. Shaping.
    improvements = _improvements(anchor=anchor, policy=policy)
    expected = _shape(reviews_by_sku, rngs, anchor=anchor, policy=policy)

    # 3. Ids, people and texts.
    all_reviews = _ids_people_and_texts(
        reviews_by_sku,
        rngs,
        authors,
        product_created_at=product_created_at,
        improvements=improvements,
        policy=policy,
    )

    # 4. Everything around the published reviews.
    specs = {spec.sku: spec for spec in PRODUCTS}
    extra_rng = random.Random(f"{SEED}:extras")
    all_reviews += unpublished_reviews(extra_rng, anchor=anchor, policy=policy, customers=customers, authors=authors)
    all_reviews += pending_reviews(extra_rng, anchor=anchor, policy=policy, authors=authors, specs=specs)
    add_votes(extra_rng, all_reviews, customers)
    reports = review_reports(extra_rng, all_reviews, customers, anchor=anchor, policy=policy)
    replies = brand_replies(extra_rng, all_reviews, specs, anchor=anchor, policy=policy)
    recommend_answers_add(all_reviews, anchor=anchor, policy=policy)

    # 5. Orders and invitations.
    order_plan = plan_orders(
        all_reviews,
        anchor=anchor,
        policy=policy,
        rules=rules or invitation_settings(),
        specs=PRODUCTS,
        product_created_at=product_created_at,
        expected_events=expected,
        account_languages={a.username: a.language for a in DEMO_ACCOUNTS} | {c.username: c.language for c in customers},
    )
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
        orders=order_plan,
    )


def _timelines(
    rngs: dict[str, random.Random], *, anchor: date, scale: float, policy: GatePolicy
) -> tuple[ReviewsBySku, dict[str, datetime]]:
    """Each product's dated, rated reviews, and the moment the product was created."""
    categories = {c.slug: c for c in CATEGORIES}
    normal_popularity = sum(p.popularity for p in PRODUCTS if not p.scenario)
    reviews_by_sku: ReviewsBySku = {}
    product_created_at: dict[str, datetime] = {}
    for spec in PRODUCTS:
        rng = rngs[spec.sku]
        scenario = SCENARIOS.get(spec.sku)
        if scenario is not None:
            reviews = scenario_timeline(spec, scenario, rng, anchor=anchor, policy=policy)
        else:
            count = max(3, round(NORMAL_REVIEWS * spec.popularity / normal_popularity * scale))
            reviews = normal_timeline(spec, categories[spec.category], rng, anchor=anchor, count=count, policy=policy)
        reviews_by_sku[spec.sku] = reviews
        launched = anchor - timedelta(days=min(spec.launched_days_ago, HORIZON_DAYS) + rng.randint(3, 12))
        product_created_at[spec.sku] = local_moment(launched, policy, 9, 0)
    return reviews_by_sku, product_created_at


def _add_hand_written_reviews(
    reviews_by_sku: ReviewsBySku, authors: Authors, *, anchor: date, policy: GatePolicy
) -> None:
    """The reviews that draw reports (written by guests), and the demo shopper's own."""
    special_rng = random.Random(f"{SEED}:special")
    for special in texts.SPECIAL_REVIEWS:
        review = PlannedReview(
            sku=special.sku,
            created_at=random_moment(special_rng, anchor - timedelta(days=special.days_ago), policy),
            rating=special.rating,
            language=special.language,
            title=special.title,
            body=special.body,
            fixed=True,
        )
        review.author, review.author_name = None, guest_name(special_rng, review.language)
        review.source, review.bought = "site", False
        reviews_by_sku[review.sku].append(review)
    for sku, days_ago, rating in (("TRN-3050", 40, 5), ("SNT-3200", 75, 4), ("VLM-7900", 130, 4)):
        review = PlannedReview(
            sku=sku,
            created_at=random_moment(special_rng, anchor - timedelta(days=days_ago), policy),
            rating=rating,
            fixed=True,
            author=SHOPPER,
            author_name="Alex P.",
            source="site",
            bought=True,
        )
        authors.reserve(review, SHOPPER)
        reviews_by_sku[sku].append(review)


def _improvements(*, anchor: date, policy: GatePolicy) -> list[PlannedImprovement]:
    """The improvements the scenarios log, in catalogue order."""
    improvements = []
    for spec in PRODUCTS:
        scenario = SCENARIOS.get(spec.sku)
        if scenario is None or scenario.improvement_days_ago is None:
            continue
        text = IMPROVEMENT_TEXT[spec.sku]
        improvements.append(
            PlannedImprovement(
                sku=spec.sku,
                logged_at=local_moment(anchor - timedelta(days=scenario.improvement_days_ago), policy, 10, 15),
                logged_by=MANAGER,
                description=str(text["description"]),
                public_note=str(text["public_note"]),
                addressed_phrases=tuple(text["phrases"]),
            )
        )
    return improvements


def _shape(
    reviews_by_sku: ReviewsBySku, rngs: dict[str, random.Random], *, anchor: date, policy: GatePolicy
) -> dict[str, list[GateEvent]]:
    """Shapes every product's ratings against its gate target; the events the step predicts."""
    expected: dict[str, list[GateEvent]] = {}
    for spec in PRODUCTS:
        scenario = SCENARIOS.get(spec.sku)
        improvement_day = None
        if scenario is not None and scenario.improvement_days_ago is not None:
            improvement_day = anchor - timedelta(days=scenario.improvement_days_ago)
        events = shape_reviews(
            reviews_by_sku[spec.sku],
            sku=spec.sku,
            policy=policy,
            target=scenario_target(scenario, anchor) if scenario is not None else never_below,
            last_day=anchor - timedelta(days=1),
            rng=rngs[spec.sku],
            improvement_day=improvement_day,
        )
        if events:
            expected[spec.sku] = events
    return expected


def _ids_people_and_texts(
    reviews_by_sku: ReviewsBySku,
    rngs: dict[str, random.Random],
    authors: Authors,
    *,
    product_created_at: dict[str, datetime],
    improvements: list[PlannedImprovement],
    policy: GatePolicy,
) -> list[PlannedReview]:
    """Numbers each product's reviews by date, then gives each a language, an author and a text."""
    all_reviews: list[PlannedReview] = []
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
                age = policy.day_of(review.created_at) - (revised_day if review.revision else launched_day)
                review.title, review.body = compose_review(
                    rng,
                    spec=spec,
                    language=review.language,
                    rating=review.rating,
                    phase=review.phase,
                    age_days=age.days,
                )
            elif review.author == SHOPPER:
                review.title, review.body = compose_review(
                    rng, spec=spec, language="en", rating=review.rating, phase="", age_days=365
                )
            all_reviews.append(review)
    return all_reviews
