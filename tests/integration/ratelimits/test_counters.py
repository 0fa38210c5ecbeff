"""The counters themselves, in each store: one atomic step per request, an expiry that is
always set, refunds that never go below zero, ended windows cleaned up."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from core.models import RateLimitCounter
from core.ratelimit import period_text, rate_limit_hit, rate_limit_refund, rate_limits_take
from core.ratelimit_counters import Counter, configured_store, counter_hit, counter_value

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["redis", "database"])
def store(request: pytest.FixtureRequest, settings: Any) -> str:
    if request.param == "redis" and not django_settings.REDIS_URL:
        pytest.skip("no Redis: set REDIS_URL=redis://127.0.0.1:6379/1")
    settings.RATELIMIT_STORE = request.param
    return str(request.param)


def anonymous(address: str = "10.0.0.1") -> Any:
    request = RequestFactory().post("/", REMOTE_ADDR=address)
    request.user = type("Anonymous", (), {"is_authenticated": False})()
    return request


def test_each_hit_counts_one_and_the_limit_is_inclusive(store: str) -> None:
    results = [counter_hit("test", "client", limit=3, period=60, now=1000.0) for _ in range(5)]
    assert [(r.count, r.allowed) for r in results] == [(1, True), (2, True), (3, True), (4, False), (5, False)]
    assert results[0].retry_after == 20  # the window [960, 1020) ends in 20 s


def test_a_refund_gives_back_one_count_never_below_zero(store: str) -> None:
    first = counter_hit("test", "client", limit=3, period=60, now=1000.0)
    rate_limit_refund(first)
    rate_limit_refund(first)
    assert first.counter is not None and counter_value(first.counter) == 0
    assert counter_hit("test", "client", limit=3, period=60, now=1000.0).count == 1


def test_a_refused_limit_gives_back_the_ones_taken_before_it(store: str, settings: Any) -> None:
    settings.RATELIMITS = {"login": (5, 300), "login_account": (1, 300)}
    request = anonymous()
    assert rate_limits_take(request, [("login", None), ("login_account", "account:a")], now=10.0).refused is None
    refused = rate_limits_take(request, [("login", None), ("login_account", "account:a")], now=10.0).refused
    assert refused is not None and refused.scope == "login_account"
    # The address was counted once (the attempt that was checked), not twice.
    assert rate_limit_hit(request, "login", now=10.0).count == 2


def test_the_default_store_follows_redis_url(settings: Any) -> None:
    settings.RATELIMIT_STORE = ""
    settings.REDIS_URL = ""
    assert configured_store() == "database"
    settings.REDIS_URL = "redis://127.0.0.1:6379/1"
    assert configured_store() == "redis"
    settings.RATELIMIT_STORE = "memcached"
    with pytest.raises(ValueError, match="RATELIMIT_STORE must be one of redis, database"):
        configured_store()


def test_redis_counters_always_expire(settings: Any) -> None:
    if not django_settings.REDIS_URL:
        pytest.skip("no Redis: set REDIS_URL=redis://127.0.0.1:6379/1")
    import redis

    settings.RATELIMIT_STORE = "redis"
    result = counter_hit("test", "client", limit=3, period=600)
    assert result.counter is not None
    client = redis.Redis.from_url(django_settings.REDIS_URL)
    assert 600 < client.ttl(result.counter.redis_key) <= 605
    client.persist(result.counter.redis_key)  # a key that lost its expiry gets one back
    counter_hit("test", "client", limit=3, period=600)
    assert 600 < client.ttl(result.counter.redis_key) <= 605


def test_database_counters_of_ended_windows_are_deleted_when_a_window_starts(settings: Any) -> None:
    settings.RATELIMIT_STORE = "database"
    counter_hit("vote", "a", limit=3, period=60, now=1000.0)
    counter_hit("vote", "a", limit=3, period=60, now=1001.0)
    counter_hit("login", "b", limit=3, period=3600, now=1000.0)
    assert RateLimitCounter.objects.count() == 2
    row = RateLimitCounter.objects.get(scope="vote")
    assert (row.window, row.count, row.expires_at) == (16, 2, datetime.fromtimestamp(1020, tz=UTC))
    counter_hit("vote", "a", limit=3, period=60, now=1100.0)  # a new window: the old one goes
    assert sorted(RateLimitCounter.objects.values_list("scope", "window", "count")) == [
        ("login", 0, 1),
        ("vote", 18, 1),
    ]


def test_counter_keys_never_hold_the_client_in_clear(settings: Any) -> None:
    settings.RATELIMIT_STORE = "database"
    result = counter_hit("login_account", "account:camille@example.com", limit=3, period=300, now=1.0)
    assert isinstance(result.counter, Counter)
    assert "camille" not in result.counter.ident and len(result.counter.ident) == 32


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(3600, "hour"), (7200, "2 hours"), (600, "10 minutes"), (60, "minute"), (90, "90 seconds")],
)
def test_a_window_is_named_in_words(seconds: int, text: str) -> None:
    assert period_text(seconds) == text


def test_each_test_counts_its_limits_from_the_start_of_a_window(settings: Any) -> None:
    """tests/conftest.py starts the limits' clock one second past a midnight UTC for each
    test, so a test's requests fall in one window of any period dividing a day, whatever
    the hour the suite runs at (one failed at midnight when its requests straddled two)."""
    from core import ratelimit_counters
    from tests.conftest import DAY_SECONDS

    since_midnight = ratelimit_counters.clock() % DAY_SECONDS
    assert 1.0 <= since_midnight < 60.0
    settings.RATELIMIT_ENABLED = True
    request = anonymous()
    results = [rate_limit_hit(request, "vote") for _ in range(2)]
    assert results[0].counter is not None and results[0].counter == results[1].counter
    assert [result.count for result in results] == [1, 2]
    assert results[0].retry_after > 600 - 60  # "vote" counts per 600 s: nearly all of it is left
