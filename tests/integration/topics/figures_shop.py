"""A hand-made shop whose topic figures are counted by hand (tests of the topic API, the desk's
topic page and the key figures' CSV). Tags are written straight into ReviewTopic: the tagger
is tested on its own.

March 2026 (Paris), counted reviews: the tent (Tents, managed by ``manager``) r1 1★ delivery
and service, r2 2★ delivery (negated), r3 5★ quality, r4 4★ untagged, r7 3★ size published
31 March 23:30 (21:30 UTC, summer time: still March); the bag (Bags, nobody's) r5 3★ delivery,
r6 4★ other; a pending bag review tagged delivery (not counted). April: r8 5★ size on the
tent, 1 April 00:30 (30 March 22:30 UTC).

Every product, March: 6 tagged reviews (r4 is not); delivery 3 (50.0%, 2.00, 1 negated),
service 1 (16.7%, 1.00), quality 1 (16.7%, 5.00), size 1 (16.7%, 3.00), other 1 (16.7%,
4.00), price and set-up 0 (0.0%, no average): the shares add up to 116.8. April: 1 tagged,
size 100.0%, 5.00.
The tent only, March: 4 tagged; delivery 2 (50.0%, 1.50, 1 negated), service, quality and
size 1 each (25.0%: 1.00, 5.00, 3.00), other 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER
from products.models import Category, Product
from reviews.models import Review, ReviewStatus
from tests.factories import category_create, product_create, user_create
from tests.integration.desk.factories import add_review
from topics.models import ReviewTopic, Topic

PARIS = ZoneInfo("Europe/Paris")
PERIOD = {"from": "2026-03-01", "to": "2026-04-30"}


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def tag(review: Review, *topics: str, negated: bool = False) -> None:
    for key in topics:
        ReviewTopic.objects.create(
            review=review, topic=Topic.objects.get(key=key), matched=key, negated=negated, tagged_at=timezone.now()
        )


def reviewed(product: Product, rating: int, when: datetime, *topics: str, **options: object) -> Review:
    status = str(options.pop("status", ReviewStatus.PUBLISHED))
    review = add_review(product, rating=rating, published_at=when, status=status)
    tag(review, *topics, negated=bool(options.pop("negated", False)))
    return review


@dataclass
class TopicShop:
    tent: Product
    bag: Product
    tents: Category
    bags: Category
    manager: User


def topic_shop() -> TopicShop:
    manager = user_create(PRODUCT_MANAGER)
    tents, bags = category_create(name="Tents"), category_create(name="Bags")
    tent = product_create(name="Tent", sku="TENT-1", category=tents, managers=[manager])
    bag = product_create(name="Bag", sku="BAG-1", category=bags)
    reviewed(tent, 1, at(3, 3, 10), "delivery", "service")
    reviewed(tent, 2, at(3, 9, 10), "delivery", negated=True)
    reviewed(tent, 5, at(3, 12, 10), "quality")
    reviewed(tent, 4, at(3, 14, 10))
    reviewed(tent, 3, at(3, 31, 23, 30), "size")
    reviewed(bag, 3, at(3, 5, 10), "delivery")
    reviewed(bag, 4, at(3, 20, 10), "other")
    reviewed(bag, 1, at(3, 21, 10), "delivery", status=ReviewStatus.PENDING)
    reviewed(tent, 5, at(4, 1, 0, 30), "size")
    return TopicShop(tent=tent, bag=bag, tents=tents, bags=bags, manager=manager)


def topic(key: str, label: str, reviews: int, share: float | None, average: float | None, negated: int = 0) -> dict:
    return {
        "topic": key,
        "label": label,
        "reviews": reviews,
        "share": share,
        "average_rating": average,
        "negated": negated,
    }


LABELS = {
    "delivery": "Delivery",
    "quality": "Quality and durability",
    "size": "Size and fit",
    "price": "Price and value",
    "service": "Customer service",
    "setup": "Instructions and set-up",
    "other": "Other",
}


def month(key: str, tagged: int, figures: dict[str, tuple[int, float | None, float | None, int]]) -> dict:
    """A month of the API's answer; topics not in ``figures`` have no review."""
    zero_share = 0.0 if tagged else None
    return {
        "month": key,
        "tagged_reviews": tagged,
        "topics": [topic(name, label, *figures.get(name, (0, zero_share, None, 0))) for name, label in LABELS.items()],
    }


EVERY_PRODUCT = [
    month(
        "2026-03",
        6,
        {
            "delivery": (3, 50.0, 2.0, 1),
            "service": (1, 16.7, 1.0, 0),
            "quality": (1, 16.7, 5.0, 0),
            "size": (1, 16.7, 3.0, 0),
            "other": (1, 16.7, 4.0, 0),
        },
    ),
    month("2026-04", 1, {"size": (1, 100.0, 5.0, 0)}),
]
TENT_ONLY = [
    month(
        "2026-03",
        4,
        {
            "delivery": (2, 50.0, 1.5, 1),
            "service": (1, 25.0, 1.0, 0),
            "quality": (1, 25.0, 5.0, 0),
            "size": (1, 25.0, 3.0, 0),
        },
    ),
    month("2026-04", 1, {"size": (1, 100.0, 5.0, 0)}),
]
BAG_ONLY = [
    month("2026-03", 2, {"delivery": (1, 50.0, 3.0, 0), "other": (1, 50.0, 4.0, 0)}),
    month("2026-04", 0, {}),
]
