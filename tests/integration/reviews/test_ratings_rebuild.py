"""reviews.ratings.product_ratings_rebuild: the set-based rebuild gives the figures the
product-by-product repair (product_ratings_recompute) gives, and gate.policy's average."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models import F

from gate.policy import average_of
from products.models import ALL_TIME_HISTOGRAM, CURRENT_HISTOGRAM, Product
from reviews.models import ReasonCode, Review, ReviewStatus
from reviews.ratings import product_ratings_rebuild, product_ratings_recompute
from tests.factories import product_create

pytestmark = pytest.mark.django_db

FIGURES = (
    "all_time_count",
    "all_time_sum",
    "current_count",
    "current_sum",
    *ALL_TIME_HISTOGRAM,
    *CURRENT_HISTOGRAM,
    "current_average",
)
START = datetime(2024, 1, 1, tzinfo=UTC)


def reviews_add(
    product: Product, ratings: list[int], *, status: str = ReviewStatus.PUBLISHED, revision: int = 0
) -> None:
    published = status == ReviewStatus.PUBLISHED
    reason = "" if status in (ReviewStatus.PUBLISHED, ReviewStatus.PENDING) else ReasonCode.SPAM
    Review.objects.bulk_create(
        Review(
            product=product,
            author_name="Tester",
            rating=rating,
            status=status,
            status_reason=reason,
            revision=revision,
            created_at=START + timedelta(hours=number),
            published_at=START + timedelta(hours=number) if published else None,
        )
        for number, rating in enumerate(ratings)
    )


def figures(product_ids: list[int]) -> dict[int, tuple[object, ...]]:
    return {row[0]: row[1:] for row in Product.objects.filter(pk__in=product_ids).values_list("pk", *FIGURES)}


def figures_zeroed(product_ids: list[int]) -> None:
    zero = dict.fromkeys(FIGURES, 0)
    Product.objects.filter(pk__in=product_ids).update(**{**zero, "current_average": None})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rebuild_gives_the_figures_the_product_by_product_repair_gives(seed: int) -> None:
    rng = random.Random(seed)
    products = [product_create(revision=rng.randrange(3)) for _ in range(25)]
    for product in products:
        for status in ReviewStatus.values:
            ratings = [rng.randint(1, 5) for _ in range(rng.choice((0, 1, 3, 17)))]
            reviews_add(product, ratings, status=status, revision=rng.randrange(3))
    ids = [product.pk for product in products]

    figures_zeroed(ids)
    assert product_ratings_rebuild(product_ids=ids) == len(ids)
    rebuilt = figures(ids)
    figures_zeroed(ids)
    product_ratings_recompute(product_ids=ids)

    assert rebuilt == figures(ids)
    assert product_ratings_recompute(product_ids=ids) == []
    assert any(row[0] for row in rebuilt.values())


def test_the_average_rounds_half_to_even_as_the_gates_average() -> None:
    # 33 / 32 = 1.03125 and 35 / 32 = 1.09375: exactly halfway at the fifth decimal, where
    # the databases' round() would go up both times.
    ties = {33: Decimal("1.0312"), 35: Decimal("1.0938")}
    products = {}
    for total, expected in ties.items():
        products[total] = product_create()
        twos = total - 32
        reviews_add(products[total], [1] * (32 - twos) + [2] * twos)
        assert average_of(count=32, total=total) == expected

    product_ratings_rebuild(product_ids=[product.pk for product in products.values()])

    for total, product in products.items():
        product.refresh_from_db()
        assert (product.current_count, product.current_sum) == (32, total)
        assert product.current_average == ties[total]


def test_a_product_without_published_reviews_gets_zeros_and_no_average() -> None:
    product = product_create()
    reviews_add(product, [5, 5], status=ReviewStatus.PENDING)
    Product.objects.filter(pk=product.pk).update(
        all_time_count=1, all_time_sum=3, all_time_3_star=1, current_count=1, current_sum=3, current_3_star=1
    )
    Product.objects.filter(pk=product.pk).update(current_average=Decimal(3))

    product_ratings_rebuild(product_ids=[product.pk])

    product.refresh_from_db()
    assert [getattr(product, name) for name in FIGURES] == [0] * (len(FIGURES) - 1) + [None]


def test_only_the_products_named_are_rebuilt_and_reviews_of_old_revisions_count_all_time_only() -> None:
    named, other = product_create(revision=1), product_create()
    reviews_add(named, [2], revision=0)
    reviews_add(named, [4, 5], revision=1)
    reviews_add(other, [5])

    assert product_ratings_rebuild(product_ids=[named.pk, named.pk]) == 1

    named.refresh_from_db()
    other.refresh_from_db()
    assert (named.all_time_count, named.all_time_sum, named.all_time_2_star) == (3, 11, 1)
    assert (named.current_count, named.current_sum, named.current_2_star, named.current_average) == (
        2,
        9,
        0,
        Decimal("4.5"),
    )
    assert other.all_time_count == 0
    assert Product.objects.filter(pk=named.pk, updated_at__gte=F("created_at")).exists()
