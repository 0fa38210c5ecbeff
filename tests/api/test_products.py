from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from gate.services import improvement_log
from products.models import Product
from storefront.structured_data import product_structured_data
from tests.api.conftest import ACTORS, error_of
from tests.factories import category_create

pytestmark = pytest.mark.django_db


def test_product_detail_has_both_rating_summaries_gate_state_and_sale_status(
    actors: dict[str, Any], write_review: Callable[..., Any]
) -> None:
    product = actors["product"]
    for rating in (5, 4, 4):
        write_review(product, rating)
    improvement_log(product=product, by=actors["manager"], description="New outsole")
    write_review(product, 2)

    response = APIClient().get(f"/api/v1/products/{product.sku}/")

    assert response.status_code == 200
    body = response.json()
    assert body["sku"] == "P1"
    assert body["on_sale"] is True
    assert body["gate"] == {"state": "active", "flagged_on": None, "withdrawal_deadline": None, "withdrawn_on": None}
    assert body["revision"] == 1
    assert body["rating"]["current"] == {
        "average": 2.0,
        "count": 1,
        "histogram": {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0},
    }
    assert body["rating"]["all_time"] == {
        "average": 3.75,
        "count": 4,
        "histogram": {"1": 0, "2": 1, "3": 0, "4": 2, "5": 1},
    }
    assert body["category"] == {"slug": "running-shoes", "name": "Running shoes"}


def test_average_is_rounded_half_even_to_four_decimals(
    actors: dict[str, Any], write_review: Callable[..., Any]
) -> None:
    product = actors["product"]
    for rating in (1, 2, 2):  # 5/3 = 1.66666...
        write_review(product, rating)

    body = APIClient().get(f"/api/v1/products/{product.sku}/").json()

    assert body["rating"]["current"]["average"] == 1.6667


def test_unrated_product_has_null_averages(actors: dict[str, Any]) -> None:
    body = APIClient().get("/api/v1/products/P1/").json()
    assert body["rating"]["current"]["average"] is None
    assert body["rating"]["all_time"] == {"average": None, "count": 0, "histogram": dict.fromkeys("12345", 0)}


@pytest.mark.usefixtures("bursts_off")  # many reviews of one product within a day
def test_figures_equal_the_product_pages_json_ld(actors: dict[str, Any], write_review: Callable[..., Any]) -> None:
    product = actors["product"]
    for rating in (5, 3, 2, 2, 4, 1, 5):
        write_review(product, rating)
    improvement_log(product=product, by=actors["manager"], description="New outsole")
    for rating in (4, 5, 2):
        write_review(product, rating)
    product.refresh_from_db()

    api = APIClient().get(f"/api/v1/products/{product.sku}/").json()
    feed = APIClient().get("/api/v1/ratings/").json()["results"]
    json_ld = product_structured_data(product)

    assert json_ld["aggregateRating"]["ratingValue"] == api["rating"]["current"]["average"] == 3.6667
    assert json_ld["aggregateRating"]["reviewCount"] == api["rating"]["current"]["count"] == 3
    feed_row = next(row for row in feed if row["sku"] == product.sku)
    assert (feed_row["average"], feed_row["count"]) == (3.6667, 3)


def test_json_ld_and_api_agree_that_an_unrated_product_has_no_rating(actors: dict[str, Any]) -> None:
    api = APIClient().get("/api/v1/products/P1/").json()
    assert "aggregateRating" not in product_structured_data(actors["product"])
    assert api["rating"]["current"]["average"] is None


