"""The checks of /readyz, as django-health-check checks, run side by side under one deadline.

Each check is a `health_check.HealthCheck` (its run raises ServiceUnavailable with a
message fit to publish: a kind of failure, never a URL, host or password). They run at
once in a small thread pool, and whatever has not answered when the deadline passes is
reported failing: a hung PostgreSQL or Redis (accepting connections, answering nothing)
costs /readyz the deadline, never the client's own timeouts. A thread left behind finishes
on its own client timeout (DATABASE_CONNECT_TIMEOUT; the broker's connect and socket
timeouts below; the Redis cache's only if CACHES' OPTIONS set one) and is reused.

The library's own view is not used: its JSON names checks by their repr and answers 500;
the contract (docs/health-and-metrics.md) names them `database`, `replica`, `cache`,
`broker` and `workers:<queue>`, and answers 200 while degraded.
"""

from __future__ import annotations

import abc
import asyncio
import dataclasses
import os
import uuid
from collections import Counter
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import kombu
from celery import current_app
from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from health_check import HealthCheck
from health_check import checks as library_checks
from health_check.base import HealthCheckResult
from health_check.exceptions import ServiceUnavailable

from ops.readiness import FAILING, NOT_CONFIGURED, OK, CheckOutcome, replica_outcome, worker_outcomes

_T = TypeVar("_T")

# The whole of /readyz answers within this (plus building the JSON): well under the 2 s
# a load balancer's health check usually allows.
DEADLINE_SECONDS = 1.2
# A worker's answer to the one control broadcast (all queues at once, not one per queue).
WORKER_PING_SECONDS = 0.5
BROKER_CONNECT_TIMEOUT = 0.4
BROKER_SOCKET_TIMEOUT = 3.0
REPLICA_ALIAS = "replica"
# The filesystem transport (the default configuration) has no server: it works when its
# folders exist.
FILESYSTEM_BROKER_FOLDERS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")

# Shared by every /readyz of this process and never shut down, so a hung check's thread
# does not hold the answer (asyncio.run would wait for its default executor's threads).
_EXECUTOR = ThreadPoolExecutor(max_workers=8, thread_name_prefix="readyz")

# Postgres' own view of its replay. Caught up (everything received is replayed) is a lag of
# 0: now() - pg_last_xact_replay_timestamp() alone grows while the primary is idle.
# pg_is_wal_replay_paused() raises outside recovery, hence the CASEs.
REPLICA_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END,
       CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END
"""


def unreachable(exc: BaseException) -> ServiceUnavailable:
    """A failure's public message: its kind only (client errors quote hosts and ports)."""
    return ServiceUnavailable(f"unreachable ({type(exc).__name__})")


class ThreadCheck(HealthCheck):
    """A synchronous check run in a pool thread: the thread's database connections (the
    database cache's, the replica's) are closed after it, as a request's would be, and
    forgotten, so the next check reads the settings afresh (nothing of one check's
    connection is left in a pool thread for another)."""

    # Connections of the request's thread the check must use (shared_in_memory_connections).
    shared_connections: dict[str, BaseDatabaseWrapper] = {}  # replaced per instance, never mutated

    def run(self) -> None:
        for alias, connection in self.shared_connections.items():
            connection.inc_thread_sharing()
            connections[alias] = connection
        try:
            self.probe()
        finally:
            for connection in connections.all(initialized_only=True):
                if connection.alias in self.shared_connections:
                    connection.dec_thread_sharing()
                else:
                    connection.close()
                del connections[connection.alias]

    @abc.abstractmethod
    def probe(self) -> None:
        """The check itself, in the pool thread: returns when ok, raises ServiceUnavailable."""


def shared_in_memory_connections() -> dict[str, BaseDatabaseWrapper]:
    """An in-memory SQLite database (tests only) lives in its one connection, whose open
    transaction locks the tables it wrote (the database cache's) against any other: the
    checks' threads use the request thread's connection, as Django's live server does.
    Only while it is what the settings name (a test that repoints the alias gets a new one)."""
    return {
        connection.alias: connection
        for connection in connections.all(initialized_only=True)
        if isinstance(connection, SQLiteDatabaseWrapper)
        and connection.is_in_memory_db()
        and connection.settings_dict is connections.settings.get(connection.alias)
    }


@dataclasses.dataclass
class PrimaryDatabase(ThreadCheck):
    """The library's SELECT 1 on the primary, its message reduced to the kind of failure."""

    alias: str = DEFAULT_DB_ALIAS

    def probe(self) -> None:
        try:
            library_checks.Database(alias=self.alias).run()
        except ServiceUnavailable as exc:
            raise unreachable(exc.__cause__ or exc) from exc


