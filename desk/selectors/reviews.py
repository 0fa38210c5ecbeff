"""Reads of what a product's reviews say: the star histogram, the complaint phrases
(core.phrases) and the reviews behind them, narrowed as the manager asks."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from accounts.models import User
from core.phrases import LOW_RATINGS, ComplaintPhrase, ReviewText, complaint_phrases, phrase_matches
from desk.selectors.scope import desk_products
from products.models import STARS, Product
from reviews.models import Review, ReviewStatus

# Praise of similar products that sharpens the complaint phrases of a product with few
# good reviews of its own (see core.phrases).
REFERENCE_REVIEWS = 400
# The complaints of other categories' products that a product's must stand out from
# (core.phrases, contrast b): the most recent ones, so the reading stays one bounded query
# however big the catalogue.
ELSEWHERE_REVIEWS = 600
REVIEW_ORDER = ("rating", "-published_at", "-id")


def review_histogram(*, product: Product, revision: int) -> dict[int, int]:
    """Counted reviews of one revision, by star (one query): the figures shoppers see."""
    counts = dict(
        Review.objects.counted()
        .filter(product=product, revision=revision)
        .order_by()
        .values_list("rating")
        .annotate(n=Count("id"))
        .values_list("rating", "n")
    )
    return {star: counts.get(star, 0) for star in STARS}


def review_text(title: str, body: str) -> str:
    """What the phrase analysis reads of a review: its title as a sentence, then its text."""
    return f"{title}.\n{body}" if title else body


def review_texts(*, product: Product, revision: int) -> list[ReviewText]:
    # Counted only: an employee's words are not a customer's complaint.
    rows = (
        Review.objects.counted()
        .filter(product=product, revision=revision)
        .values_list("pk", "rating", "language", "title", "body")
    )
    return [ReviewText(pk, rating, language, review_text(title, body)) for pk, rating, language, title, body in rows]


def reference_texts(*, product: Product, limit: int = REFERENCE_REVIEWS) -> list[ReviewText]:
    """Recent 4-5 star reviews of other products of the same category (of any product
    when it has none)."""
    others = Review.objects.counted().filter(rating__gte=4).exclude(product=product)
    if product.category_id is not None:
        others = others.filter(product__category_id=product.category_id)
    rows = others.order_by("-published_at", "-id").values_list("pk", "rating", "language", "title", "body")[:limit]
    return [ReviewText(pk, rating, language, review_text(title, body)) for pk, rating, language, title, body in rows]


def elsewhere_complaint_texts(*, product: Product, limit: int = ELSEWHERE_REVIEWS) -> list[ReviewText]:
    """Recent 1-2 star reviews of the products of other categories (products without a
    category count as one): what unhappy customers of anything write. One query."""
    others = Review.objects.counted().filter(rating__in=sorted(LOW_RATINGS))
    if product.category_id is None:
        others = others.filter(product__category__isnull=False)
    else:
        others = others.exclude(product__category_id=product.category_id)
    rows = others.order_by("-published_at", "-id").values_list("pk", "rating", "language", "title", "body")[:limit]
    return [ReviewText(pk, rating, language, review_text(title, body)) for pk, rating, language, title, body in rows]


def product_naming(*, product: Product) -> list[str]:
    """What names the product: its name, brand and category's name (at most one query)."""
    category = product.category
    return [product.name, product.brand, category.name if category is not None else ""]


def product_complaint_phrases(*, product: Product, revision: int) -> list[ComplaintPhrase]:
    """The complaint phrases of a revision's published reviews (core.phrases): said more
    than in its good reviews and than in other categories' complaints. At most four queries."""
    return complaint_phrases(
        review_texts(product=product, revision=revision),
        reference=reference_texts(product=product),
        elsewhere=elsewhere_complaint_texts(product=product),
        naming=product_naming(product=product),
    )


def desk_review_list(
    *,
    product: Product,
    revision: int | None = None,
    stars: Sequence[int] | None = None,
    phrase: str = "",
) -> list[Review]:
    """Published reviews of the product, lowest rating first (then newest), with their
    brand reply; narrowed to a revision, star ratings, and reviews containing a phrase."""
    reviews = Review.objects.filter(product=product, status=ReviewStatus.PUBLISHED).select_related(
        "brand_reply", "brand_reply__author"
    )
    if revision is not None:
        reviews = reviews.filter(revision=revision)
    if stars:
        reviews = reviews.filter(rating__in=list(stars))
    ordered = list(reviews.order_by(*REVIEW_ORDER))
    if phrase:
        ordered = [review for review in ordered if phrase_matches(review_text(review.title, review.body), phrase)]
    return ordered


def desk_review_get(*, user: User | AnonymousUser, pk: int) -> Review:
    """A published review of a product the user may act on (raises Review.DoesNotExist)."""
    return (
        Review.objects.filter(product__in=desk_products(user=user), status=ReviewStatus.PUBLISHED)
        .select_related("product", "brand_reply")
        .get(pk=pk)
    )
