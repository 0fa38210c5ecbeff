"""The number of queries of every list page and list endpoint does not grow with its rows.

Each URL is asked once over a small world, then again after more products, published
reviews (with brand replies, votes and photos), pending reviews and reports were added; the
second answer must take exactly as many queries as the first (a query per row would add
dozens). Lists counted elsewhere too: tests/integration/site/test_product_page.py,
test_catalogue.py, tests/api/test_products.py, test_reviews.py, test_ratings.py,
test_gate.py, the desk's KPI, invitation and topic pages' own tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from apikeys.services import api_key_create
from products.models import Product
from reviews.models import ReviewStatus
from reviews.reactions import brand_reply_post, review_report, review_vote
from tests.factories import product_create, user_create
from tests.integration.site.factories import review_create, reviews_bulk_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_limits(settings: Any) -> None:
    cache.clear()
    settings.RATELIMIT_ENABLED = False


@pytest.fixture
def world() -> dict[str, Any]:
    manager = user_create(PRODUCT_MANAGER)
    people = {
        "shopper": user_create(SHOPPER),
        "moderator": user_create(MODERATOR),
        "director": user_create(QUALITY_DIRECTOR),
        "manager": manager,
    }
    product = product_create(sku="LIST-1", name="Listed", brand="Acme", managers=[manager])
    world = {"product": product, "manager": manager, **people}
    _grow(world, products=2, reviews=3)
    return world


def _grow(world: dict[str, Any], *, products: int, reviews: int) -> None:
    """More of everything a list shows: products (some reviewed), reviews of the listed
    product (published, with a brand reply, votes and a report; pending ones; the shopper's
    own), so that a query per row shows."""
    product: Product = world["product"]
    for _ in range(products):
        other = product_create(managers=[world["manager"]])
        reviews_bulk_create(product=other, ratings=[4, 2])
    reviews_bulk_create(product=product, ratings=[5, 1, 3] * reviews)
    for n in range(reviews):
        voter = user_create(SHOPPER)
        review = review_create(product=product, rating=1 + n % 5, author=user_create(SHOPPER), title=f"Row {n}")
        brand_reply_post(review=review, author=world["manager"], body="Thank you for telling us.")
        review_vote(review=review, voter=voter, helpful=True)
        review_report(review=review, reporter=voter, reason="spam")
        review_create(product=product, rating=2, title=f"Waiting {n}", status=ReviewStatus.PENDING)
    if not product.reviews.filter(author=world["shopper"]).exists():
        review_create(product=product, rating=4, author=world["shopper"], title="Mine")


def _site(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _api(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        key = api_key_create(name="lists", owner=user, scopes=["read", "orders", "care", "topics"])
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key.plaintext}")
    return client


SITE_PAGES: list[Any] = [
    (None, "/"),
    (None, "/products/"),
    (None, "/products/?sort=rating"),
    (None, "/products/?sort=reviews"),
    (None, "/products/?sort=newest"),
    (None, "/products/LIST-1/"),
    (None, "/products/LIST-1/?sort=helpful"),
    (None, "/products/LIST-1/?sort=lowest"),
    (None, "/products/LIST-1/?stars=1"),
    ("shopper", "/products/LIST-1/"),
    ("shopper", "/products/LIST-1/?sort=highest"),
    ("shopper", "/reviews/mine/"),
    (None, "/about/reviews/"),
    ("director", "/desk/"),
    ("director", "/desk/products/"),
    ("director", "/desk/products/LIST-1/reviews/"),
    # Found by this guard: the queue read each review's photos with a query of its own until
    # desk.selectors.moderation prefetched them.
    ("moderator", "/desk/moderation/"),
    ("director", "/desk/care/"),
    ("director", "/desk/improvements/requests/"),
]

API_LISTS: list[Any] = [
    (None, "/api/v1/products/"),
    (None, "/api/v1/products/?ordering=-average"),
    (None, "/api/v1/ratings/"),
    (None, "/api/v1/products/LIST-1/reviews/"),
    (None, "/api/v1/products/LIST-1/reviews/?ordering=-helpful"),
    ("director", "/api/v1/gate/events/"),
    ("director", "/api/v1/gate/notices/"),
    ("director", "/api/v1/gate/improvement-requests/"),
    ("director", "/api/v1/orders/"),
    ("director", "/api/v1/care-figures/"),
    ("director", "/api/v1/topic-figures/"),
    ("director", "/api/v1/invitation-figures/"),
]


def _queries(world: dict[str, Any], make: Callable[[Any], Any], who: str | None, url: str) -> tuple[int, list[str]]:
    client = make(world[who] if who else None)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), [query["sql"][:140] for query in captured.captured_queries]


@pytest.mark.parametrize(("who", "url"), SITE_PAGES + API_LISTS)
def test_the_queries_of_a_list_do_not_grow_with_its_rows(world: dict[str, Any], who: str | None, url: str) -> None:
    make = _api if url.startswith("/api/") else _site
    few, _ = _queries(world, make, who, url)
    _grow(world, products=6, reviews=12)
    cache.clear()
    many, statements = _queries(world, make, who, url)
    assert many == few, "\n".join(statements)
