"""The one builder of a product's schema.org JSON-LD: the product page embeds it, with the
figures the page and the API show, so they cannot disagree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from gate.policy import average_of
from products.models import Product
from reviews.models import Review
from reviews.selectors import review_list_structured_data

# Google's review snippets need a handful of reviews, not the whole list.
STRUCTURED_DATA_REVIEWS = 5


def product_structured_data(
    product: Product,
    reviews: Iterable[Review] | None = None,
    *,
    url: str = "",
) -> dict[str, Any]:
    """schema.org `Product` with `AggregateRating` and recent `Review`s (Google review snippets).

    Google's rules this follows: the rating is of this product only and matches what the
    page shows (the current revision's average and count, the figures the gate uses);
    `aggregateRating` appears only when there is at least one review; each review names
    its author, date and rating on the 1-5 scale; only published reviews of the current
    revision are marked up, so the sample agrees with the aggregate. `reviews` defaults
    to the most recent of those (one query).
    """
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "sku": product.sku,
    }
    if url:
        data["url"] = url
    if product.description:
        data["description"] = product.description
    if product.image_url:
        data["image"] = product.image_url
    if product.brand:
        data["brand"] = {"@type": "Brand", "name": product.brand}
    average = average_of(count=product.current_count, total=product.current_sum)
    if average is not None:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            # A JSON number with the 4 decimals the gate and the API report.
            "ratingValue": float(average),
            "reviewCount": product.current_count,
            "bestRating": 5,
            "worstRating": 1,
        }
    if reviews is None:
        reviews = review_list_structured_data(product=product, limit=STRUCTURED_DATA_REVIEWS)
    marked_up = [_review_structured_data(review) for review in reviews]
    if marked_up:
        data["review"] = marked_up
    return data


def _review_structured_data(review: Review) -> dict[str, Any]:
    moment = review.published_at or review.created_at
    item: dict[str, Any] = {
        "@type": "Review",
        "author": {"@type": "Person", "name": review.author_name},
        "datePublished": timezone.localdate(moment).isoformat(),
        "reviewRating": {"@type": "Rating", "ratingValue": review.rating, "bestRating": 5, "worstRating": 1},
        "inLanguage": review.language,
    }
    if review.title:
        item["name"] = review.title
    if review.body:
        item["reviewBody"] = review.body
    return item
