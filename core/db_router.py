"""The read replica's router: reads go where the request's decision says, writes to the primary.

Installed only when ``DATABASE_REPLICA_URL`` is set (config/settings.py, "Read replica").
The decision is made once per request by core.read_replica_middleware and kept in
:data:`current_read_alias`, a context variable whose default is the primary: code that runs
outside a request (Celery tasks, management commands, the gate's engine, imports, tests, a
thread a request starts) never reads from the replica, since nothing set it there.

Even inside a request routed to the replica, these read the primary:

* anything inside a transaction (``transaction.atomic`` on the primary): a service reads
  what it is about to write against, and a replica behind the transaction's own writes
  would hand it stale rows;
* the tables the replica never serves (:data:`PRIMARY_ONLY_APP_LABELS`): sessions, the
  database cache, users and groups, API keys and rate-limit counters. Authentication looks
  them up before anyone knows whether the visitor is anonymous (the API key is checked
  inside the API's view, after the middleware chose the replica), and a just-revoked key or
  a just-changed password must take effect at once.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any

from celery.signals import task_postrun, task_prerun
from django.db import connections
from django.db.models import Model

from core.read_replica import PRIMARY, REPLICA, Alias

current_read_alias: ContextVar[Alias] = ContextVar("current_read_alias", default=PRIMARY)

# Read from (and written to) the primary only. "django_cache" is the database cache's
# table (django.core.cache.backends.db routes it by that app label).
PRIMARY_ONLY_APP_LABELS = frozenset(
    {"sessions", "django_cache", "auth", "accounts", "apikeys", "admin", "contenttypes"}
)
# core's own models: the rate-limit counters must be exact across web servers.
PRIMARY_ONLY_MODELS = frozenset({"core.ratelimitcounter"})


def primary_only(model: type[Model]) -> bool:
    return model._meta.app_label in PRIMARY_ONLY_APP_LABELS or model._meta.label_lower in PRIMARY_ONLY_MODELS


# A task run eagerly inside a request (CELERY_TASK_ALWAYS_EAGER, or .apply()) shares the
# request's context: it is put back on the primary for its run, as a worker would be.
_task_tokens: dict[str, Token[Alias]] = {}


@task_prerun.connect(weak=False)
def _task_reads_the_primary(task_id: str = "", **kwargs: Any) -> None:
    _task_tokens[task_id] = current_read_alias.set(PRIMARY)


@task_postrun.connect(weak=False)
def _task_done(task_id: str = "", **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        current_read_alias.reset(token)


class ReplicaRouter:
    """DATABASE_ROUTERS entry: see the module."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if current_read_alias.get() != REPLICA or primary_only(model):
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # A row read from the replica is the same row as on the primary.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        # The replica follows the primary's WAL: migrations run on the primary only.
        return False if db == REPLICA else None
