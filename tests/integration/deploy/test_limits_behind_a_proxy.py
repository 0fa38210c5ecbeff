"""Behind one load balancer (TRUSTED_PROXY_COUNT=1), every request reaches the web server
from the balancer's address: the site's limits and the API's throttles key on the client
address it appends to X-Forwarded-For, so two shoppers behind it have a budget each, and
a shopper who writes X-Forwarded-For itself cannot step out of its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

BALANCER = "10.0.0.2"
ALICE = "198.51.100.4"
BOB = "198.51.100.5"


def through_the_balancer(client_says: str | None, client: str) -> dict[str, Any]:
    """The WSGI environ of a request the balancer passed on: `option forwardfor` appends
    the address it was connected from to whatever the client sent."""
    forwarded = f"{client_says}, {client}" if client_says else client
    return {"REMOTE_ADDR": BALANCER, "HTTP_X_FORWARDED_FOR": forwarded}


@pytest.fixture
def behind_one_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"login": (2, 300), "login_account": (1000, 300)}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min"}}
    cache.clear()


def failed_sign_in(client_says: str | None, client: str) -> int:
    response = Client().post(
        "/accounts/login/",
        {"username": "nobody", "password": "wrong"},
        **through_the_balancer(client_says, client),
    )
    return response.status_code


def test_sign_in_failures_are_limited_per_client_behind_the_balancer(behind_one_proxy: None) -> None:
    assert [failed_sign_in(None, ALICE) for _ in range(3)] == [200, 200, 429]
    # Bob comes through the same balancer address, with a budget of his own.
    assert failed_sign_in(None, BOB) == 200
    # Alice writing another address herself only adds an entry on the left: still refused.
    assert failed_sign_in(BOB, ALICE) == 429
    assert failed_sign_in("203.0.113.99, 192.0.2.1", ALICE) == 429


def api_get(client_says: str | None, client: str) -> int:
    return APIClient().get("/api/v1/products/", **through_the_balancer(client_says, client)).status_code


def test_api_throttles_key_on_the_client_behind_the_balancer(behind_one_proxy: None) -> None:
    assert [api_get(None, ALICE) for _ in range(3)] == [200, 200, 429]
    assert api_get(None, BOB) == 200
    assert api_get(BOB, ALICE) == 429
    assert api_get("203.0.113.99", ALICE) == 429


def test_without_trusted_proxies_the_forwarded_header_is_ignored(behind_one_proxy: None, settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    # Everyone is the balancer: one budget, whatever the header says.
    assert [failed_sign_in(None, ALICE), failed_sign_in(None, BOB), failed_sign_in(None, "192.0.2.44")] == [
        200,
        200,
        429,
    ]


def test_a_request_with_fewer_entries_than_proxies_counts_on_the_connection(
    behind_one_proxy: None, settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 2  # a CDN, then the balancer; this request skipped the CDN
    # "198.51.100.4" alone may be the client's own invention: counted on the balancer's address.
    assert [failed_sign_in(None, ALICE), failed_sign_in(None, BOB), failed_sign_in(None, "192.0.2.44")] == [
        200,
        200,
        429,
    ]
