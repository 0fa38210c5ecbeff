"""10 and 100 requests at once never get more through than the limit: failed sign-ins per
account and per address, review posts, the anonymous API and an API key.

Real HTTP against a live server, on PostgreSQL (SQLite has one writer: nothing would race)
with each counter store: Redis (when REDIS_URL is set, as in CI) and the database. The
figures go to test-artifacts/rate_limits_concurrency.txt; docs/reliability.md quotes them.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from apikeys.services import api_key_create
from reviews.models import Review
from tests.factories import product_create, user_create

from .conftest import CSRF_SECRET, HttpServer, burst, record_figure, site_headers

pytestmark = pytest.mark.django_db(transaction=True)

# (requests sent at once, the limit): the figure (5 failed sign-ins per account)
# and ten times more.
BURSTS = [pytest.param(10, 5, id="10-at-once"), pytest.param(100, 50, id="100-at-once")]
STORES = ["redis", "database"]
TIMEOUT = 60


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest, settings: Any) -> str:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs a database with concurrent writers: DATABASE_URL=postgres://...")
    if request.param == "redis" and not django_settings.REDIS_URL:
        pytest.skip("no Redis: set REDIS_URL=redis://127.0.0.1:6379/1")
    settings.RATELIMIT_STORE = request.param
    settings.RATELIMIT_ENABLED = True
    return str(request.param)


def _counts(statuses: list[int], allowed: int) -> tuple[int, int, set[int]]:
    return statuses.count(allowed), statuses.count(429), set(statuses) - {allowed, 429}


@pytest.mark.parametrize(("sent", "limit"), BURSTS)
def test_failed_sign_ins_per_account_never_exceed_the_limit(
    http_server: HttpServer, store: str, settings: Any, sent: int, limit: int
) -> None:
    settings.RATELIMITS = {"login": (10_000, 300), "login_account": (limit, 300)}
    user_create(username="target")

    def wrong_password(number: int) -> requests.Response:
        data = {"username": "target", "password": f"guess-{number}", "csrfmiddlewaretoken": CSRF_SECRET}
        return requests.post(f"{http_server.url}/accounts/login/", data=data, headers=site_headers(), timeout=TIMEOUT)

    checked, refused, other = _counts(burst(sent, wrong_password), 200)
    record_figure("failed sign-ins, one account", store, sent, checked, limit)
    assert (checked, refused, other) == (limit, sent - limit, set())


@pytest.mark.parametrize(("sent", "limit"), BURSTS)
def test_failed_sign_ins_per_address_never_exceed_the_limit(
    http_server: HttpServer, store: str, settings: Any, sent: int, limit: int
) -> None:
    settings.RATELIMITS = {"login": (limit, 300), "login_account": (10_000, 300)}

    def wrong_account(number: int) -> requests.Response:
        data = {"username": f"nobody-{number}", "password": "guess", "csrfmiddlewaretoken": CSRF_SECRET}
        return requests.post(f"{http_server.url}/accounts/login/", data=data, headers=site_headers(), timeout=TIMEOUT)

    checked, refused, other = _counts(burst(sent, wrong_account), 200)
    record_figure("failed sign-ins, one address", store, sent, checked, limit)
    assert (checked, refused, other) == (limit, sent - limit, set())


@pytest.mark.parametrize(("sent", "limit"), BURSTS)
def test_review_posts_of_one_account_never_exceed_the_limit(
    http_server: HttpServer, store: str, settings: Any, sent: int, limit: int
) -> None:
    settings.RATELIMITS = {"review_post": (limit, 3600)}
    settings.REVIEWS_PREMODERATION = False
    author = user_create()
    products = [product_create() for _ in range(sent)]
    client = Client()
    client.force_login(author)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    def post_review(number: int) -> requests.Response:
        data = {
            "rating": "4",
            "title": f"Review {number}",
            "body": "Comfortable from the first day, and still fine after a month.",
            "language": "en",
            "csrfmiddlewaretoken": CSRF_SECRET,
        }
        url = f"{http_server.url}/products/{products[number].sku}/review/"
        return requests.post(url, data=data, headers=site_headers(session=session), allow_redirects=False, timeout=60)

    posted, refused, other = _counts(burst(sent, post_review), 302)
    record_figure("review posts, one account (site)", store, sent, posted, limit)
    assert (posted, refused, other) == (limit, sent - limit, set())
    assert Review.objects.filter(author=author).count() == limit


@pytest.mark.parametrize(("sent", "limit"), BURSTS)
def test_anonymous_api_calls_never_exceed_the_limit(
    http_server: HttpServer, store: str, settings: Any, sent: int, limit: int
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": f"{limit}/hour", "user": "10000/hour", "api_key": "10000/hour"},
    }

    def read(_number: int) -> requests.Response:
        return requests.get(f"{http_server.url}/api/v1/products/", timeout=TIMEOUT)

    served, refused, other = _counts(burst(sent, read), 200)
    record_figure("anonymous API, one address", store, sent, served, limit)
    assert (served, refused, other) == (limit, sent - limit, set())


@pytest.mark.parametrize(("sent", "limit"), BURSTS)
def test_api_key_calls_never_exceed_the_limit(
    http_server: HttpServer, store: str, settings: Any, sent: int, limit: int
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "10000/hour", "user": "10000/hour", "api_key": f"{limit}/hour"},
    }
    key = api_key_create(name="ERP", owner=user_create(), scopes=["read"]).plaintext

    def read(_number: int) -> requests.Response:
        headers = {"Authorization": f"Api-Key {key}"}
        return requests.get(f"{http_server.url}/api/v1/products/", headers=headers, timeout=TIMEOUT)

    served, refused, other = _counts(burst(sent, read), 200)
    record_figure("API key", store, sent, served, limit)
    assert (served, refused, other) == (limit, sent - limit, set())


@pytest.mark.parametrize(("sent", "limit"), BURSTS)
def test_review_posts_with_an_api_key_never_exceed_the_limit(
    http_server: HttpServer, store: str, settings: Any, sent: int, limit: int
) -> None:
    settings.RATELIMITS = {"review_post": (limit, 3600)}
    settings.REVIEWS_PREMODERATION = False
    owner = user_create()
    key = api_key_create(name="Shop", owner=owner, scopes=["read", "write"]).plaintext
    products = [product_create() for _ in range(sent)]

    def post_review(number: int) -> requests.Response:
        body: dict[str, Any] = {
            "rating": 4,
            "title": f"Review {number}",
            "body": "Comfortable from the first day on.",
            "language": "en",
        }
        url = f"{http_server.url}/api/v1/products/{products[number].sku}/reviews/"
        return requests.post(url, json=body, headers={"Authorization": f"Api-Key {key}"}, timeout=TIMEOUT)

    posted, refused, other = _counts(burst(sent, post_review), 201)
    record_figure("review posts, one API key (API)", store, sent, posted, limit)
    assert (posted, refused, other) == (limit, sent - limit, set())
    assert Review.objects.filter(author=owner).count() == limit
