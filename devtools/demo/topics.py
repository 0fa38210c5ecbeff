"""The demo's team routing: a logistics team that follows "delivery" everywhere, its member's
account, and a recent review about a late delivery for its next digest (docs/topics.md).

The review is dated the day before the anchor (the first seeding's day), late in the
afternoon, so the digest of the anchor day (``manage.py send_team_digests``, or the 08:00
task when the demo is seeded before 08:00) carries it. Its text says "delivery" plainly:
the seed's tagger (topics.tags.reviews_tag_untagged) tags it like any other review. All
rows are found again by natural keys (the team's name, the username, the review's
external_id): a second run writes nothing.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, time, timedelta

from accounts.models import User
from accounts.roles import COMPANY_READER, user_add_role
from devtools.demo.plan import DemoPlan
from devtools.demo.rows import EMAIL_DOMAIN
from products.models import Product
from reviews.models import Review, ReviewSource, ReviewStatus
from reviews.ratings import product_ratings_recompute
from topics.models import Team, Topic, TopicKey

LOGISTICS_TEAM = "Logistics"
# Signs in like the other demo accounts: username, and password "<username>-demo".
LOGISTICS_USERNAME = "logistics"
LOGISTICS_PASSWORD = "logistics-demo"  # noqa: S105 - the demo's published password, like rows.DEMO_ACCOUNTS
LATE_DELIVERY_REVIEW = "demo-topics-late-delivery"
# A family tent that tells no gate story (not in devtools.demo.scenarios): one 3-star review
# more changes none.
LATE_DELIVERY_SKU = "CFD-4400"
LATE_DELIVERY_AT = time(16, 20)
LATE_DELIVERY_TITLE = "Good tent, very late delivery"
LATE_DELIVERY_BODY = (
    "The tent itself is roomy and was easy to pitch, but the delivery arrived two weeks late, "
    "without any message, and we nearly left for our holiday without it."
)


def _logistics_member(plan: DemoPlan, created: Counter[str]) -> User:
    joined = datetime.combine(plan.anchor - timedelta(days=600), time(0), tzinfo=plan.policy.tzinfo)
    user, made = User.objects.get_or_create(
        username=LOGISTICS_USERNAME,
        defaults={
            "email": f"{LOGISTICS_USERNAME}@{EMAIL_DOMAIN}",
            "first_name": "Lena",
            "last_name": "Brandt",
            "display_name": "Lena B.",
            "language": "en",
            "date_joined": joined,
            "email_verified_at": joined,
        },
    )
    if made:
        # The known password is set once; a password changed since is left alone.
        user.set_password(LOGISTICS_PASSWORD)
        user.save(update_fields=["password"])
        created["accounts"] += 1
    # Reads every product's reviews on the desk, so every link of the digest opens.
    if not user.groups.filter(name=COMPANY_READER).exists():
        user_add_role(user, COMPANY_READER)
    return user


def _late_delivery_review(plan: DemoPlan, created: Counter[str]) -> None:
    if Review.objects.filter(external_id=LATE_DELIVERY_REVIEW).exists():
        return
    product = Product.objects.get(sku=LATE_DELIVERY_SKU)
    at = datetime.combine(plan.anchor - timedelta(days=1), LATE_DELIVERY_AT, tzinfo=plan.policy.tzinfo)
    Review.objects.create(
        product=product,
        author_name="Hannah",
        rating=3,
        title=LATE_DELIVERY_TITLE,
        body=LATE_DELIVERY_BODY,
        language="en",
        revision=product.revision,
        status=ReviewStatus.PUBLISHED,
        source=ReviewSource.SITE,
        external_id=LATE_DELIVERY_REVIEW,
        created_at=at,
        published_at=at,
    )
    product_ratings_recompute(product_ids=[product.pk])
    created["reviews"] += 1


def demo_topics_write(plan: DemoPlan, *, created: Counter[str]) -> None:
    """The logistics team (delivery, every category), its member, the late-delivery review."""
    team, made = Team.objects.get_or_create(name=LOGISTICS_TEAM)
    if made:
        team.topics.add(Topic.objects.get(key=TopicKey.DELIVERY))
        created["teams"] += 1
    team.members.add(_logistics_member(plan, created))
    _late_delivery_review(plan, created)
