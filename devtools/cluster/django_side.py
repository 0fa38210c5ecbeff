"""What the cluster test does inside Django, run as a process of its own with the cluster's
environment (`python -m devtools.cluster.django_side seed OUT.json` or `... sweep`): the
runner itself never imports Django, so it can start and stop everything around it.

The seed (a few seconds):
* a product manager, a quality director and six shoppers (a year-old, verified accounts:
  the burst rule leaves their reviews alone), one password for all;
* three *scenario* products the shoppers review during the run;
* the gate's history: HISTORY_PRODUCTS products with reviews over the last HISTORY_DAYS
  days (so the gate's day has months to evaluate and can be killed half-way), BAD_PRODUCTS
  of them made to fall below 3/5 six days ago (flagged, then withdrawn after
  GATE_GRACE_DAYS=3: events inside GATE_NOTIFY_DAYS, so they send emails and webhooks);
* a webhook endpoint for every event kind, pointing at the runner's receiver.
Figures are set from the reviews by reviews.ratings.product_ratings_rebuild, as an import does.
"""

# Django's modules are imported inside the functions, after django.setup() in main().
# ruff: noqa: PLC0415

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

HISTORY_PRODUCTS = 240
HISTORY_DAYS = 200
GOOD_REVIEWS_PER_PRODUCT = 30
BAD_PRODUCTS = 5
# A bad product: too few good reviews to be judged (below min_reviews 25), then many 1-star
# reviews on one day six days ago: below from that day on.
BAD_GOOD_REVIEWS = 20
BAD_ONE_STAR_REVIEWS = 40
BAD_DAYS_AGO = 6
SHOPPERS = 6
SCENARIO_PRODUCTS = 3
TEXT = "Sturdy and comfortable, it did what I needed for a whole season of weekly use."


def _user(username: str, password: str, *roles: str):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import user_add_role

    joined = timezone.now() - timedelta(days=365)
    user = User.objects.create_user(
        username=username,
        email=f"{username}@cluster.invalid",
        password=password,
        language="en",
        email_verified_at=joined,
        date_joined=joined,
    )
    for role in roles:
        user_add_role(user, role)
    return user


def _review(product, *, rating: int, at: datetime, n: int):  # type: ignore[no-untyped-def]
    from reviews.models import Review, ReviewStatus

    return Review(
        product=product,
        author=None,
        author_name=f"Shopper {n}",
        rating=rating,
        title=f"Review {n}",
        body=TEXT,
        language="en",
        revision=0,
        status=ReviewStatus.PUBLISHED,
        source="import",
        created_at=at,
        published_at=at,
    )


def seed(out: Path, *, receiver_url: str, password: str) -> dict[str, object]:
    from django.db import transaction

    from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
    from notifications.webhooks import WEBHOOK_EVENT_KINDS, webhook_endpoint_create
    from products.models import Product
    from reviews.models import Review
    from reviews.ratings import product_ratings_rebuild

    # Noon UTC: the same calendar day in Europe/Paris, whatever the season.
    today_noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        manager = _user("manager", password, PRODUCT_MANAGER)
        director = _user("director", password, QUALITY_DIRECTOR)
        shoppers = [_user(f"shopper{i}", password, SHOPPER).username for i in range(1, SHOPPERS + 1)]
        products = []
        for i in range(1, SCENARIO_PRODUCTS + 1):
            products.append(Product(sku=f"CLUSTER-S{i}", name=f"Scenario product {i}", slug=f"scenario-{i}"))
        for i in range(1, HISTORY_PRODUCTS + 1):
            products.append(Product(sku=f"CLUSTER-H{i:04d}", name=f"History product {i}", slug=f"history-{i}"))
        Product.objects.bulk_create(products)
        products = list(Product.objects.filter(sku__startswith="CLUSTER-").order_by("sku"))
        for product in products:
            product.managers.add(manager)
        history = [p for p in products if p.sku.startswith("CLUSTER-H")]
        bad, good = history[:BAD_PRODUCTS], history[BAD_PRODUCTS:]
        reviews, n = [], 0
        for index, product in enumerate(good):
            for k in range(GOOD_REVIEWS_PER_PRODUCT):
                n += 1
                days_ago = 1 + (index * 7 + k * 13) % HISTORY_DAYS
                reviews.append(
                    _review(product, rating=3 + (k + index) % 3, at=today_noon - timedelta(days=days_ago), n=n)
                )
        for product in bad:
            for k in range(BAD_GOOD_REVIEWS):
                n += 1
                days_ago = 20 + (k * 11) % (HISTORY_DAYS - 20)
                reviews.append(_review(product, rating=5, at=today_noon - timedelta(days=days_ago), n=n))
            for _k in range(BAD_ONE_STAR_REVIEWS):
                n += 1
                reviews.append(_review(product, rating=1, at=today_noon - timedelta(days=BAD_DAYS_AGO), n=n))
        Review.objects.bulk_create(reviews, batch_size=2000)
        product_ratings_rebuild(product_ids=[p.pk for p in products])
        _endpoint, secret = webhook_endpoint_create(
            url=receiver_url, events=list(WEBHOOK_EVENT_KINDS), by=director, description="cluster test receiver"
        )
    seeded: dict[str, object] = {
        "manager": manager.username,
        "shoppers": shoppers,
        "scenario_skus": [p.sku for p in products if p.sku.startswith("CLUSTER-S")],
        "bad_skus": [p.sku for p in bad],
        "reviews": len(reviews),
        "products": len(products),
        "webhook_secret": secret,
    }
    out.write_text(json.dumps(seeded))
    return seeded


def sweep() -> list[str]:
    """Queues every outbox sweep of the beat schedule (one per channel once the queues are
    split), as beat would: routed by the app's own routes."""
    # The project's app, loaded by django.setup() (apps never import config/).
    from celery import current_app as app

    names = []
    for entry in app.conf.beat_schedule.values():
        task = str(entry["task"])
        if "outbox" in task and "sweep" in task:
            app.send_task(task, args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
            names.append(task)
    return names


def main(argv: list[str]) -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    if argv[:1] == ["seed"]:
        seeded = seed(Path(argv[1]), receiver_url=os.environ["CLUSTER_RECEIVER_URL"],
                      password=os.environ["CLUSTER_PASSWORD"])  # fmt: skip
        print(f"seeded {seeded['products']} products, {seeded['reviews']} reviews")
        return 0
    if argv[:1] == ["gate"]:
        from gate.tasks import gate_evaluate_task

        gate_evaluate_task.delay()  # routed as beat's would be (the gate's queue)
        print("queued gate_evaluate_task")
        return 0
    if argv[:1] == ["sweep"]:
        print("queued: " + ", ".join(sweep()))
        return 0
    print("usage: python -m devtools.cluster.django_side seed OUT.json | gate | sweep", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
