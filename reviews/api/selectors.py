"""Reads of reviews shaped for the API (the site's are in reviews.selectors)."""

from __future__ import annotations

from django.db.models import QuerySet

from products.models import Product
from reviews.models import Review
from reviews.selectors import review_list_public


def review_list_api(*, product: Product) -> QuerySet[Review]:
    """A product's published reviews (every revision), newest first, with the product and the
    brand reply joined so a page costs one query whatever its length."""
    return review_list_public(product=product).select_related("product")


def review_published_api() -> QuerySet[Review]:
    return Review.objects.published().select_related("product", "brand_reply").order_by("-created_at", "-id")
