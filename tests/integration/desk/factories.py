"""Builders of the desk's tests (integration and browser): people in their roles,
products with reviews written straight into the table, and products whose notices were
opened by the real gate engine (gate_evaluate_through). People, categories and products
are built by tests/factories.py (user_create and PASSWORD re-exported here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from gate.models import GateEvent, WithdrawalNotice
from gate.policy import EventKind, GateState
from gate.services import gate_evaluate_through, gate_policy_from_settings
from orders.links import review_token
from orders.models import Invitation, InvitationKind
from products.models import Category, Product
from reviews.models import Review, ReviewStatus
from reviews.ratings import product_ratings_recompute
from reviews.services import review_submit
from tests.factories import PASSWORD, category_create, next_number, product_create, user_create
from tests.orders_factories import order_create

__all__ = [
    "DESK_SETTINGS",
    "GUEST_REVIEW_BODY",
    "PARIS",
    "PASSWORD",
    "Stories",
    "Story",
    "add_review",
    "flagged_product_notice",
    "flagged_story",
    "gate_catch_up",
    "guest_review",
    "local_moment",
    "make_category",
    "make_product",
    "similar_praise",
    "story_reload",
    "user_create",
]

PARIS = ZoneInfo("Europe/Paris")

# What low- and high-rated customers of the test products say.
COMPLAINTS_EN = [
    "The zip broke after a week of use.",
    "Water came in through the seams during the first rain, the zip broke too.",
    "The zip broke on the second night and the seams let water in.",
    "Seams let water in and the groundsheet is thin.",
    "The zip broke when I opened the door.",
    "Poles bent in light wind; seams let water in.",
]
COMPLAINTS_FR = [
    "La fermeture éclair a cassé au bout d'une semaine.",
    "La fermeture éclair a cassé dès la deuxième nuit.",
    "Les coutures laissent passer l'eau, la fermeture éclair a cassé.",
]
PRAISE_FR = [
    "Tente spacieuse, facile à monter, restée sèche toute la nuit.",
    "Légère, spacieuse et facile à monter même de nuit.",
]
PRAISE_EN = [
    "Stayed dry all night, easy to pitch and roomy.",
    "Easy to pitch, roomy, and light to carry.",
    "Great value, roomy and easy to pitch in the dark.",
]


# The policy of these tests: 5 reviews are enough to judge, 3 days of grace.
DESK_SETTINGS: dict[str, Any] = {
    "TIME_ZONE": "Europe/Paris",
    "GATE_THRESHOLD": "3.0",
    "GATE_MIN_REVIEWS": 5,
    "GATE_GRACE_DAYS": 3,
    "GATE_WINDOW_DAYS": 365,
    "GATE_NOTIFY_DAYS": 7,
    "SITE_URL": "https://shop.example",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "REVIEWS_PREMODERATION": False,
}


def make_category(name: str = "") -> Category:
    return category_create(name=name or None)


def make_product(*, managers: Sequence[User] = (), category: Category | None = None, **fields: Any) -> Product:
    """A tent (the desk's test products: "Tent 12", TENT-0012, by Quechua unless said)."""
    n = next_number()
    fields.setdefault("sku", f"TENT-{n:04d}")
    fields.setdefault("name", f"Tent {n}")
    fields.setdefault("brand", "Quechua")
    return product_create(slug=f"tent-{n}", category=category, managers=managers, **fields)


def flagged_product_notice(
    *,
    managers: Sequence[User] = (),
    flagged_on: date,
    average: str = "2.5",
    count: int = 30,
    policy: dict[str, Any] | None = None,
    grace_days: int = 30,
) -> WithdrawalNotice:
    """A flagged product (make_product) and the notice the gate opens with it, written straight
    into the tables without a gate run: its FLAGGED event and the open notice, due ``grace_days``
    later. ``policy`` is what the event recorded: none by default, as the events written before
    the policy was stored in full (flagged_story has the real engine open one)."""
    deadline = flagged_on + timedelta(days=grace_days)
    product = make_product(
        managers=managers, gate_state=GateState.FLAGGED, flagged_on=flagged_on, withdrawal_deadline=deadline
    )
    event = GateEvent.objects.create(
        product=product,
        day=flagged_on,
        kind=EventKind.FLAGGED,
        average=Decimal(average),
        count=count,
        policy=policy or {},
    )
    return WithdrawalNotice.objects.create(product=product, flag_event=event, opened_on=flagged_on, deadline=deadline)


def local_moment(days_ago: int, hour: int = 12, *, now: datetime | None = None) -> datetime:
    today = (now or timezone.now()).astimezone(PARIS).date()
    return datetime.combine(today - timedelta(days=days_ago), time(hour, 0), tzinfo=PARIS)


def add_review(
    product: Product,
    *,
    rating: int,
    days_ago: int = 1,
    hour: int = 12,
    text: str = "",
    title: str = "",
    language: str = "en",
    author: User | None = None,
    status: str = ReviewStatus.PUBLISHED,
    verified: bool = False,
    revision: int | None = None,
    published_at: datetime | None = None,
) -> Review:
    """A review written straight into the table (then the product's figures rebuilt)."""
    moment = published_at or local_moment(days_ago, hour)
    review = Review.objects.create(
        product=product,
        author=author,
        author_name=author.public_name if author else f"Customer {next_number()}",
        rating=rating,
        title=title or f"{rating} stars",
        body=text or f"A review with {rating} stars and enough words to read.",
        language=language,
        revision=product.revision if revision is None else revision,
        status=status,
        status_reason="spam" if status in (ReviewStatus.REJECTED, ReviewStatus.REMOVED) else "",
        verified_purchase=verified,
        created_at=moment,
        published_at=moment if status == ReviewStatus.PUBLISHED else None,
    )
    product_ratings_recompute(product_ids=[product.pk])
    product.refresh_from_db()
    return review


@dataclass
class Story:
    product: Product
    notice: WithdrawalNotice
    low: list[Review]
    high: list[Review]


def similar_praise(product: Product, *, reviews: int = 12) -> Product:
    """Good reviews of a similar product (same category): the praise core.phrases adds to a
    product's own few good reviews (3 in English in a story), without which its complaint
    phrases cannot reach z 1.96 (4 of 6 complaints against 0 of 3 good reviews: z 1.72)."""
    similar = make_product(category=product.category)
    for i in range(reviews):
        add_review(similar, rating=5, days_ago=30, text=PRAISE_EN[i % len(PRAISE_EN)])
    return similar


def gate_catch_up() -> None:
    policy = gate_policy_from_settings()
    gate_evaluate_through(through=policy.day_of(timezone.now()) - timedelta(days=1), policy=policy)


def flagged_story(
    *,
    managers: Sequence[User],
    flag_days_ago: int = 2,
    category: Category | None = None,
    catch_up: bool = True,
    **product: Any,
) -> Story:
    """Good reviews 20 days ago (4, 5, 4 in English, 5, 5 in French), then nine complaints
    on the flag day (1, 2, 1, 2, 1, 2 in English, 1, 1, 1 in French): 35 / 14. The gate (min 5 reviews,
    grace 3 days) flags the product that day, and withdraws it 3 days later if the
    complaints keep it below. flag_days_ago=2: open notice; 5: withdrawn.

    The gate never re-evaluates a day: to build several stories, pass catch_up=False to
    all but the last (or call gate_catch_up() once), then read story.notice afresh."""
    item = make_product(managers=managers, category=category, **product)
    high = [
        add_review(item, rating=5 if i % 2 else 4, days_ago=20, hour=9 + i, text=PRAISE_EN[i % len(PRAISE_EN)])
        for i in range(3)
    ]
    high += [
        add_review(item, rating=5, days_ago=20, hour=14 + i, text=text, language="fr")
        for i, text in enumerate(PRAISE_FR)
    ]
    low = [
        add_review(item, rating=1 + (i % 2), days_ago=flag_days_ago, hour=8 + i, text=text)
        for i, text in enumerate(COMPLAINTS_EN)
    ]
    low += [
        add_review(item, rating=1, days_ago=flag_days_ago, hour=16 + i, text=text, language="fr")
        for i, text in enumerate(COMPLAINTS_FR)
    ]
    if not catch_up:
        return Story(product=item, notice=WithdrawalNotice(), low=low, high=high)
    gate_catch_up()
    return story_reload(Story(product=item, notice=WithdrawalNotice(), low=low, high=high))


def story_reload(story: Story) -> Story:
    story.product.refresh_from_db()
    story.notice = WithdrawalNotice.objects.get(product=story.product)
    return story


@dataclass
class Stories:
    open: Story
    withdrawn: Story
    other: Story  # another manager's product, flagged


GUEST_REVIEW_BODY = "The zip broke after a week and water came in through the seams on the first night."


def guest_review(
    product: Product, *, email: str, language: str = "en", title: str = "Leaks", rating: int = 2
) -> Review:
    """A review written through an invitation link by a customer with no account ("Lou
    Bernard" on the order, "Lou" on the review): its author is None, its address is the
    order's customer's only."""
    order = order_create(products=[product], email=email, name="Lou Bernard", language=language)
    assert order.delivered_at is not None
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    line = order.lines.get()
    invitation.lines.add(line)
    review = review_submit(
        product=product,
        author=None,
        author_name="Lou",
        rating=rating,
        title=title,
        body=GUEST_REVIEW_BODY,
        language=language,
        invitation_token=review_token(line.pk),
    )
    assert review.author_id is None and review.order_line_id == line.pk
    return review
