"""Which database each query of a request used, with the replica a test mirror of the primary
(conftest.py): anonymous pages and API GETs read the replica; signed-in pages, writes, the
desk, transactions, sessions and authentication the primary; a writer gets the cookie and
reads the primary until the replica has replayed past their write."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.db import OperationalError, connection, connections, router, transaction
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import QUALITY_DIRECTOR, SHOPPER
from core import read_replica_middleware
from core.db_router import current_read_alias
from core.read_replica import LSN_COOKIE, PRIMARY, REPLICA
from products.models import Product
from reviews.models import Review
from tests.clients import api_as, site_as
from tests.factories import REVIEW_TEXT, product_create, user_create

from .conftest import REPLICA_DB, QueryLog

pytestmark = REPLICA_DB

POSTGRESQL = connection.vendor == "postgresql"
PRODUCTS = "products_product"


def product_page(product: Product) -> str:
    return reverse("product_detail", kwargs={"sku": product.sku})


def test_an_anonymous_product_page_reads_the_replica(replica_routing: QueryLog) -> None:
    product = product_create()
    replica_routing.clear()
    response = Client().get(product_page(product))
    assert response.status_code == 200
    assert product.name in response.content.decode()
    assert replica_routing.on(REPLICA, PRODUCTS)
    assert not replica_routing.on(PRIMARY, PRODUCTS)
    assert LSN_COOKIE not in response.cookies  # a read sets no cookie


def test_without_the_router_the_same_page_reads_only_the_primary(settings: Any, replica_routing: QueryLog) -> None:
    settings.DATABASE_ROUTERS = []  # what an unset DATABASE_REPLICA_URL leaves
    product = product_create()
    replica_routing.clear()
    assert Client().get(product_page(product)).status_code == 200
    assert replica_routing.statements[REPLICA] == []


def test_api_gets_read_the_replica_and_the_api_key_the_primary(replica_routing: QueryLog) -> None:
    product_create()
    integrator = api_as(user_create(SHOPPER))
    for client in (APIClient(), integrator):
        replica_routing.clear()
        response = client.get("/api/v1/products/")
        assert response.status_code == 200, response.content
        assert replica_routing.on(REPLICA, PRODUCTS)
        assert not replica_routing.on(PRIMARY, PRODUCTS)
    # The key and its owner were looked up on the primary, inside the replica's request.
    assert replica_routing.on(PRIMARY, "apikeys_apikey")
    assert not replica_routing.on(REPLICA, "apikeys_apikey")
    assert not replica_routing.on(REPLICA, "accounts_user")


def test_a_signed_in_page_reads_only_the_primary(replica_routing: QueryLog) -> None:
    product = product_create()
    client = site_as(user_create(SHOPPER))
    replica_routing.clear()
    assert client.get(product_page(product)).status_code == 200
    assert replica_routing.on(PRIMARY, PRODUCTS)
    assert replica_routing.statements[REPLICA] == []
    # The session and the user were read (on the primary) to know that.
    assert replica_routing.on(PRIMARY, "django_session")
    assert replica_routing.on(PRIMARY, "accounts_user")


def test_a_stale_session_cookie_is_looked_up_on_the_primary_and_the_page_read_on_the_replica(
    replica_routing: QueryLog,
) -> None:
    product = product_create()
    client = Client()
    client.cookies["sessionid"] = "no-such-session-key-0123456789abcdef"
    replica_routing.clear()
    assert client.get(product_page(product)).status_code == 200
    assert replica_routing.on(PRIMARY, "django_session")
    assert not replica_routing.on(REPLICA, "django_session")
    assert replica_routing.on(REPLICA, PRODUCTS)


def test_posting_a_review_writes_and_reads_the_primary_and_sets_the_cookie(replica_routing: QueryLog) -> None:
    product = product_create()
    client = site_as(user_create(SHOPPER))
    replica_routing.clear()
    response = client.post(
        reverse("review_create", kwargs={"sku": product.sku}),
        {"rating": 5, "title": "Love it", "body": REVIEW_TEXT, "language": "en"},
    )
    assert response.status_code == 302, response.content
    assert Review.objects.filter(product=product).exists()
    assert replica_routing.statements[REPLICA] == []
    cookie = response.cookies.get(LSN_COOKIE)
    if not POSTGRESQL:
        assert cookie is None  # no WAL, no replica on SQLite
        return
    assert cookie is not None
    assert re.fullmatch(r"[0-9A-F]+/[0-9A-F]+", cookie.value)
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == read_replica_middleware.LSN_COOKIE_SECONDS
    assert not cookie["secure"]  # as the session cookie, off in tests (tests/conftest.py)


def test_the_desk_reads_the_primary(replica_routing: QueryLog) -> None:
    product_create()
    director = site_as(user_create(QUALITY_DIRECTOR))
    replica_routing.clear()
    assert director.get("/desk/").status_code == 200
    assert Client().get("/desk/").status_code == 302  # anonymous: sent to sign in
    assert replica_routing.statements[REPLICA] == []


def test_reads_inside_a_transaction_use_the_primary(replica_routing: QueryLog) -> None:
    token = current_read_alias.set(REPLICA)
    try:
        assert router.db_for_read(Product) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Product) == PRIMARY
        assert router.db_for_read(Product) == REPLICA
    finally:
        current_read_alias.reset(token)


def test_a_request_inside_a_transaction_never_asks_the_replica(
    monkeypatch: pytest.MonkeyPatch, replica_routing: QueryLog
) -> None:
    # ATOMIC_REQUESTS, or a test's transaction: every read is the primary's, so not even
    # the replica's connection is checked.
    checked: list[bool] = []
    monkeypatch.setattr(read_replica_middleware, "replica_connected", lambda: checked.append(True))
    product = product_create()
    assert Client().get(product_page(product)).status_code == 200
    assert checked == [True]  # outside a transaction it is
    replica_routing.clear()
    with transaction.atomic():
        assert Client().get(product_page(product)).status_code == 200
    assert checked == [True]
    assert replica_routing.on(PRIMARY, PRODUCTS)
    assert replica_routing.statements[REPLICA] == []


def test_sessions_cache_users_and_keys_are_never_read_from_the_replica(replica_routing: QueryLog) -> None:
    from django.contrib.sessions.models import Session
    from django.core.cache import cache

    from accounts.models import User
    from apikeys.models import ApiKey
    from core.models import RateLimitCounter

    token = current_read_alias.set(REPLICA)
    try:
        for model in (Session, User, ApiKey, RateLimitCounter):
            assert router.db_for_read(model) == PRIMARY, model
        replica_routing.clear()
        cache.set("replica-test", 1)
        assert cache.get("replica-test") == 1
        assert replica_routing.statements[REPLICA] == []
    finally:
        current_read_alias.reset(token)


def test_outside_a_request_everything_reads_the_primary(replica_routing: QueryLog) -> None:
    assert router.db_for_read(Product) == PRIMARY  # tasks, commands, the gate's engine
    assert router.db_for_write(Product) == PRIMARY


def test_a_task_run_inside_a_replica_request_reads_the_primary(replica_routing: QueryLog) -> None:
    from config.celery_app import app

    @app.task(name="tests.replica.where_reads_go")
    def where_reads_go() -> str:
        return router.db_for_read(Product)

    token = current_read_alias.set(REPLICA)  # as during an anonymous page
    try:
        assert where_reads_go.apply().get() == PRIMARY  # an eager task, in the request's context
        assert router.db_for_read(Product) == REPLICA  # the request's own reads again after it
    finally:
        current_read_alias.reset(token)


def _visit_with_cookie(product: Product, cookie_lsn: str) -> Any:
    client = Client()
    client.cookies[LSN_COOKIE] = cookie_lsn
    return client.get(product_page(product))


@pytest.mark.parametrize(
    ("replay_lsn", "expected"),
    [
        ("0/3000000", PRIMARY),  # behind the write (or paused there)
        ("0/4000000", REPLICA),  # replayed exactly to it
        ("1/0", REPLICA),
        (None, PRIMARY),  # not replaying (NULL)
    ],
)
def test_a_writer_reads_the_replica_once_it_replayed_past_the_write(
    monkeypatch: pytest.MonkeyPatch,
    replica_routing: QueryLog,
    replay_lsn: str | None,
    expected: str,
) -> None:
    monkeypatch.setattr(read_replica_middleware, "replica_replay_lsn", lambda: replay_lsn)
    product = product_create()
    replica_routing.clear()
    response = _visit_with_cookie(product, "0/4000000")
    assert response.status_code == 200
    assert replica_routing.on(expected, PRODUCTS)
    other = REPLICA if expected == PRIMARY else PRIMARY
    assert not replica_routing.on(other, PRODUCTS)
    # Never deleted, replayed or not: an answer deleting it could land after a concurrent
    # write's answer that set a newer one (found by review); it expires on its own.
    assert LSN_COOKIE not in response.cookies


def test_a_broken_cookie_reads_the_primary(monkeypatch: pytest.MonkeyPatch, replica_routing: QueryLog) -> None:
    monkeypatch.setattr(read_replica_middleware, "replica_replay_lsn", lambda: "FF/0")
    product = product_create()
    replica_routing.clear()
    assert _visit_with_cookie(product, "'; DROP TABLE x; --").status_code == 200
    assert replica_routing.on(PRIMARY, PRODUCTS)
    assert not replica_routing.on(REPLICA, PRODUCTS)


def test_a_replica_that_is_not_replaying_keeps_a_writer_on_the_primary(replica_routing: QueryLog) -> None:
    # The mirror is the primary itself, not in recovery: no replay position (None on SQLite).
    product = product_create()
    replica_routing.clear()
    assert _visit_with_cookie(product, "0/1").status_code == 200
    assert replica_routing.on(PRIMARY, PRODUCTS)
    assert not replica_routing.on(REPLICA, PRODUCTS)


@pytest.mark.skipif(not POSTGRESQL, reason="WAL positions: PostgreSQL only")
def test_after_posting_the_writer_reads_the_primary_until_replay_passes_the_cookie(
    monkeypatch: pytest.MonkeyPatch, replica_routing: QueryLog
) -> None:
    product = product_create()
    client = site_as(user_create(SHOPPER))
    response = client.post(
        reverse("review_create", kwargs={"sku": product.sku}),
        {"rating": 5, "title": "Love it", "body": REVIEW_TEXT, "language": "en"},
    )
    written = response.cookies[LSN_COOKIE].value
    high, low = (int(part, 16) for part in written.split("/"))
    just_before = f"{high:X}/{low - 1:X}" if low else f"{high - 1:X}/FFFFFFFF"
    client.logout()  # now anonymous (the test client forgets every cookie then)...
    client.cookies[LSN_COOKIE] = written  # ...still carrying the write's position
    for replay, expected in ((just_before, PRIMARY), (written, REPLICA)):
        monkeypatch.setattr(read_replica_middleware, "replica_replay_lsn", lambda replay=replay: replay)
        replica_routing.clear()
        assert client.get(product_page(product)).status_code == 200
        assert replica_routing.on(expected, PRODUCTS), (replay, expected)


def test_an_unreachable_replica_falls_back_to_the_primary_and_warns_once(
    monkeypatch: pytest.MonkeyPatch, replica_routing: QueryLog, caplog: pytest.LogCaptureFixture
) -> None:
    def unreachable() -> None:
        raise OperationalError("connection to server at replica.internal failed: timeout expired")

    monkeypatch.setattr(read_replica_middleware, "replica_connected", unreachable)
    monkeypatch.setattr(read_replica_middleware, "RETRY_REPLICA_AFTER_SECONDS", 0.0)  # try each time
    product = product_create()
    replica_routing.clear()
    with caplog.at_level(logging.WARNING, logger="core.read_replica_middleware"):
        for _ in range(3):
            assert Client().get(product_page(product)).status_code == 200
            assert Client().get("/api/v1/products/").status_code == 200
    assert replica_routing.statements[REPLICA] == []
    assert replica_routing.on(PRIMARY, PRODUCTS)
    warnings = [r for r in caplog.records if r.name == "core.read_replica_middleware"]
    assert len(warnings) == 1
    assert "replica.internal" in warnings[0].getMessage()


class _ClosedByServerCursor:
    """What the driver's cursor does once the replica's server went away mid-request."""

    def __init__(self, error: type[Exception]) -> None:
        self.error = error

    def execute(self, *args: Any, **kwargs: Any) -> None:
        raise self.error("server closed the connection unexpectedly")

    executemany = execute

    def close(self) -> None:
        pass


def test_a_replica_failing_mid_page_is_answered_again_from_the_primary(
    monkeypatch: pytest.MonkeyPatch, replica_routing: QueryLog
) -> None:
    product = product_create()
    replica = connections[REPLICA]
    replica.ensure_connection()  # connected: the failure comes with the page's first query
    monkeypatch.setattr(
        replica,
        "create_cursor",
        lambda name=None: _ClosedByServerCursor(replica.Database.OperationalError),  # type: ignore[attr-defined]
    )
    replica_routing.clear()
    response = Client().get(product_page(product))
    assert response.status_code == 200
    assert product.name in response.content.decode()
    assert replica_routing.on(REPLICA, PRODUCTS)  # tried there first
    assert replica_routing.on(PRIMARY, PRODUCTS)
    # ...and the next requests leave the replica alone for a while.
    replica_routing.clear()
    assert Client().get(product_page(product)).status_code == 200
    assert replica_routing.statements[REPLICA] == []


def test_only_tables_the_replica_serves_count_as_writes(settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "reviewgate_cache"}
    }
    unreplicated = read_replica_middleware.unreplicated_tables()
    for table in ("django_session", "reviewgate_cache", "core_ratelimitcounter", "apikeys_apikey", "accounts_user"):
        assert table in unreplicated
    for table in ("reviews_review", "products_product", "reviews_reviewvote", "gate_gateevent"):
        assert table not in unreplicated


def test_a_write_sets_the_cookie_and_filling_the_cache_or_the_session_does_not(
    monkeypatch: pytest.MonkeyPatch, settings: Any, replica_routing: QueryLog
) -> None:
    # The primary's position stood in for, so that this runs on SQLite too.
    monkeypatch.setattr(read_replica_middleware, "primary_current_lsn", lambda: "0/ABC")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "reviewgate_cache"}
    }
    settings.PAGE_CACHE_SECONDS = 3600
    product = product_create()
    replica_routing.clear()
    anonymous = Client().get(product_page(product))  # stores the page in the database cache
    assert anonymous.status_code == 200
    assert replica_routing.on(PRIMARY, "reviewgate_cache")
    assert LSN_COOKIE not in anonymous.cookies
    shopper = site_as(user_create(SHOPPER))
    viewed = shopper.get(product_page(product))  # signed in: the session is read, nothing written
    assert LSN_COOKIE not in viewed.cookies
    posted = shopper.post(
        reverse("review_create", kwargs={"sku": product.sku}),
        {"rating": 4, "title": "Good", "body": REVIEW_TEXT, "language": "en"},
    )
    assert posted.status_code == 302
    assert posted.cookies[LSN_COOKIE].value == "0/ABC"


@pytest.mark.django_db
def test_a_reconnection_during_a_request_leaves_no_tracker_behind(replica_routing: QueryLog) -> None:
    """A connection opened inside the request gets /metrics' query wrapper then; the request's
    write tracker must still be the one removed after it (found by review: Django's
    execute_wrapper() pops the last wrapper, so every reconnection left a tracker for good,
    until each query went through hundreds and raised RecursionError)."""
    from django.http import HttpRequest, HttpResponse
    from django.test import RequestFactory

    from ops.db_metrics import _connection_opened, query_observed

    primary = connections["default"]

    def view_on_a_new_connection(request: HttpRequest) -> HttpResponse:
        if query_observed in primary.execute_wrappers:  # as on a fresh connection
            primary.execute_wrappers.remove(query_observed)
        _connection_opened(sender=None, connection=primary)  # connection_created, in the request
        return HttpResponse("ok")

    middleware = read_replica_middleware.ReadReplicaMiddleware(view_on_a_new_connection)
    before = [wrapper for wrapper in primary.execute_wrappers if wrapper is not query_observed]
    for _ in range(3):
        middleware(RequestFactory().post("/accounts/login/"))
    assert query_observed in primary.execute_wrappers
    assert [wrapper for wrapper in primary.execute_wrappers if wrapper is not query_observed] == before