@dataclasses.dataclass
class Replica(ThreadCheck):
    """The replica answers, and how far its replay lags (PostgreSQL's recovery functions)."""

    alias: str = REPLICA_ALIAS
    max_lag_seconds: float = 60.0
    outcome: CheckOutcome | None = dataclasses.field(default=None, init=False, repr=False)

    def probe(self) -> None:
        connection = connections[self.alias]
        try:
            with connection.temporary_connection() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute(REPLICA_SQL)
                    in_recovery, lag, paused = cursor.fetchone()
                else:
                    # Only a test mirror of SQLite: nothing replays.
                    in_recovery, lag, paused = False, 0, False
        except Exception as exc:
            raise unreachable(exc) from exc
        self.outcome = replica_outcome(
            in_recovery=bool(in_recovery),
            lag_seconds=float(lag),
            paused=bool(paused),
            max_lag_seconds=self.max_lag_seconds,
        )
        if self.outcome.status == FAILING:
            raise ServiceUnavailable(self.outcome.detail)


@dataclasses.dataclass
class CacheReadBack(ThreadCheck):
    """A value written to the cache is read back (and removed)."""

    alias: str = "default"

    def probe(self) -> None:
        cache = caches[self.alias]
        key = f"readyz:{uuid.uuid4().hex}"
        try:
            cache.set(key, "1", 10)
            value = cache.get(key)
            cache.delete(key)
        except Exception as exc:
            raise unreachable(exc) from exc
        if value != "1":
            raise ServiceUnavailable("a value written was not read back")


def broker_connection() -> kombu.Connection:
    """A connection to CELERY_BROKER_URL with a short connect timeout. Read from the
    settings each time (not from the Celery app, configured once at start-up)."""
    options = dict(getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {})
    # Redis' transport waits on a socket for ever by default: a hung broker would hold the
    # check's thread (the answer has its deadline; the thread would not come back). Longer
    # than its 1 s BRPOP, which a healthy broker takes to answer an empty queue.
    options.setdefault("socket_timeout", BROKER_SOCKET_TIMEOUT)
    return kombu.Connection(
        settings.CELERY_BROKER_URL, connect_timeout=BROKER_CONNECT_TIMEOUT, transport_options=options
    )


def broker_connected(connection: kombu.Connection) -> None:
    """Connect now, one retry at most, at once (each within BROKER_CONNECT_TIMEOUT): the
    caller reports, it does not wait."""
    connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0)


def release_later(connection: kombu.Connection) -> None:
    # Redis' transport takes about half a second to close a channel that polled the reply
    # queue; the answer does not wait for it.
    _EXECUTOR.submit(connection.release)


def uses_filesystem_broker() -> bool:
    return str(settings.CELERY_BROKER_URL).startswith("filesystem://")


@dataclasses.dataclass
class Broker(ThreadCheck):
    """A connection to the broker opens (the filesystem transport: its folders exist)."""

    def probe(self) -> None:
        if uses_filesystem_broker():
            options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
            missing = [key for key in FILESYSTEM_BROKER_FOLDERS if options.get(key) and not os.path.isdir(options[key])]
            if missing:
                raise ServiceUnavailable(f"folders missing: {', '.join(missing)}")
            return
        connection = broker_connection()
        try:
            broker_connected(connection)
        except Exception as exc:
            raise unreachable(exc) from exc
        finally:
            release_later(connection)


@dataclasses.dataclass
class Workers(ThreadCheck):
    """One control broadcast: the workers that answer within WORKER_PING_SECONDS, and
    the queues each consumes (their `active_queues`)."""

    consumers: dict[str, int] = dataclasses.field(default_factory=dict, init=False, repr=False)

    def probe(self) -> None:
        connection = broker_connection()
        try:
            broker_connected(connection)
            replies = active_queues(connection)
        except Exception as exc:
            raise unreachable(exc) from exc
        finally:
            release_later(connection)
        self.consumers = dict(consumers_by_queue(replies))


def active_queues(connection: kombu.Connection) -> dict[str, Any]:
    """The one broadcast: {worker: [queue, ...]} of the workers that answered in time.

    Through ``connection`` both ways. Celery's ``inspect(connection=...)`` would wait for
    the answers on it but publish the question through the app's producer pool: the broker
    the app was configured with at start-up, with its own connection retries. Without a
    producer pool, kombu's mailbox publishes on the connection it is bound to.
    """
    mailbox: Any = current_app.control.mailbox(connection)  # type: ignore[attr-defined]
    mailbox._producer_pool = None  # the bound copy's, not the app's
    replies = mailbox._broadcast("active_queues", {}, reply=True, timeout=WORKER_PING_SECONDS) or []
    answers: dict[str, Any] = {}
    for reply in replies:
        answers.update(reply)
    return answers


