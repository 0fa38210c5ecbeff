"""A `replica` alias for these tests: Django's test mirror of the default database.

As docs "Testing primary/replica configurations" describes: the alias's TEST setting is
``{"MIRROR": "default"}``, so the test runner creates no database for it and points it at
the default's test database. It is added to the connections only (not to
settings.DATABASES), at collection, before the test databases are set up; code that asks
whether a replica is configured (settings.DATABASE_REPLICA_URL) still sees none. With
DATABASE_REPLICA_URL set the settings already have the alias, and it is used as it is.

The router and the middleware are installed per test by :func:`replica_routing`, as
config/settings.py installs them when DATABASE_REPLICA_URL is set.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connections

from core import read_replica_middleware
from core.read_replica import PRIMARY, REPLICA
from core.read_replica_settings import REPLICA_MIDDLEWARE, REPLICA_ROUTER, middleware_with_replica


def _replica_alias_added() -> None:
    if REPLICA in connections.settings:
        return
    replica = copy.deepcopy(connections.settings[PRIMARY])
    replica["TEST"] = {"MIRROR": PRIMARY}
    # A dict of their own: settings.DATABASES (the same object until now) keeps one alias.
    connections.settings = connections.configure_settings({**connections.settings, REPLICA: replica})


_replica_alias_added()

# Both aliases, committed data (a test transaction would hide the rows from the replica's
# connection, and would put every read "inside a transaction", hence on the primary).
REPLICA_DB = pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])


@dataclass
class QueryLog:
    """Every statement each alias ran, in order."""

    statements: dict[str, list[str]] = field(default_factory=lambda: {PRIMARY: [], REPLICA: []})

    def on(self, alias: str, table: str) -> list[str]:
        return [sql for sql in self.statements[alias] if f'"{table}"' in sql or f" {table} " in sql]

    def clear(self) -> None:
        for statements in self.statements.values():
            statements.clear()


@pytest.fixture
def replica_routing(settings: Any) -> Iterator[QueryLog]:
    """The router and middleware installed; yields the log of which alias ran what."""
    settings.DATABASE_ROUTERS = [REPLICA_ROUTER]
    if REPLICA_MIDDLEWARE not in settings.MIDDLEWARE:  # DATABASE_REPLICA_URL set: already there
        settings.MIDDLEWARE = middleware_with_replica(list(settings.MIDDLEWARE))
    settings.RATELIMIT_ENABLED = False
    read_replica_middleware.replica_health.__init__()  # type: ignore[misc]  # a fresh process
    log = QueryLog()

    def recorder(alias: str) -> Callable[..., Any]:
        def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            log.statements[alias].append(str(sql))
            return execute(sql, params, many, context)

        return record

    with (
        connections[PRIMARY].execute_wrapper(recorder(PRIMARY)),
        connections[REPLICA].execute_wrapper(recorder(REPLICA)),
    ):
        yield log
    # The mirror's own connection to the test database: closed, or dropping it at the end fails.
    connections[REPLICA].close()
