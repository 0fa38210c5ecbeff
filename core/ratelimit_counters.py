"""Atomic fixed-window counters for core.ratelimit and the API's throttles.

Each count is ONE atomic operation of the store, so N requests at once read N distinct
counts and exactly `limit` of them are allowed, on as many processes as there are:

- Redis (``RATELIMIT_STORE = "redis"``, the default when REDIS_URL is set): a Lua script
  runs INCR and, on a key without expiry, EXPIRE, as one step on the server; the key can
  never be left without an expiry, nor expire between the two.
- The database (``"database"``, the default otherwise): one upsert statement,
  ``INSERT ... ON CONFLICT (scope, ident, window) DO UPDATE SET count = count + 1
  RETURNING count``, on a core.RateLimitCounter row. PostgreSQL serialises the updates of
  one row on its row lock and SQLite has one writer, so no two requests read one count.
  (Django's ``update(count=F("count") + 1)`` is the same increment but cannot return the
  new value; reading it afterwards would be a second statement.) When a window starts,
  rows whose window has ended are deleted.

The cache's own add()+incr() is not used: on the database cache, incr is a read then a
write, and two processes that read the same value both pass the limit.

When Redis is unreachable (stopped, restarting, a network cut), the Redis store falls back
to the database's counters: the request is counted there, the same way, and the process
does not try Redis again for ``REDIS_RETRY_SECONDS`` (each try would cost a failed connect).
The fallback never fails open: if the database cannot count either, the error goes up and
the request fails (a 503, core.db_unavailable), it is never let through uncounted. A
refund that cannot reach its store is dropped: a refund lost only refuses more.
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import redis
from django.conf import settings
from django.db import connection
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.models import RateLimitCounter

STORES = ("redis", "database")

logger = logging.getLogger(__name__)

# A request waits at most this long for Redis before counting in the database instead (a
# stopped Redis refuses at once; a host that vanished would otherwise hang the request).
REDIS_TIMEOUT_SECONDS = 0.5
# After a failure, this process counts in the database this long before trying Redis again.
REDIS_RETRY_SECONDS = 5.0
# What "Redis is unreachable" raises (a script or data error is a bug and is not caught).
REDIS_UNREACHABLE: tuple[type[Exception], ...] = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

# INCR, then an expiry if the key has none (a new key, or one an operator persisted): in
# one script, so no request can observe the counter without its expiry.
_INCR_WITH_EXPIRY = """
local count = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
"""
# Gives back one count, never below zero, and never recreates an expired key.
_DECR_IF_POSITIVE = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""

# The same SQL on PostgreSQL and SQLite (3.35+: upsert with RETURNING). Names are quoted:
# "window" is a reserved word in PostgreSQL. The table is RateLimitCounter's (Meta.db_table).
_UPSERT = (
    'INSERT INTO "core_ratelimitcounter" ("scope", "ident", "window", "count", "expires_at") '
    "VALUES (%s, %s, %s, 1, %s) "
    'ON CONFLICT ("scope", "ident", "window") DO UPDATE SET "count" = "core_ratelimitcounter"."count" + 1 '
    'RETURNING "count"'
)
_REFUND = (
    'UPDATE "core_ratelimitcounter" SET "count" = "count" - 1 '
    'WHERE "scope" = %s AND "ident" = %s AND "window" = %s AND "count" > 0'
)

_redis_clients: dict[str, redis.Redis] = {}
_redis_lock = threading.Lock()


class _RedisHealth:
    """Whether this process should try Redis now: false for REDIS_RETRY_SECONDS after a
    failure. One per process, shared by its threads."""

    def __init__(self) -> None:
        self.down_until = 0.0  # time.monotonic()
        self.lock = threading.Lock()

    def usable(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self, exc: Exception) -> None:
        with self.lock:
            first = self.down_until == 0.0
            self.down_until = time.monotonic() + REDIS_RETRY_SECONDS
        if first:
            logger.warning("rate limits: Redis unreachable, counting in the database: %s", exc)

    def succeeded(self) -> None:
        if self.down_until:
            with self.lock:
                self.down_until = 0.0
            logger.warning("rate limits: Redis reachable again, counting in Redis")


redis_health = _RedisHealth()


@dataclass(frozen=True)
class Counter:
    """One client's counter in one window of one limit."""

    store: str
    scope: str
    ident: str
    window: int
    period: int

    @property
    def redis_key(self) -> str:
        return f"ratelimit:{self.scope}:{self.ident}:{self.window}"

    @property
    def ends_at(self) -> datetime:
        return datetime.fromtimestamp((self.window + 1) * self.period, tz=UTC)


