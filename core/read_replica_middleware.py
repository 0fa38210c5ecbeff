"""Per request: choose the database for reads, and give a writer the read-your-writes cookie.

Installed right after AuthenticationMiddleware when ``DATABASE_REPLICA_URL`` is set
(config/settings.py, "Read replica"); docs/read-replica.md says what goes where.

1. Before the view: the facts (method, path, signed in on the site?, the ``rg_wal_lsn``
   cookie, and only when that cookie is sent, the replica's ``pg_last_wal_replay_lsn()``) go
   to core.read_replica.read_alias, and the answer into core.db_router.current_read_alias for the
   router. Whether the visitor is signed in is looked up before that, so the session and the
   user come from the primary; without a session cookie nobody can be signed in and nothing
   is looked up.
2. During the view: every statement on the primary connection passes a wrapper that notes
   a write (core.read_replica.statement_writes). Why a wrapper on the connection rather than
   the router's db_for_write: raw SQL (the rating figures, the gate's event log, the
   rate-limit upsert) never asks the router, and the router is also asked for reads that only
   lock (select_for_update, get_or_create) or writes that then roll back. The wrapper sees
   what the primary actually ran.
3. After the view, once the request's transactions are committed: a request that wrote gets
   ``rg_wal_lsn`` = the primary's ``pg_current_wal_insert_lsn()``, which is past its commit
   record even with asynchronous commit (``pg_current_wal_lsn()``, the write position, may
   not be yet). The cookie is left to expire, never deleted: concurrent answers could delete
   a newer one.

The replica failing never fails the request: a replica that cannot be reached sends the
request to the primary (a warning is logged once per outage, and the replica is not tried
again for :data:`RETRY_REPLICA_AFTER_SECONDS`); a GET whose replica query failed mid-view is
answered again from the primary.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponseBase
from django.utils.module_loading import import_string

from core.cache_headers import request_is_signed_in
from core.db_router import current_read_alias, primary_only
from core.read_replica import (
    LSN_COOKIE,
    PRIMARY,
    REPLICA,
    Alias,
    read_alias,
    replica_allowed,
    statement_writes,
)

logger = logging.getLogger(__name__)

# How long the cookie lives: far beyond a healthy replica's lag (milliseconds). A replica
# more than this behind is reported by /readyz; a writer then reads it again.
LSN_COOKIE_SECONDS = 300
# After the replica failed, requests go straight to the primary for this long, so an
# unreachable replica costs one connect timeout per process, not one per request.
RETRY_REPLICA_AFTER_SECONDS = 10.0

# NULL unless the server is replaying now: a server started out of crash recovery (or a
# promoted replica) keeps answering the last position it replayed then, which says nothing
# about the primary's writes since.
_REPLAY_LSN_SQL = "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END"
_CURRENT_LSN_SQL = "SELECT pg_current_wal_insert_lsn()::text"


class _ReplicaHealth:
    """Per process: whether the replica failed lately, and the warning logged once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._warned = False

    def usable(self) -> bool:
        return time.monotonic() >= self._down_until

    def failed(self, exc: BaseException) -> None:
        with self._lock:
            self._down_until = time.monotonic() + RETRY_REPLICA_AFTER_SECONDS
            warn, self._warned = not self._warned, True
        if warn:
            logger.warning("read replica unavailable, reading from the primary: %s", exc)

    def worked(self) -> None:
        if self._warned:
            with self._lock:
                self._warned = False
            logger.info("read replica available again")


replica_health = _ReplicaHealth()


