"""A review nothing holds is written once: inserted already published with one history row,
the product's figures moved by one UPDATE, no read of a brand reply that cannot exist yet.
The statements of a plain post are counted exactly, through the API and through the form:
a new statement on this path is a choice made on purpose (docs/performance.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import SHOPPER
from apikeys.services import api_key_create
from products.models import Product
from reviews.models import Review, ReviewStatus, ReviewStatusChange
from tests.factories import REVIEW_TEXT, product_create, user_create

pytestmark = pytest.mark.django_db

FORM_REVIEW: dict[str, Any] = {"rating": "4", "title": "Warm and light", "body": REVIEW_TEXT, "language": "en"}
API_REVIEW: dict[str, Any] = {"rating": 4, "title": "Warm and light", "body": REVIEW_TEXT, "language": "en"}


@pytest.fixture(autouse=True)
def _published_at_once_and_no_limits(settings: Any) -> None:
    cache.clear()
    settings.REVIEWS_PREMODERATION = False
    settings.RATELIMIT_ENABLED = False


@pytest.fixture
def product() -> Product:
    return product_create(sku="TENT-7", name="Ridge tent")


def _statements(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def _show(statements: list[str]) -> str:
    return "\n".join(f"{n:2}. {sql[:160]}" for n, sql in enumerate(statements, 1))


def _assert_written_once(statements: list[str], product: Product, author: User) -> None:
    def starting(prefix: str) -> list[str]:
        return [sql for sql in statements if sql.startswith(prefix)]

    assert len(starting('INSERT INTO "reviews_review"')) == 1, _show(statements)
    assert len(starting('INSERT INTO "reviews_reviewstatuschange"')) == 1, _show(statements)
    assert len(starting('UPDATE "products_product"')) == 1, _show(statements)
    assert not starting('UPDATE "reviews_review"'), _show(statements)
    assert not [sql for sql in statements if "reviews_brandreply" in sql], _show(statements)
    review = Review.objects.get(product=product, author=author)
    assert review.status == ReviewStatus.PUBLISHED and review.published_at is not None
    history = list(ReviewStatusChange.objects.filter(review=review).values_list("from_status", "to_status", "reason"))
    assert history == [("", ReviewStatus.PUBLISHED, "")]
    product.refresh_from_db()
    assert (product.current_count, product.current_sum, product.current_4_star) == (1, 4, 1)
    assert product.current_average == 4 and product.all_time_count == 1


def test_an_api_post_writes_the_review_once(product: Product) -> None:
    author = user_create(SHOPPER)
    key = api_key_create(name="shop", owner=author, scopes=["read", "write"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key.plaintext}")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"/api/v1/products/{product.sku}/reviews/", API_REVIEW, format="json")
    assert response.status_code == 201, response.content
    statements = _statements(captured)
    _assert_written_once(statements, product, author)
    # Was 33 (pending, then published: 10 more); the key, the product, the rules' reads,
    # the writes, care's and the thanks email's, and the photos of the answer.
    assert len(statements) == 23, _show(statements)


def test_a_form_post_writes_the_review_once(product: Product) -> None:
    author = user_create(SHOPPER)
    client = Client()
    client.force_login(author)
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("review_create", kwargs={"sku": product.sku}), FORM_REVIEW)
    assert response.status_code == 302, response.content[:2000]
    statements = _statements(captured)
    _assert_written_once(statements, product, author)
    assert len(statements) == 24, _show(statements)  # was 33
