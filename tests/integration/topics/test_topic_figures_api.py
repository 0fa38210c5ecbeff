"""GET /api/v1/topic-figures/ (issue 17, item 5): per month, each topic's share of the tagged
reviews and their average rating, exact on a hand-made shop (tests/integration/topics/
figures_shop.py); for API keys holding `topics` only (401 anonymous, 403 a session or a key
without it), each key reading what its owner may; a bad query is a 400 naming the parameter;
as many queries for many products as for one."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import COMPANY_READER, CUSTOMER_CARE, QUALITY_DIRECTOR
from apikeys.services import api_key_create
from tests.factories import product_create, user_create
from tests.integration.topics.figures_shop import (
    BAG_ONLY,
    EVERY_PRODUCT,
    PERIOD,
    TENT_ONLY,
    TopicShop,
    at,
    reviewed,
    topic_shop,
)

pytestmark = pytest.mark.django_db

API = reverse("topic-figures-list")


@pytest.fixture
def shop() -> TopicShop:
    return topic_shop()


def keyed(owner: User, scopes: list[str] | None = None) -> APIClient:
    client = APIClient()
    key = api_key_create(name="topic figures", owner=owner, scopes=scopes or ["topics"]).plaintext
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def results(client: APIClient, **query: str) -> list[dict[str, Any]]:
    response = client.get(API, {**PERIOD, **query})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_no_credentials_is_401_and_a_session_or_a_key_without_the_scope_403(shop: TopicShop) -> None:
    reader = user_create(COMPANY_READER)
    assert APIClient().get(API).status_code == 401
    session = APIClient()
    session.force_login(reader)
    assert session.get(API).status_code == 403
    refused = keyed(reader, ["read", "care"]).get(API)
    assert refused.status_code == 403
    assert "`topics` scope" in str(refused.json())
    assert keyed(reader).get(API).status_code == 200


def test_a_key_whose_owner_reads_no_product_is_403(shop: TopicShop) -> None:
    for owner in (user_create(), user_create(CUSTOMER_CARE)):
        response = keyed(owner).get(API)
        assert response.status_code == 403
        assert "company readers, quality directors and product managers" in str(response.json())


@pytest.mark.parametrize("role", [COMPANY_READER, QUALITY_DIRECTOR])
def test_readers_and_directors_read_every_product_exactly(shop: TopicShop, role: str) -> None:
    assert results(keyed(user_create(role))) == EVERY_PRODUCT


def test_a_manager_reads_the_products_they_manage_only(shop: TopicShop) -> None:
    client = keyed(shop.manager)
    assert results(client) == TENT_ONLY
    # Another's product by SKU: nothing, as if it had no review (its existence is not told).
    assert [row["tagged_reviews"] for row in results(client, product="BAG-1")] == [0, 0]


def test_the_product_and_category_filters(shop: TopicShop) -> None:
    client = keyed(user_create(COMPANY_READER))
    assert results(client, product="BAG-1") == BAG_ONLY
    assert results(client, category=str(shop.bags.pk)) == BAG_ONLY
    assert results(client, category=str(shop.tents.pk)) == TENT_ONLY
    assert [row["tagged_reviews"] for row in results(client, product="NO-SUCH-SKU")] == [0, 0]


def test_the_months_are_the_periods_in_calendar_order_empty_ones_included(shop: TopicShop) -> None:
    rows = results(keyed(user_create(COMPANY_READER)), **{"from": "2026-02-15", "to": "2026-05-02"})
    assert [(row["month"], row["tagged_reviews"]) for row in rows] == [
        ("2026-02", 0),
        ("2026-03", 6),
        ("2026-04", 1),
        ("2026-05", 0),
    ]
    assert all(figure["share"] is None and figure["average_rating"] is None for figure in rows[0]["topics"])
    # 31 March 23:30 in Paris counts in March, 1 April 00:30 in April (summer time: UTC+2).
    march_only = results(keyed(user_create(COMPANY_READER)), **{"from": "2026-03-31", "to": "2026-03-31"})
    assert [(row["month"], row["tagged_reviews"]) for row in march_only] == [("2026-03", 1)]


@pytest.mark.parametrize(
    ("query", "parameter", "message"),
    [
        ({"from": "2026-04-01", "to": "2026-03-01"}, "to", "The end date must be on or after the start date."),
        ({"from": "2026-13-01"}, "from", None),
        ({"to": ""}, "to", "Give a value, or leave the parameter out."),
        ({"product": ""}, "product", "Give a value, or leave the parameter out."),
        ({"category": "x"}, "category", "Enter a whole number written with the digits 0 to 9."),
        ({"category": "0"}, "category", None),
        ({"from": "2020-01-01", "to": "2026-01-01"}, "from", "Choose a period of at most three years."),
    ],
)
def test_a_bad_query_is_a_400_naming_the_parameter(
    shop: TopicShop, query: dict[str, str], parameter: str, message: str | None
) -> None:
    response = keyed(user_create(COMPANY_READER)).get(API, query)
    assert response.status_code == 400, response.content
    found = response.json()["error"]["fields"].get(parameter)
    assert found, response.json()
    if message is not None:
        assert message in str(found)


def test_as_many_queries_for_many_products_as_for_one(shop: TopicShop) -> None:
    client = keyed(user_create(COMPANY_READER))
    manager_client = keyed(shop.manager)

    def queries(client: APIClient) -> int:
        with CaptureQueriesContext(connection) as captured:
            results(client)
        return len(captured.captured_queries)

    queries(client), queries(manager_client)  # the first request of a key also records its use
    few, few_managed = queries(client), queries(manager_client)
    for n in range(6):
        product = product_create(category=shop.tents, managers=[shop.manager])
        reviewed(product, 2 + n % 3, at(3, 10 + n, 9), "price", "setup")
    assert (queries(client), queries(manager_client)) == (few, few_managed)
    march = results(client)[0]
    assert march["tagged_reviews"] == 12
    assert [figure["reviews"] for figure in march["topics"]] == [3, 1, 1, 6, 1, 6, 1]
