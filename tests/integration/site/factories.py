"""Builders of the shopper's site tests (integration and browser): reviews, replies and
gate states on top of tests/factories.py (users, categories, products; re-exported here).

They write rows directly and then rebuild the products' derived figures with
reviews.ratings.product_ratings_recompute, so a test can set up any status, date or
gate state in one call; behaviour under test always goes through the pages and services.
As the services do, each raises the product's page version (products.page_version), so a
page cached before it is not served after it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from accounts.models import User
from gate.models import GateEvent, Improvement
from gate.policy import EventKind, GateState
from products.models import Product
from products.page_version import page_version_bump
from reviews.models import BrandReply, ReasonCode, Review, ReviewStatus
from reviews.ratings import product_ratings_recompute
from tests import factories
from tests.factories import PASSWORD, category_create, user_create

__all__ = [
    "PASSWORD",
    "brand_reply_create",
    "category_create",
    "gate_event_create",
    "product_create",
    "product_improve",
    "product_withdraw",
    "review_create",
    "reviews_bulk_create",
    "user_create",
]


def product_create(*, brand: str = "Acme", **fields: Any) -> Product:
    """A product of the shop (brand Acme unless said): tests.factories.product_create."""
    return factories.product_create(brand=brand, **fields)


def _review_row(
    *,
    product: Product,
    rating: int,
    author: User | None,
    author_name: str,
    title: str,
    body: str,
    language: str,
    status: str,
    status_reason: str,
    verified_purchase: bool,
    revision: int | None,
    created_at: datetime,
    helpful_yes: int,
    helpful_no: int,
) -> Review:
    return Review(
        product=product,
        author=author,
        author_name=author_name or (author.public_name if author else "Alex"),
        rating=rating,
        title=title,
        body=body,
        language=language,
        revision=product.revision if revision is None else revision,
        status=status,
        status_reason=status_reason,
        verified_purchase=verified_purchase,
        created_at=created_at,
        published_at=created_at if status == ReviewStatus.PUBLISHED else None,
        helpful_yes=helpful_yes,
        helpful_no=helpful_no,
    )


def review_create(
    *,
    product: Product,
    rating: int = 4,
    author: User | None = None,
    author_name: str = "",
    title: str = "Does the job",
    body: str = "Used it every week for a season; no complaints so far.",
    language: str = "en",
    status: str = ReviewStatus.PUBLISHED,
    status_reason: str = "",
    verified_purchase: bool = False,
    revision: int | None = None,
    created_at: datetime | None = None,
    helpful_yes: int = 0,
    helpful_no: int = 0,
) -> Review:
    if status in (ReviewStatus.REJECTED, ReviewStatus.REMOVED) and not status_reason:
        status_reason = ReasonCode.SPAM
    review = _review_row(
        product=product,
        rating=rating,
        author=author,
        author_name=author_name,
        title=title,
        body=body,
        language=language,
        status=status,
        status_reason=status_reason,
        verified_purchase=verified_purchase,
        revision=revision,
        created_at=created_at or timezone.now(),
        helpful_yes=helpful_yes,
        helpful_no=helpful_no,
    )
    review.save()
    product_ratings_recompute(product_ids=[product.pk])
    page_version_bump(product.pk)
    product.refresh_from_db()
    return review


def reviews_bulk_create(
    *,
    product: Product,
    ratings: Sequence[int],
    start: datetime | None = None,
    languages: Iterable[str] = ("en",),
    verified_every: int = 0,
    revision: int | None = None,
) -> list[Review]:
    """Published reviews, one per rating, an hour apart (newest last), in one INSERT."""
    start = start or timezone.now() - timedelta(hours=len(ratings) + 1)
    langs = itertools.cycle(languages)
    rows = [
        _review_row(
            product=product,
            rating=rating,
            author=None,
            author_name=f"Customer {i}",
            title=f"Review number {i}",
            body=f"Review number {i}: it has {rating} stars and enough words to be a review.",
            language=next(langs),
            status=ReviewStatus.PUBLISHED,
            status_reason="",
            verified_purchase=bool(verified_every) and i % verified_every == 0,
            revision=revision,
            created_at=start + timedelta(hours=i),
            helpful_yes=i % 7,
            helpful_no=i % 3,
        )
        for i, rating in enumerate(ratings)
    ]
    created = Review.objects.bulk_create(rows)
    product_ratings_recompute(product_ids=[product.pk])
    page_version_bump(product.pk)
    product.refresh_from_db()
    return created


def brand_reply_create(*, review: Review, author: User, body: str = "Thank you for your feedback.") -> BrandReply:
    now = timezone.now()
    page_version_bump(review.product_id)
    return BrandReply.objects.create(review=review, author=author, body=body, created_at=now, updated_at=now)


def _policy() -> dict[str, Any]:
    return {
        "threshold": settings.GATE_THRESHOLD,
        "grace_days": settings.GATE_GRACE_DAYS,
        "min_reviews": settings.GATE_MIN_REVIEWS,
        "window_days": settings.GATE_WINDOW_DAYS,
        "timezone": settings.TIME_ZONE,
    }


def gate_event_create(*, product: Product, kind: str, day: date, improvement: Improvement | None = None) -> GateEvent:
    page_version_bump(product.pk)
    return GateEvent.objects.create(
        product=product,
        day=day,
        kind=kind,
        average=None if improvement else 2.5,
        count=0 if improvement else 30,
        improvement=improvement,
        policy=_policy(),
    )


def product_withdraw(product: Product, *, on: date, flagged_on: date | None = None) -> Product:
    """Puts the product in the state the gate leaves a withdrawn product in (with its events)."""
    flagged_on = flagged_on or on - timedelta(days=settings.GATE_GRACE_DAYS)
    Product.objects.filter(pk=product.pk).update(
        gate_state=GateState.WITHDRAWN,
        flagged_on=flagged_on,
        withdrawal_deadline=on,
        withdrawn_on=on,
        on_sale=False,
    )
    gate_event_create(product=product, kind=EventKind.FLAGGED, day=flagged_on)
    gate_event_create(product=product, kind=EventKind.WITHDRAWN, day=on)
    product.refresh_from_db()
    return product


def product_improve(product: Product, *, at: datetime | None = None, public_note: str = "") -> Improvement:
    """Logs an improvement as the gate does: new revision, current figures from zero, back on sale."""
    at = at or timezone.now()
    was_withdrawn = product.gate_state == GateState.WITHDRAWN
    revision = product.revision + 1
    improvement = Improvement.objects.create(
        product=product,
        logged_at=at,
        day=timezone.localdate(at),
        revision=revision,
        description="Changed the supplier of the zip.",
        public_note=public_note,
    )
    Product.objects.filter(pk=product.pk).update(
        revision=revision,
        revision_started_at=at,
        gate_state=GateState.ACTIVE,
        flagged_on=None,
        withdrawal_deadline=None,
        withdrawn_on=None,
        on_sale=True,
    )
    gate_event_create(
        product=product,
        kind=EventKind.REINSTATED if was_withdrawn else EventKind.IMPROVED,
        day=improvement.day,
        improvement=improvement,
    )
    product_ratings_recompute(product_ids=[product.pk])
    page_version_bump(product.pk)
    product.refresh_from_db()
    return improvement
