"""Actors, products and clients for the API tests.

The permission matrix uses seven callers: anonymous, a shopper, a product manager of
another product, the product's manager, a quality director, and two API keys owned by the
product's manager (read, read_write).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from apikeys.services import api_key_create
from products.models import Category, Product
from reviews.models import Review
from reviews.services import review_submit
from tests.factories import category_create, product_create

ACTORS = ("anonymous", "shopper", "other_manager", "manager", "quality_director", "key_read", "key_read_write")


@pytest.fixture(autouse=True)
def _fresh_api_state(db: None, settings: Any) -> None:
    # Throttle counters live in the (database) cache: start every test from zero, with
    # rates high enough that only the throttle tests trip them, and every row "settled".
    cache.clear()
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "api_key": "1000/min"},
    }
    settings.API_RATINGS_FEED_SETTLE_SECONDS = 0
    settings.RATELIMIT_ENABLED = False  # the site's action limits: tests/integration/ratelimits/
    settings.REVIEWS_PREMODERATION = False


@pytest.fixture
def category(db: None) -> Category:
    return category_create(name="Running shoes", slug="running-shoes")


@pytest.fixture
def make_product(db: None, category: Category) -> Callable[..., Product]:
    """Products named by their SKU (the API's key), in ``category`` unless said."""

    def make(sku: str, name: str | None = None, **fields: Any) -> Product:
        fields.setdefault("category", category)
        return product_create(sku=sku, name=name or f"Product {sku}", slug=sku.lower(), **fields)

    return make


@pytest.fixture
def actors(make_user: Callable[..., User], make_product: Callable[..., Product]) -> dict[str, Any]:
    """The product P1 managed by `manager`, P2 by `other_manager`; users and keys."""
    shopper = make_user(SHOPPER, username="shopper")
    manager = make_user(PRODUCT_MANAGER, username="manager")
    other_manager = make_user(PRODUCT_MANAGER, username="other_manager")
    director = make_user(QUALITY_DIRECTOR, username="director")
    product = make_product("P1", "Trail shoe", managers=[manager])
    other = make_product("P2", "Road shoe", managers=[other_manager])
    key_read = api_key_create(name="read", owner=manager, scopes=["read"])
    key_write = api_key_create(name="write", owner=manager, scopes=["read", "write"])
    return {
        "shopper": shopper,
        "manager": manager,
        "other_manager": other_manager,
        "quality_director": director,
        "product": product,
        "other_product": other,
        "key_read": key_read.plaintext,
        "key_read_write": key_write.plaintext,
    }


@pytest.fixture
def client_as(actors: dict[str, Any]) -> Callable[[str], APIClient]:
    """An API client acting as one of ACTORS (session login for users, a header for keys)."""

    def make(actor: str) -> APIClient:
        client = APIClient()
        if actor.startswith("key_"):
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {actors[actor]}")
        elif actor != "anonymous":
            client.force_login(actors[actor])
        return client

    return make


@pytest.fixture
def write_review(make_user: Callable[..., User]) -> Callable[..., Review]:
    counter = {"n": 0}

    def write(
        product: Product, rating: int, *, author: User | None = None, now: datetime | None = None, **kw: Any
    ) -> Review:
        counter["n"] += 1
        if author is None:
            author = make_user(SHOPPER, username=f"reviewer{counter['n']}")
        return review_submit(
            product=product,
            author=author,
            rating=rating,
            title=kw.pop("title", f"Review {counter['n']}"),
            body=kw.pop("body", "A long enough review body for the rules."),
            language=kw.pop("language", "en"),
            now=now,
            **kw,
        )

    return write


def error_of(response: Any) -> dict[str, Any]:
    """The `error` object of the API's one error format (asserting the shape)."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]  # type: ignore[no-any-return]
