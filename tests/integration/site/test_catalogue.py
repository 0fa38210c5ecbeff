from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.integration.site.factories import category_create, product_create, product_withdraw, reviews_bulk_create

pytestmark = pytest.mark.django_db


def _skus(html: str) -> list[str]:
    return re.findall(r'data-sku="([^"]+)"', html)


@pytest.fixture
def catalogue() -> dict[str, object]:
    tents = category_create(name="Tents", slug="tents")
    shoes = category_create(name="Running shoes", slug="running-shoes")
    alpine = product_create(sku="T-ALP", name="Alpine tent 2", category=tents, brand="Quechua")
    bivvy = product_create(sku="T-BIV", name="Bivvy bag", category=tents, brand="Forclaz")
    road = product_create(sku="S-ROAD", name="Road runner", category=shoes, brand="Kiprun")
    trail = product_create(sku="S-TRL", name="Trail runner", category=shoes, brand="Kiprun")
    reviews_bulk_create(product=alpine, ratings=[5, 4, 5, 4])  # 4.5
    reviews_bulk_create(product=bivvy, ratings=[2, 3, 2])  # 2.33
    reviews_bulk_create(product=road, ratings=[4, 3, 4, 3, 4, 3, 4, 3])  # 3.5, most reviews
    return {"alpine": alpine, "bivvy": bivvy, "road": road, "trail": trail}


def test_home_and_products_list_every_product_by_name(client: Client, catalogue: dict[str, object]) -> None:
    for url in (reverse("home"), reverse("product_list")):
        response = client.get(url)
        assert response.status_code == 200
        assert _skus(response.content.decode()) == ["T-ALP", "T-BIV", "S-ROAD", "S-TRL"]


def test_card_shows_stars_average_to_one_decimal_and_count(client: Client, catalogue: dict[str, object]) -> None:
    html = client.get(reverse("product_list")).content.decode()
    card = html.split('data-sku="S-ROAD"')[1].split("</li>")[0]
    assert 'aria-label="Rated 3.5 out of 5"' in card
    assert '<span class="average">3.5</span>' in card
    assert "8 reviews" in card
    assert 'href="/products/S-ROAD/"' in card
    trail_card = html.split('data-sku="S-TRL"')[1].split("</li>")[0]
    assert "No reviews yet" in trail_card and "0 reviews" in trail_card


def test_search_matches_name_brand_or_exact_sku(client: Client, catalogue: dict[str, object]) -> None:
    url = reverse("product_list")
    assert _skus(client.get(url, {"q": "runner"}).content.decode()) == ["S-ROAD", "S-TRL"]
    assert _skus(client.get(url, {"q": "forclaz"}).content.decode()) == ["T-BIV"]
    assert _skus(client.get(url, {"q": "t-alp"}).content.decode()) == ["T-ALP"]
    assert "No product matches these filters." in client.get(url, {"q": "zzz"}).content.decode()


def test_filter_by_category_and_minimum_rating(client: Client, catalogue: dict[str, object]) -> None:
    url = reverse("product_list")
    assert _skus(client.get(url, {"category": "tents"}).content.decode()) == ["T-ALP", "T-BIV"]
    assert _skus(client.get(url, {"min_rating": "3"}).content.decode()) == ["T-ALP", "S-ROAD"]
    assert _skus(client.get(url, {"min_rating": "4", "category": "running-shoes"}).content.decode()) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("rating", ["T-ALP", "S-ROAD", "T-BIV", "S-TRL"]),  # unrated last
        ("reviews", ["S-ROAD", "T-ALP", "T-BIV", "S-TRL"]),
        ("newest", ["S-TRL", "S-ROAD", "T-BIV", "T-ALP"]),
        ("name", ["T-ALP", "T-BIV", "S-ROAD", "S-TRL"]),
    ],
)
def test_sort_orders(client: Client, catalogue: dict[str, object], sort: str, expected: list[str]) -> None:
    assert _skus(client.get(reverse("product_list"), {"sort": sort}).content.decode()) == expected


def test_values_typed_by_hand_that_do_not_validate_are_ignored(client: Client, catalogue: dict[str, object]) -> None:
    response = client.get(
        reverse("product_list"), {"sort": "price", "min_rating": "9", "category": "nope", "page": "x"}
    )
    assert response.status_code == 200
    assert len(_skus(response.content.decode())) == 4


def test_catalogue_is_paginated_and_pages_keep_the_filters(client: Client) -> None:
    category = category_create(slug="bulk")
    for i in range(30):
        product_create(sku=f"B{i:03d}", name=f"Bulk {i:03d}", category=category)
    first = client.get(reverse("product_list"), {"category": "bulk"}).content.decode()
    assert len(_skus(first)) == 24
    assert "Page 1 of 2" in first
    assert 'href="?category=bulk&amp;page=2"' in first
    second = client.get(reverse("product_list"), {"category": "bulk", "page": "2"}).content.decode()
    assert _skus(second) == [f"B{i:03d}" for i in range(24, 30)]


def test_withdrawn_product_has_a_clear_badge(client: Client, catalogue: dict[str, object]) -> None:
    product_withdraw(catalogue["bivvy"], on=timezone.localdate() - timedelta(days=3))  # type: ignore[arg-type]
    html = client.get(reverse("product_list")).content.decode()
    bivvy_card = html.split('data-sku="T-BIV"')[1].split("</li>")[0]
    alpine_card = html.split('data-sku="T-ALP"')[1].split("</li>")[0]
    assert "Withdrawn from sale" in bivvy_card
    assert "Withdrawn from sale" not in alpine_card


def test_catalogue_runs_a_fixed_number_of_queries(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    category = category_create(slug="many")
    for i in range(40):
        product_create(sku=f"M{i:03d}", category=category)
    with django_assert_max_num_queries(4):
        assert client.get(reverse("product_list")).status_code == 200
