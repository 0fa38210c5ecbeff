"""Database metrics for /metrics, with django-prometheus' metric objects (django_db_*).

django-prometheus counts queries by swapping each alias' ENGINE for its own wrapper
(`django_prometheus.db.backends.postgresql`). Here the same counters are fed by an
execute wrapper installed on every connection as it opens, whatever its ENGINE: the
settings keep the engines dj-database-url gives (code and tests compare ENGINE with
Django's names), and every alias is counted, the replica's included, with nothing to
change when an alias is added.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db.backends.signals import connection_created
from django_prometheus.db.metrics import (
    connections_total,
    errors_total,
    execute_many_total,
    execute_total,
    query_duration_seconds,
)


def _statements(params: Any, many: bool) -> int:
    if not many:
        return 1
    try:
        return len(params)
    except TypeError:  # an iterator of parameters: counting it would consume it
        return 1


def query_observed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    connection = context["connection"]
    alias, vendor = connection.alias, connection.vendor
    statements = _statements(params, many)
    execute_total.labels(alias, vendor).inc(statements)
    if many:
        execute_many_total.labels(alias, vendor).inc(statements)
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    except Exception as exc:
        errors_total.labels(alias, vendor, type(exc).__name__).inc()
        raise
    finally:
        query_duration_seconds.labels(alias, vendor).observe(time.perf_counter() - started)


def _connection_opened(sender: Any, connection: Any, **kwargs: Any) -> None:
    connections_total.labels(connection.alias, connection.vendor).inc()
    # Sent on every (re)connection of the same wrapper: install once.
    # First in the list, not last: Django's execute_wrapper() context manager pops the *last*
    # wrapper on exit, so one appended inside such a block (a connection opened within the
    # replica middleware's) would be popped in its place and the block's own left for good.
    if query_observed not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, query_observed)


def db_metrics_install() -> None:
    connection_created.connect(_connection_opened, dispatch_uid="ops-db-metrics")
