"""Every order a list of products or reviews is served in reads its top rows from an index
(Product.Meta and Review.Meta), rather than sorting the whole catalogue or all of a
product's reviews for one page. Skipped on SQLite (its planner is another one); CI runs it
on PostgreSQL: DATABASE_URL=postgres://... pytest tests/integration/products/test_list_indexes_postgres.py

Each plan is asked of the very queryset the page or the API builds (its selector and its
filter's ordering), sliced to a page, over enough rows that the planner prefers the index
for its own reasons (no `enable_seqscan = off`): a plan that sorts every row (a plain `Sort`
above a scan of the table) fails, an incremental sort over an index's prefix passes.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils import translation

from products.api.filters import ProductFilter
from products.api.selectors import product_list_api
from products.filters import catalogue_sort
from products.models import Product
from products.selectors import product_list_public
from reviews.api.filters import ReviewFilter
from reviews.selectors import REVIEW_SORTS, review_list_public, review_list_sorted
from tests.integration.site.factories import product_create, reviews_bulk_create

pytestmark = [
    # Outside a transaction, so the fixture can VACUUM: in the whole suite the tables earlier
    # tests filled and rolled back are larger on disk than their rows, and the planner then
    # priced a scan and a sort of every row as cheap (three orderings failed there, never alone).
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the plans are PostgreSQL's: DATABASE_URL=postgres://..."
    ),
]

PRODUCTS = 4000
REVIEWS = 3000


@pytest.fixture
def catalogue() -> Product:
    """A catalogue of PRODUCTS products with varied figures (some unrated, some with a French
    name), and one product with REVIEWS reviews, the one whose reviews are listed."""
    rng = random.Random(19)
    rows = []
    for n in range(PRODUCTS):
        count, star = rng.choice([0, 0, 1, 3, 10, 40]), rng.randint(1, 5)
        figures = {"count": count, "sum": count * star, f"{star}_star": count}
        rows.append(
            Product(
                sku=f"IDX{n:05d}",
                name_en=f"Product {rng.randrange(10**6):06d}",
                name_fr=f"Produit {n}" if n % 3 == 0 else None,
                slug=f"product-{n}",
                current_average=star if count else None,
                **{f"current_{key}": value for key, value in figures.items()},
                **{f"all_time_{key}": value for key, value in figures.items()},
            )
        )
    Product.objects.bulk_create(rows, batch_size=1000)
    reviewed = product_create(sku="REVIEWED", name="Reviewed")
    others = product_create(sku="OTHER", name="Other")
    reviews_bulk_create(product=reviewed, ratings=[rng.randint(1, 5) for _ in range(REVIEWS)])
    reviews_bulk_create(product=others, ratings=[rng.randint(1, 5) for _ in range(REVIEWS)])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE products_product")
        cursor.execute("VACUUM ANALYZE reviews_review")
    return reviewed


def _plan(queryset: QuerySet) -> str:
    return queryset[:20].explain()


def _assert_served_by(plan: str, index: str) -> None:
    assert index in plan, plan
    # An incremental sort over the index's prefix is fine; a full sort of the rows is not.
    full_sorts = [line for line in plan.splitlines() if "Sort" in line and "Incremental Sort" not in line]
    assert not [line for line in full_sorts if "Sort Key" not in line and "Presorted Key" not in line], plan


@pytest.mark.parametrize(
    ("language", "index"), [("en", "products_product_name_en_id"), ("fr", "products_product_name_fr_id")]
)
def test_home_page_and_api_lists_read_names_in_order_from_an_index(catalogue, language, index):
    with translation.override(language):
        _assert_served_by(_plan(product_list_public()), index)
        _assert_served_by(_plan(product_list_api()), index)


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("name", "products_product_name_en_id"),
        ("rating", "products_product_by_rating"),
        ("reviews", "products_product_by_count"),
        ("newest", "products_product_created"),
    ],
)
def test_each_catalogue_sort_reads_from_an_index(catalogue, sort, index):
    _assert_served_by(_plan(Product.objects.order_by(*catalogue_sort(sort))), index)


@pytest.mark.parametrize(
    ("ordering", "index"),
    [
        ("name", "products_product_name_en_id"),
        ("-name", "products_product_name_en_id"),
        ("average", "products_product_cur_avg"),
        ("-average", "products_product_by_rating"),
        ("count", "products_product_by_count"),
        ("-count", "products_product_by_count"),
        ("all_time_count", "products_product_all_time_cnt"),
        ("-all_time_count", "products_product_all_time_cnt"),
        ("sku", "sku"),
        ("updated_at", "updated_at"),
    ],
)
def test_each_api_product_ordering_reads_from_an_index(catalogue, ordering, index):
    queryset = ProductFilter({"ordering": ordering}, queryset=product_list_api()).qs
    _assert_served_by(_plan(queryset), index)


@pytest.mark.parametrize(
    ("sort", "index"),
    [
        ("recent", "reviews_review_prod_status"),
        ("helpful", "reviews_review_prod_helpful"),
        ("highest", "reviews_review_prod_rating"),
        ("lowest", "reviews_review_prod_rating"),
    ],
)
def test_each_review_sort_of_the_product_page_reads_from_an_index(catalogue, sort, index):
    assert sort in REVIEW_SORTS
    _assert_served_by(_plan(review_list_sorted(review_list_public(product=catalogue), sort)), index)


@pytest.mark.parametrize(
    ("ordering", "index"),
    [
        ("created_at", "reviews_review_prod_status"),
        ("-created_at", "reviews_review_prod_status"),
        ("rating", "reviews_review_prod_rating"),
        ("-rating", "reviews_review_prod_rating"),
        ("helpful", "reviews_review_prod_helpful"),
        ("-helpful", "reviews_review_prod_helpful"),
    ],
)
def test_each_api_review_ordering_reads_from_an_index(catalogue, ordering, index):
    queryset = ReviewFilter({"ordering": ordering}, queryset=review_list_public(product=catalogue)).qs
    _assert_served_by(_plan(queryset), index)
