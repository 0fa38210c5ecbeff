"""GET /api/v1/products/{sku}/ from the cache, keyed by the product's page version
(products.api.cached): never older than the last change, per language, few queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def _get(client: APIClient, sku: str, **headers: Any) -> tuple[dict[str, Any], int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/v1/products/{sku}/", **headers)
    assert response.status_code == 200
    return response.json(), len(queries.captured_queries)


def _queries_of(client: APIClient, sku: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/api/v1/products/{sku}/").status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_cached_product_is_served_with_one_lookup_and_never_older_than_a_change(
    actors: dict[str, Any], write_review: Callable[..., Any]
) -> None:
    product = actors["product"]
    write_review(product, 5)
    client = APIClient()
    first, rendered_queries = _get(client, product.sku)
    second, cached_queries = _get(client, product.sku)
    assert second == first and cached_queries < rendered_queries
    # From the cache, the product's table is read once: its page version.
    product_reads = [sql for sql in _queries_of(client, product.sku) if '"products_product"' in sql]
    assert len(product_reads) == 1 and "page_version" in product_reads[0]
    write_review(product, 1)
    after, _ = _get(client, product.sku)
    assert after["rating"]["current"]["count"] == 2 and after["rating"]["current"]["average"] == 3.0


def test_each_language_has_its_own_cached_answer(actors: dict[str, Any]) -> None:
    product = actors["product"]
    product.name_fr = "Chaussure"
    product.save()
    client = APIClient()
    english, _ = _get(client, product.sku)
    french, _ = _get(client, product.sku, HTTP_ACCEPT_LANGUAGE="fr")
    assert (english["name"], french["name"]) == (product.name_en, "Chaussure")
    assert _get(client, product.sku)[0]["name"] == product.name_en


def test_a_cached_answer_keeps_its_etag_and_revalidates(
    actors: dict[str, Any], write_review: Callable[..., Any]
) -> None:
    product = actors["product"]
    write_review(product, 4)
    client = APIClient()
    first = client.get(f"/api/v1/products/{product.sku}/")
    cached = client.get(f"/api/v1/products/{product.sku}/")
    assert (cached["ETag"], cached["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    assert client.get(f"/api/v1/products/{product.sku}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    write_review(product, 2)
    assert client.get(f"/api/v1/products/{product.sku}/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