def replica_replay_lsn() -> str | None:
    """The replica's replay position (None: not replaying, or not PostgreSQL)."""
    replica = connections[REPLICA]
    if replica.vendor != "postgresql":
        return None
    with replica.cursor() as cursor:
        cursor.execute(_REPLAY_LSN_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def replica_connected() -> None:
    """Connects (or checks a kept connection, once per request as Django would on first use);
    raises the driver's error when the replica cannot be reached."""
    replica = connections[REPLICA]
    replica.close_if_health_check_failed()
    replica.ensure_connection()


def primary_current_lsn() -> str | None:
    primary = connections[PRIMARY]
    if primary.vendor != "postgresql":
        return None
    with primary.cursor() as cursor:
        cursor.execute(_CURRENT_LSN_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def unreplicated_tables() -> frozenset[str]:
    """Tables only ever read from the primary: a write there needs no cookie."""
    tables = {
        model._meta.db_table.lower() for model in apps.get_models(include_auto_created=True) if primary_only(model)
    }
    # By class, not name: /metrics swaps Django's backends for counting subclasses.
    tables |= {
        str(cache["LOCATION"]).lower()
        for cache in settings.CACHES.values()
        if issubclass(import_string(cache["BACKEND"]), DatabaseCache)
    }
    return frozenset(tables)


class _WriteTracker:
    """An execute wrapper on the primary connection: notes whether the request wrote."""

    def __init__(self, unreplicated: frozenset[str]) -> None:
        self.unreplicated = unreplicated
        self.wrote = False

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if not self.wrote and statement_writes(str(sql), unreplicated_tables=self.unreplicated):
            self.wrote = True
        return execute(sql, params, many, context)


class _FailureWatch:
    """An execute wrapper on the replica connection: notes a query that failed there."""

    def __init__(self) -> None:
        self.error: DatabaseError | None = None

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        try:
            return execute(sql, params, many, context)
        except DatabaseError as exc:
            self.error = exc
            raise


class ReadReplicaMiddleware:
    """See the module."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.unreplicated = unreplicated_tables()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        cookie_lsn = request.COOKIES.get(LSN_COOKIE)
        alias = self._chosen_alias(request, cookie_lsn)
        tracker = _WriteTracker(self.unreplicated)
        token = current_read_alias.set(alias)
        # Added and removed by identity, not with execute_wrapper()'s context manager, which
        # pops whatever wrapper is last (another one installed meanwhile, on a reconnection).
        wrappers = connections[PRIMARY].execute_wrappers
        wrappers.append(tracker)
        try:
            response = self._response(request, alias)
        finally:
            current_read_alias.reset(token)
            if tracker in wrappers:
                wrappers.remove(tracker)
        if tracker.wrote:
            self._set_lsn_cookie(response)
        # A replayed cookie is left to expire, never deleted: an answer that deletes it may
        # arrive after a concurrent write's answer that set a newer one.
        return response

    def _chosen_alias(self, request: HttpRequest, cookie_lsn: str | None) -> Alias:
        # The cheap facts first: a POST or a desk page never looks at the replica (nor at the
        # session: that stays as lazy as without a replica).
        if not replica_allowed(method=request.method or "", path=request.path_info, signed_in=False):
            return PRIMARY
        signed_in = request_is_signed_in(request)  # the session and user: still the primary
        if signed_in or not replica_health.usable():
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            # The whole request runs inside a transaction (a test's, ATOMIC_REQUESTS): the
            # router reads the primary throughout, so the replica need not even be asked.
            return PRIMARY
        try:
            replica_connected()
            replay_lsn = replica_replay_lsn() if cookie_lsn is not None else None
        except DatabaseError as exc:
            replica_health.failed(exc)
            return PRIMARY
        replica_health.worked()
        return read_alias(
            method=request.method or "",
            path=request.path_info,
            signed_in=signed_in,
            cookie_lsn=cookie_lsn,
            replay_lsn=replay_lsn,
        )

    def _response(self, request: HttpRequest, alias: Alias) -> HttpResponseBase:
        if alias != REPLICA:
            return self.get_response(request)
        watch = _FailureWatch()
        with connections[REPLICA].execute_wrapper(watch):
            response = self.get_response(request)
        if watch.error is None or response.status_code < 500:
            return response
        # The replica failed mid-view (a server gone, a query cancelled by a conflict with
        # recovery) and the view's error became a 503 or 500 further in. A GET changes
        # nothing: answer it again from the primary.
        replica_health.failed(watch.error)
        current_read_alias.set(PRIMARY)
        return self.get_response(request)

    def _set_lsn_cookie(self, response: HttpResponseBase) -> None:
        try:
            lsn = primary_current_lsn()
        except DatabaseError:
            # The write is done; only the cookie is missing. The answer stands.
            logger.warning("could not read the primary's WAL position for %s", LSN_COOKIE, exc_info=True)
            return
        if lsn is None:
            return
        response.set_cookie(
            LSN_COOKIE,
            lsn,
            max_age=LSN_COOKIE_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
