"""Reads of the catalogue shaped for the API (the site's reads are in products.selectors)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max, QuerySet
from django.utils import timezone

from products.models import Product
from products.selectors import product_list_public
from products.translated import localized

# A row's updated_at is stamped before its transaction commits; the feed leaves out the
# last few seconds so that a slow transaction cannot commit a stamp behind a cursor a
# client has already passed. Tests set it to 0.
RATINGS_FEED_SETTLE_SECONDS_DEFAULT = 10

RATING_FEED_FIELDS = (
    "id",
    "sku",
    "gate_state",
    "on_sale",
    "revision",
    "current_count",
    "current_sum",
    "all_time_count",
    "all_time_sum",
    "updated_at",
)


def product_list_api() -> QuerySet[Product]:
    """The catalogue with its category (one join), name order with the id as tie-breaker.

    `name_shown` is the name in the request's language as `name` reads it (English when
    none is written), so that `?ordering=name` agrees with the names returned."""
    return product_list_public().annotate(name_shown=localized("name")).order_by("name_shown", "pk")


def product_ratings_feed(*, now: datetime | None = None) -> QuerySet[Product]:
    """Every product's figures that have settled, for the (updated_at, id) keyset feed."""
    settle = getattr(settings, "API_RATINGS_FEED_SETTLE_SECONDS", RATINGS_FEED_SETTLE_SECONDS_DEFAULT)
    settled_before = (now or timezone.now()) - timedelta(seconds=settle)
    return Product.objects.filter(updated_at__lte=settled_before).only(*RATING_FEED_FIELDS).order_by("updated_at", "pk")


def latest_updated_at(products: QuerySet[Product]) -> datetime | None:
    """The latest change among `products`: a list's Last-Modified. Lists use the whole
    catalogue, not the page, since a product leaving a filtered list changes it too."""
    value: datetime | None = products.order_by().aggregate(latest=Max("updated_at"))["latest"]
    return value