@dataclass(frozen=True)
class RateLimitResult:
    scope: str
    allowed: bool
    limit: int
    period: int
    count: int
    retry_after: int  # seconds until the current window ends
    counter: Counter | None = field(default=None, compare=False, repr=False)


def configured_store() -> str:
    store = getattr(settings, "RATELIMIT_STORE", "") or ("redis" if getattr(settings, "REDIS_URL", "") else "database")
    if store not in STORES:
        raise ValueError(f"RATELIMIT_STORE must be one of {', '.join(STORES)}, not {store!r}")
    return store


def _redis() -> redis.Redis:
    url = settings.REDIS_URL  # the cache's Redis: cache.clear() in tests resets counters too
    with _redis_lock:
        client = _redis_clients.get(url)
        if client is None:  # one client (and connection pool, thread-safe) per process
            # No retries: the fallback is the retry (redis-py's default retries with back-off
            # would hold every request for seconds while Redis is down).
            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                retry=Retry(NoBackoff(), 0),
            )
            _redis_clients[url] = client
        return client


def counter_increment(counter: Counter) -> tuple[Counter, int]:
    """Adds one to the counter and returns its new value, atomically, with the counter it
    was counted on: the database's during an outage of Redis (a refund goes there too)."""
    if counter.store == "redis" and redis_health.usable():
        try:
            # Outlives the window a little so a refund at its very end still finds the key.
            value = int(_redis().eval(_INCR_WITH_EXPIRY, 1, counter.redis_key, counter.period + 5))
        except REDIS_UNREACHABLE as exc:
            redis_health.failed(exc)
        else:
            redis_health.succeeded()
            return counter, value
    in_database = replace(counter, store="database")
    return in_database, _database_increment(in_database)


def _database_increment(counter: Counter) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [counter.scope, counter.ident, counter.window, counter.ends_at])
        value = int(cursor.fetchone()[0])
    if value == 1:
        # A new window started: the ended ones are of no use. Cheap (indexed), and it keeps
        # the table to the live windows without a scheduled task.
        rate_limit_counters_purge(before=datetime.fromtimestamp(counter.window * counter.period, tz=UTC))
    return value


def counter_decrement(counter: Counter) -> None:
    """Gives back one count (a refund), never below zero, in the store it was counted in."""
    if counter.store == "redis":
        try:
            _redis().eval(_DECR_IF_POSITIVE, 1, counter.redis_key)
        except REDIS_UNREACHABLE as exc:
            redis_health.failed(exc)  # the count stays taken: this refuses more, never less
        return
    with connection.cursor() as cursor:
        cursor.execute(_REFUND, [counter.scope, counter.ident, counter.window])


def counter_value(counter: Counter) -> int:
    if counter.store == "redis" and redis_health.usable():
        try:
            return int(_redis().get(counter.redis_key) or 0)
        except REDIS_UNREACHABLE as exc:
            redis_health.failed(exc)
    found = (
        RateLimitCounter.objects.filter(scope=counter.scope, ident=counter.ident, window=counter.window)
        .values_list("count", flat=True)
        .first()
    )
    return int(found or 0)


def rate_limit_counters_purge(*, before: datetime) -> int:
    """Deletes the database counters of windows that ended before ``before``."""
    deleted, _by_model = RateLimitCounter.objects.filter(expires_at__lte=before).delete()
    return deleted


def clock() -> float:
    """The time the windows are counted in: the wall clock (seconds since the epoch).

    Looked up at each call (``ratelimit_counters.clock()``), so the test suite can start
    every test at the beginning of a window (tests/conftest.py): requests a test sends one
    after another then never straddle two fixed windows, which would allow them twice."""
    return time.time()


def counter_at(scope: str, ident: str, *, period: int, now: float | None = None) -> tuple[Counter, int]:
    """Client ``ident``'s counter in the window holding ``now`` (default: the limits' clock),
    and the seconds left until that window ends (at least 1, for Retry-After)."""
    now = clock() if now is None else now
    window = int(now // period)
    retry_after = max(1, math.ceil((window + 1) * period - now))
    hashed = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return Counter(store=configured_store(), scope=scope, ident=hashed, window=window, period=period), retry_after


def counter_hit(scope: str, ident: str, *, limit: int, period: int, now: float | None = None) -> RateLimitResult:
    """Counts one request of client ``ident`` against a limit, atomically, and says whether
    it is allowed. The building block of every limit here and of the API's throttles."""
    counter, retry_after = counter_at(scope, ident, period=period, now=now)
    counter, count = counter_increment(counter)
    return RateLimitResult(scope, count <= limit, limit, period, count, retry_after, counter)
