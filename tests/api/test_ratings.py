from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from products.models import Product
from tests.api.conftest import ACTORS, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def ten_products(make_product: Callable[..., Product]) -> list[Product]:
    base = timezone.now() - timedelta(hours=1)
    products = [make_product(f"S{n:02}") for n in range(10)]
    for n, product in enumerate(products):
        # Pairs share a timestamp, so the id must break ties.
        Product.objects.filter(pk=product.pk).update(updated_at=base + timedelta(seconds=n // 2))
    return products


def pull(client: APIClient, url: str) -> tuple[list[dict[str, Any]], str | None]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"], body["next"]


def test_feed_pages_through_every_product_once_in_updated_at_then_id_order(ten_products: list[Product]) -> None:
    client = APIClient()
    seen: list[str] = []
    url: str | None = "/api/v1/ratings/?page_size=3"
    pages = 0
    while url:
        rows, url = pull(client, url)
        seen += [row["sku"] for row in rows]
        pages += 1
    assert seen == [f"S{n:02}" for n in range(10)]
    assert pages == 4


def test_feed_rows_are_compact_figures(actors: dict[str, Any], write_review: Callable[..., Any]) -> None:
    write_review(actors["product"], 4)
    write_review(actors["product"], 1)
    rows, _next = pull(APIClient(), "/api/v1/ratings/")
    row = next(r for r in rows if r["sku"] == "P1")
    assert set(row) == {
        "sku",
        "gate_state",
        "on_sale",
        "revision",
        "average",
        "count",
        "all_time_average",
        "all_time_count",
        "updated_at",
    }
    assert (row["average"], row["count"], row["all_time_average"], row["all_time_count"]) == (2.5, 2, 2.5, 2)
    assert (row["gate_state"], row["on_sale"]) == ("active", True)


def test_a_product_changed_while_paging_is_served_again_at_the_end_and_none_is_skipped(
    ten_products: list[Product], write_review: Callable[..., Any]
) -> None:
    client = APIClient()
    rows, url = pull(client, "/api/v1/ratings/?page_size=4")
    seen = [row["sku"] for row in rows]
    # Between two pages: a product already served and one not yet served both change.
    write_review(ten_products[1], 5)
    write_review(ten_products[6], 2)
    while url:
        rows, url = pull(client, url)
        seen += [row["sku"] for row in rows]
        if "S01" in [row["sku"] for row in rows]:
            assert next(row for row in rows if row["sku"] == "S01")["count"] == 1
    assert sorted(set(seen)) == [f"S{n:02}" for n in range(10)]
    assert seen.count("S01") == 2  # once with the old figures, once with the new
    assert seen.count("S06") == 1  # moved ahead of the cursor: served once, with new figures
    assert seen[-2:] == ["S01", "S06"]


def test_updated_since_resumes_a_sync_inclusively(ten_products: list[Product]) -> None:
    client = APIClient()
    rows, _ = pull(client, "/api/v1/ratings/?page_size=100")
    boundary = rows[5]["updated_at"]  # S05 shares its moment with S04
    resumed, _ = pull(client, f"/api/v1/ratings/?updated_since={boundary.replace('+', '%2B')}")
    assert [row["sku"] for row in resumed] == ["S04", "S05", "S06", "S07", "S08", "S09"]


def test_rows_of_the_last_seconds_wait_until_they_settle(
    ten_products: list[Product], make_product: Callable[..., Product], settings: Any
) -> None:
    settings.API_RATINGS_FEED_SETTLE_SECONDS = 30
    make_product("FRESH")
    rows, _ = pull(APIClient(), "/api/v1/ratings/?page_size=100")
    assert "FRESH" not in [row["sku"] for row in rows]
    assert len(rows) == 10


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("cursor=%%%", "cursor"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor"),
        ("cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTkuMQ", "cursor"),
        ("page_size=0", "page_size"),
        ("page_size=1001", "page_size"),
        ("updated_since=2026-13-01", "updated_since"),
    ],
)
def test_bad_feed_parameters_are_400(ten_products: list[Product], query: str, field: str) -> None:
    response = APIClient().get(f"/api/v1/ratings/?{query}")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == [field]


def test_feed_answers_304_until_a_figure_changes(ten_products: list[Product], write_review: Callable[..., Any]) -> None:
    client = APIClient()
    first = client.get("/api/v1/ratings/")
    assert first["Last-Modified"] and first["ETag"]
    assert client.get("/api/v1/ratings/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/api/v1/ratings/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    write_review(ten_products[3], 4)  # the products are an hour old: a later second
    assert client.get("/api/v1/ratings/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get("/api/v1/ratings/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 200


def test_feed_last_modified_counts_only_settled_rows(
    ten_products: list[Product], make_product: Callable[..., Product], settings: Any
) -> None:
    settings.API_RATINGS_FEED_SETTLE_SECONDS = 30
    client = APIClient()
    before = client.get("/api/v1/ratings/")
    make_product("FRESH")  # not served yet, so it must not make the answer look newer
    assert client.get("/api/v1/ratings/")["Last-Modified"] == before["Last-Modified"]


def test_feed_runs_a_fixed_number_of_queries(
    make_product: Callable[..., Product], django_assert_max_num_queries: Any, settings: Any
) -> None:
    # The feed as rendered (the copy from the cache: tests/api/test_ratings_feed_cache.py).
    settings.PAGE_CACHE_SECONDS = 0
    client = APIClient()
    make_product("FIRST")
    client.get("/api/v1/ratings/")
    # 2 for the data (the page, Last-Modified); the rest is the throttle in the database cache.
    with django_assert_max_num_queries(9) as few:
        client.get("/api/v1/ratings/")
    for n in range(40):
        make_product(f"SKU{n:03}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/ratings/").json()["results"]) == 41


@pytest.mark.parametrize("actor", ACTORS)
def test_everyone_reads_the_feed(client_as: Callable[[str], APIClient], actor: str) -> None:
    assert client_as(actor).get("/api/v1/ratings/").status_code == 200
