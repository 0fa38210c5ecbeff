"""Reads of the catalogue, shaped for the pages and the API.

`product_structured_data` is the one builder of a product's schema.org JSON-LD: the
product page embeds it and the API shows the same figures, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from products.models import STARS, Category, GateState, Product, average_or_none

if TYPE_CHECKING:
    from reviews.models import Review

# Google's review snippets need a handful of reviews, not the whole list.
STRUCTURED_DATA_REVIEWS = 5


def product_list_public() -> QuerySet[Product]:
    return Product.objects.select_related("category").order_by("name")


def product_get_public(*, sku: str) -> Product:
    """The product with this SKU (raises Product.DoesNotExist)."""
    return Product.objects.select_related("category").get(sku=sku)


def category_list() -> QuerySet[Category]:
    return Category.objects.order_by("name")


@dataclass(frozen=True)
class StarBar:
    stars: int
    count: int
    percent: int  # of the figures' count, rounded to the nearest whole percent


@dataclass(frozen=True)
class RatingFigures:
    average: Decimal | None
    count: int
    bars: tuple[StarBar, ...]  # 5 stars first, as shoppers read a histogram


@dataclass(frozen=True)
class RatingSummary:
    current: RatingFigures  # the current revision: what the gate and the JSON-LD use
    all_time: RatingFigures  # every published review, earlier versions included
    has_previous_versions: bool


def _figures(total: int, count: int, histogram: dict[int, int]) -> RatingFigures:
    def percent(n: int) -> int:
        return (n * 100 + count // 2) // count if count else 0

    bars = tuple(StarBar(star, histogram[star], percent(histogram[star])) for star in reversed(STARS))
    return RatingFigures(average=average_or_none(total, count), count=count, bars=bars)


def product_rating_summary(product: Product) -> RatingSummary:
    """From the figures stored on the product: no query."""
    return RatingSummary(
        current=_figures(product.current_sum, product.current_count, product.current_histogram),
        all_time=_figures(product.all_time_sum, product.all_time_count, product.all_time_histogram),
        has_previous_versions=product.revision > 0,
    )


@dataclass(frozen=True)
class PublicGateStatus:
    """What a shopper is told about the quality gate on a product page."""

    withdrawn: bool
    withdrawn_on: date | None
    threshold: Decimal
    min_reviews: int
    window_days: int
    grace_days: int
    improved_since: datetime | None  # the current revision's start, when it follows an improvement
    reinstated: bool  # the latest improvement put a withdrawn product back on sale
    improvement_note: str  # the manager's public note about the improvement


def gate_policy_public() -> dict[str, Any]:
    """The gate policy in force, as settings define it (see GATE_SPEC.md)."""
    return {
        "threshold": Decimal(settings.GATE_THRESHOLD),
        "grace_days": settings.GATE_GRACE_DAYS,
        "min_reviews": settings.GATE_MIN_REVIEWS,
        "window_days": settings.GATE_WINDOW_DAYS,
        "timezone": settings.TIME_ZONE,
    }


def product_public_gate_status(product: Product) -> PublicGateStatus:
    """One query at most: the improvement that started the current revision, if any."""
    from gate.models import EventKind, Improvement

    policy = gate_policy_public()
    improvement = None
    if product.revision > 0:
        improvement = (
            Improvement.objects.filter(product=product, revision=product.revision).select_related("event").first()
        )
    reinstated = False
    if improvement is not None:
        event = getattr(improvement, "event", None)
        reinstated = event is not None and event.kind == EventKind.REINSTATED
    return PublicGateStatus(
        withdrawn=product.gate_state == GateState.WITHDRAWN,
        withdrawn_on=product.withdrawn_on,
        threshold=policy["threshold"],
        min_reviews=policy["min_reviews"],
        window_days=policy["window_days"],
        grace_days=policy["grace_days"],
        improved_since=product.revision_started_at if product.revision > 0 else None,
        reinstated=reinstated,
        improvement_note=improvement.public_note if improvement is not None else "",
    )


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
    from reviews.selectors import review_list_structured_data

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
    average = average_or_none(product.current_sum, product.current_count)
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


@dataclass(frozen=True)
class GateFigures:
    """The gate at work, for the transparency page."""

    first_day: date  # figures count events with first_day <= day <= today
    today: date
    flagged: int  # distinct products flagged at least once in the period
    withdrawn: int
    reinstated: int
    recovered: int
    improved: int
    currently_flagged: int
    currently_withdrawn: int


def one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def product_gate_figures(*, today: date | None = None) -> GateFigures:
    """Products flagged, withdrawn, reinstated... in the last 12 months (two queries)."""
    from gate.models import EventKind, GateEvent

    today = today or timezone.localdate()
    since = one_year_before(today)
    per_kind = dict(
        GateEvent.objects.filter(day__gt=since, day__lte=today)
        .values_list("kind")
        .annotate(products=Count("product", distinct=True))
        .order_by()
    )
    now = dict(Product.objects.values_list("gate_state").annotate(n=Count("id")).order_by())
    return GateFigures(
        first_day=since + timedelta(days=1),
        today=today,
        flagged=per_kind.get(EventKind.FLAGGED, 0),
        withdrawn=per_kind.get(EventKind.WITHDRAWN, 0),
        reinstated=per_kind.get(EventKind.REINSTATED, 0),
        recovered=per_kind.get(EventKind.RECOVERED, 0),
        improved=per_kind.get(EventKind.IMPROVED, 0),
        currently_flagged=now.get(GateState.FLAGGED, 0),
        currently_withdrawn=now.get(GateState.WITHDRAWN, 0),
    )