def consumers_by_queue(replies: dict[str, Any]) -> Counter[str]:
    """{worker: [{"name": queue, ...}, ...]} -> how many workers consume each queue."""
    counts: Counter[str] = Counter()
    for queues in replies.values():
        counts.update({str(queue["name"]) for queue in queues or () if isinstance(queue, dict) and queue.get("name")})
    return counts


def replica_configured() -> bool:
    return REPLICA_ALIAS in settings.DATABASES


def workers_configured() -> bool:
    # Eager tasks run in the web process: there is no worker to ask.
    return not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)


def readiness_checks() -> dict[str, HealthCheck]:
    """The checks to run now, by the name /readyz gives them."""
    checks: dict[str, HealthCheck] = {"database": PrimaryDatabase(), "cache": CacheReadBack(), "broker": Broker()}
    if replica_configured():
        checks["replica"] = Replica(max_lag_seconds=float(getattr(settings, "READYZ_REPLICA_MAX_LAG_SECONDS", 60)))
    if workers_configured():
        checks["workers"] = Workers()
    return checks


async def _results(checks: dict[str, HealthCheck], deadline: float) -> dict[str, HealthCheckResult | None]:
    tasks = {name: asyncio.ensure_future(check.get_result(_EXECUTOR)) for name, check in checks.items()}
    await asyncio.wait(tasks.values(), timeout=deadline)
    results: dict[str, HealthCheckResult | None] = {}
    for name, task in tasks.items():
        if task.done():
            results[name] = task.result()
        else:
            task.cancel()
            results[name] = None
    return results


def _run_outside_any_loop(work: Coroutine[Any, Any, _T]) -> _T:
    """asyncio.run(work), also from a thread whose event loop is already running (a view
    called from async code), where asyncio.run refuses: then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="readyz-loop") as runner:
        return runner.submit(asyncio.run, work).result()


def readiness_outcomes(deadline: float = DEADLINE_SECONDS) -> dict[str, CheckOutcome]:
    """Every check's outcome, by name, within ``deadline`` seconds."""
    checks = readiness_checks()
    shared = shared_in_memory_connections()
    for check in checks.values():
        if isinstance(check, ThreadCheck):
            check.shared_connections = shared
    results = _run_outside_any_loop(_results(checks, deadline))
    late = CheckOutcome(FAILING, f"no answer within {deadline:g} s")
    outcomes: dict[str, CheckOutcome] = {}
    for name in ("database", "replica", "cache", "broker"):
        if name not in checks:
            outcomes[name] = CheckOutcome(NOT_CONFIGURED, "no replica alias (DATABASE_REPLICA_URL unset)")
            continue
        result = results[name]
        if result is None:
            outcome = late
        elif result.error is not None:
            outcome = CheckOutcome(FAILING, str(result.error.message))
        else:
            outcome = CheckOutcome(OK, _OK_DETAILS.get(name, "ok"))
        if name == "replica":
            outcome = _replica_with_figures(checks[name], outcome)
        outcomes[name] = outcome
    outcomes.update(_worker_outcomes(checks.get("workers"), results.get("workers"), late))
    return outcomes


_OK_DETAILS = {
    "database": "answered SELECT 1",
    "cache": "a value written was read back",
    "broker": "connected",
}


def _replica_with_figures(check: HealthCheck, outcome: CheckOutcome) -> CheckOutcome:
    measured = getattr(check, "outcome", None)
    if measured is not None:
        return measured
    # Not measured (unreachable, late): the figures are unknown, not zero.
    return CheckOutcome(outcome.status, outcome.detail, {"lag_seconds": None, "paused": None})


def _worker_outcomes(
    check: HealthCheck | None, result: HealthCheckResult | None, late: CheckOutcome
) -> dict[str, CheckOutcome]:
    queues = tuple(settings.WORKER_QUEUES)
    if check is None:
        outcome = CheckOutcome(NOT_CONFIGURED, "tasks run eagerly (CELERY_TASK_ALWAYS_EAGER)")
        return {f"workers:{queue}": outcome for queue in queues}
    if result is None or result.error is not None:
        outcome = late if result is None else CheckOutcome(FAILING, str(result.error.message))  # type: ignore[union-attr]
        return {f"workers:{queue}": outcome for queue in queues}
    return worker_outcomes(queues, getattr(check, "consumers", {}), timeout_seconds=WORKER_PING_SECONDS)