def test_unknown_sku_is_404_in_the_error_format(actors: dict[str, Any]) -> None:
    response = APIClient().get("/api/v1/products/NOPE/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_sku_with_a_dot_is_routed(make_product: Callable[..., Product]) -> None:
    make_product("AB.12")
    assert APIClient().get("/api/v1/products/AB.12/").json()["sku"] == "AB.12"


@pytest.mark.parametrize("actor", ACTORS)
def test_everyone_reads_products(client_as: Callable[[str], APIClient], actor: str) -> None:
    assert client_as(actor).get("/api/v1/products/").status_code == 200
    assert client_as(actor).get("/api/v1/products/P1/").status_code == 200


@pytest.mark.parametrize("actor", ACTORS)
def test_nobody_writes_products(client_as: Callable[[str], APIClient], actor: str) -> None:
    response = client_as(actor).post("/api/v1/products/", {"sku": "X"}, format="json")
    expected = {"anonymous": 401, "key_read": 403}.get(actor, 405)
    assert response.status_code == expected
    error_of(response)


# --- Filters, ordering, pagination ------------------------------------------------------
@pytest.fixture
def catalogue(make_product: Callable[..., Product], write_review: Callable[..., Any]) -> dict[str, Product]:

    other = category_create(name="Tents", slug="tents")
    products = {
        "A": make_product("A", "Alpha"),
        "B": make_product("B", "Bravo"),
        "C": make_product("C", "Charlie", category=other),
        "D": make_product("D", "Delta"),
    }
    for rating in (5, 5, 4):
        write_review(products["A"], rating)  # 4.6667, 3 reviews
    for rating in (2, 3):
        write_review(products["B"], rating)  # 2.5, 2 reviews
    write_review(products["C"], 4)  # 4.0, 1 review
    Product.objects.filter(pk=products["D"].pk).update(
        gate_state="withdrawn",
        on_sale=False,
        flagged_on=timezone.localdate(),
        withdrawal_deadline=timezone.localdate(),
        withdrawn_on=timezone.localdate(),
    )
    return products


def skus(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["sku"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["A", "B", "C", "D"]),
        ("category=tents", ["C"]),
        ("category=unknown", []),
        ("state=withdrawn", ["D"]),
        ("state=active", ["A", "B", "C"]),
        ("on_sale=false", ["D"]),
        ("on_sale=true", ["A", "B", "C"]),
        ("min_average=4", ["A", "C"]),
        ("min_average=4.5", ["A"]),
        ("min_count=2", ["A", "B"]),
        ("min_count=2&min_average=3", ["A"]),
        # Products without reviews (D) come last in both directions, on SQLite (NULL first
        # ascending) as on PostgreSQL (NULL first descending): NULLS LAST is explicit.
        ("ordering=-average", ["A", "C", "B", "D"]),
        ("ordering=average", ["B", "C", "A", "D"]),
        ("ordering=average,-count", ["B", "C", "A", "D"]),
        ("ordering=-count", ["A", "B", "C", "D"]),
        ("ordering=-sku", ["D", "C", "B", "A"]),
        ("ordering=count,name", ["D", "C", "B", "A"]),
    ],
)
def test_product_filters_and_ordering(catalogue: dict[str, Product], query: str, expected: list[str]) -> None:
    assert skus(APIClient().get(f"/api/v1/products/?{query}")) == expected


def test_updated_since_is_inclusive_and_takes_dates_or_date_times(
    catalogue: dict[str, Product], write_review: Callable[..., Any]
) -> None:
    moment = Product.objects.get(sku="C").updated_at
    later = moment + timedelta(seconds=1)
    write_review(catalogue["A"], 1, now=later)
    Product.objects.filter(sku="A").update(updated_at=later)

    assert skus(APIClient().get("/api/v1/products/", {"updated_since": later.isoformat()})) == ["A"]
    assert "C" in skus(APIClient().get("/api/v1/products/", {"updated_since": moment.isoformat()}))
    assert len(skus(APIClient().get("/api/v1/products/", {"updated_since": "2000-01-01"}))) == 4


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("min_average=abc", "min_average"),
        ("min_average=6", "min_average"),
        ("min_average=NaN", "min_average"),
        ("min_average=1e999", "min_average"),
        ("min_average=5.00001", "min_average"),  # any precision, but within 0 to 5
        ("min_count=-1", "min_count"),
        ("min_count=abc", "min_count"),
        ("min_count=99999999999999999999999", "min_count"),
        ("state=gone", "state"),
        ("on_sale=maybe", "on_sale"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=0001-01-01T00:00:00%2B05:00", "updated_since"),
        ("updated_since=9999-12-31T23:59:59-05:00", "updated_since"),
        ("ordering=price", "ordering"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=100000", "page_size"),
        ("page_size=-3", "page_size"),
    ],
)
def test_bad_query_values_are_400_naming_the_parameter(catalogue: dict[str, Product], query: str, field: str) -> None:
    response = APIClient().get(f"/api/v1/products/?{query}")
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]


