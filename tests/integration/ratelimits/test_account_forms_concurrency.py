"""Sign-ups and wrong current passwords sent at once never get more through than the
limit: both are counted before the work, atomically, as sign-ins are.

Real HTTP against a live server, on PostgreSQL, with each counter store, as
test_concurrency.py (figures to the same file).
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from accounts.models import User
from tests.factories import user_create

from .conftest import CSRF_SECRET, HttpServer, burst, record_figure, site_headers
from .test_concurrency import BURSTS, STORES, TIMEOUT

PASSWORD = "a-very-long-passphrase-7"

pytestmark = pytest.mark.django_db(transaction=True)


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
def test_sign_ups_from_one_address_never_exceed_the_limit(
    http_server: HttpServer, store: str, settings: Any, sent: int, limit: int
) -> None:
    settings.RATELIMITS = {"signup": (limit, 3600)}

    def sign_up(number: int) -> requests.Response:
        data = {
            "username": f"burst{number}",
            "email": f"burst{number}@example.com",
            "display_name": f"Burst {number}",
            "language": "en",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "csrfmiddlewaretoken": CSRF_SECRET,
        }
        url = f"{http_server.url}/accounts/signup/"
        return requests.post(url, data=data, headers=site_headers(), allow_redirects=False, timeout=TIMEOUT)

    created, refused, other = _counts(burst(sent, sign_up), 302)
    record_figure("sign-ups, one address", store, sent, created, limit)
    assert (created, refused, other) == (limit, sent - limit, set())
    assert User.objects.filter(username__startswith="burst").count() == limit


@pytest.mark.parametrize(("sent", "limit"), BURSTS)
def test_wrong_current_passwords_of_one_account_never_exceed_the_limit(
    http_server: HttpServer, store: str, settings: Any, sent: int, limit: int
) -> None:
    settings.RATELIMITS = {"password_change": (limit, 900)}
    user = user_create()
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value

    def wrong_current(number: int) -> requests.Response:
        data = {
            "old_password": f"guess-{number}",
            "new_password1": PASSWORD,
            "new_password2": PASSWORD,
            "csrfmiddlewaretoken": CSRF_SECRET,
        }
        url = f"{http_server.url}/accounts/password/change/"
        return requests.post(url, data=data, headers=site_headers(session=session), timeout=TIMEOUT)

    checked, refused, other = _counts(burst(sent, wrong_current), 400)
    record_figure("wrong current passwords, one account", store, sent, checked, limit)
    assert (checked, refused, other) == (limit, sent - limit, set())