def test_pages_link_to_each_other_and_a_page_past_the_end_is_404(catalogue: dict[str, Product]) -> None:
    first = APIClient().get("/api/v1/products/?page_size=3").json()
    assert first["count"] == 4
    assert [row["sku"] for row in first["results"]] == ["A", "B", "C"]
    second = APIClient().get(first["next"]).json()
    assert [row["sku"] for row in second["results"]] == ["D"]
    assert second["next"] is None
    response = APIClient().get("/api/v1/products/?page_size=3&page=3")
    assert response.status_code == 404
    error_of(response)


def test_product_list_runs_a_fixed_number_of_queries(
    make_product: Callable[..., Product], django_assert_max_num_queries: Any
) -> None:
    client = APIClient()
    make_product("FIRST")
    client.get("/api/v1/products/")  # warm-up: content types, the cache table
    # 3 for the data (count, page, Last-Modified); the rest is the throttle in the database cache.
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/products/")
    for n in range(40):
        make_product(f"SKU{n:03}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/products/").json()["results"]) == 41


# --- Conditional requests -----------------------------------------------------------------
@pytest.mark.parametrize("url", ["/api/v1/products/", "/api/v1/products/P1/"])
def test_etag_answers_304_until_the_product_changes(
    actors: dict[str, Any], write_review: Callable[..., Any], url: str
) -> None:
    client = APIClient()
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert first["Last-Modified"]

    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH="*").status_code == 304

    write_review(actors["product"], 3)

    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_if_modified_since_answers_304_until_the_product_changes(
    actors: dict[str, Any], write_review: Callable[..., Any]
) -> None:
    client = APIClient()
    url = "/api/v1/products/P1/"
    last_modified = client.get(url)["Last-Modified"]

    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE="Sat, 01 Jan 2000 00:00:00 GMT").status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE="not a date").status_code == 200

    write_review(actors["product"], 3, now=timezone.now() + timedelta(seconds=2))
    Product.objects.filter(pk=actors["product"].pk).update(updated_at=timezone.now() + timedelta(seconds=2))
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200


def test_if_none_match_wins_over_if_modified_since(actors: dict[str, Any]) -> None:
    client = APIClient()
    first = client.get("/api/v1/products/P1/")
    response = client.get(
        "/api/v1/products/P1/", HTTP_IF_NONE_MATCH='"stale"', HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert response.status_code == 200


def test_list_last_modified_moves_when_a_product_leaves_a_filtered_list(
    catalogue: dict[str, Product], write_review: Callable[..., Any]
) -> None:
    client = APIClient()
    url = "/api/v1/products/?min_average=4.5"
    first = client.get(url)
    assert skus(first) == ["A"]
    later = timezone.now() + timedelta(seconds=5)
    write_review(catalogue["A"], 1)
    Product.objects.filter(sku="A").update(updated_at=later)

    response = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert skus(response) == []


def test_current_average_filter_uses_the_stored_exact_average(catalogue: dict[str, Product]) -> None:
    assert Product.objects.get(sku="A").current_average == Decimal("4.6667")
    assert skus(APIClient().get("/api/v1/products/?min_average=4.6667")) == ["A"]
    assert skus(APIClient().get("/api/v1/products/?min_average=4.6668")) == []


def test_the_api_keeps_four_decimals_and_machine_numbers_in_french(
    actors: dict[str, Any], write_review: Callable[..., Any]
) -> None:
    # Pages write 1,7 in French by the display rule; the API keeps 1.6667 for every language.
    product = actors["product"]
    for rating in (1, 2, 2):
        write_review(product, rating)

    response = APIClient().get(f"/api/v1/products/{product.sku}/", HTTP_ACCEPT_LANGUAGE="fr")

    assert b'"average":1.6667' in response.content.replace(b" ", b"")
    assert b"1,6667" not in response.content and b"\xe2\x80\xaf" not in response.content
