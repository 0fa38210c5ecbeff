"""The gate's event log is append-only, at every level that could rewrite it.

An event, once written, is never rewritten (../shared/GATE_SPEC.md): a rewritten log
could no longer be replayed into the products' states, nor trusted by the people it
notified. Three levels refuse an UPDATE or a DELETE of `gate_gateevent`:

1. the database: a trigger (PostgreSQL: one plpgsql function for both; SQLite:
   `RAISE(ABORT, ...)`) installed by migration gate/0006, so raw SQL and every client
   are refused too, with an IntegrityError;
2. the ORM: :class:`GateEventQuerySet` refuses `update()`, `delete()`, `bulk_update()`
   and `update_or_create()`, and `GateEvent.save()` on a stored row and `GateEvent.delete()` raise
   :class:`EventLogAppendOnly` before any SQL is sent;
3. the admin: no add, change or delete permission (gate.admin).

Emptying the whole database stays possible, as it must for tests and a fresh start:
PostgreSQL's `flush` is a TRUNCATE, which row triggers do not see; SQLite has no TRUNCATE,
so `manage.py flush` (gate/management/commands/flush.py) lifts the SQLite triggers inside
its own transaction and puts them back before it commits.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

EVENT_TABLE = "gate_gateevent"
APPEND_ONLY_MESSAGE = "gate_gateevent is append-only: an event, once written, is never updated or deleted"


class EventLogAppendOnly(Exception):
    """Raised by the ORM when code tries to update or delete a gate event."""

    def __init__(self, operation: str) -> None:
        super().__init__(f"{APPEND_ONLY_MESSAGE} ({operation} refused)")
        self.operation = operation


class GateEventQuerySet(models.QuerySet):  # type: ignore[type-arg]
    """Reads and inserts only: a bulk update or delete of events raises."""

    def update(self, **kwargs: Any) -> int:
        raise EventLogAppendOnly("update")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise EventLogAppendOnly("delete")

    # Refused up front: Django's bulk_update calls update() inside an atomic block without
    # a savepoint, so raising there would also break the caller's transaction.
    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise EventLogAppendOnly("bulk_update")

    # A queryset update_or_create would update a stored event: refused the same way.
    def update_or_create(self, *args: Any, **kwargs: Any) -> Any:
        raise EventLogAppendOnly("update_or_create")


# --- The database's guard -------------------------------------------------------------------

_POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION gate_gateevent_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{APPEND_ONLY_MESSAGE} (% refused)', TG_OP USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    f"""
    CREATE TRIGGER gate_gateevent_append_only
    BEFORE UPDATE OR DELETE ON {EVENT_TABLE}
    FOR EACH ROW EXECUTE FUNCTION gate_gateevent_refuse_change()
    """,
]
_POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS gate_gateevent_append_only ON {EVENT_TABLE}",
    "DROP FUNCTION IF EXISTS gate_gateevent_refuse_change()",
]
_SQLITE_INSTALL = [
    f"""
    CREATE TRIGGER IF NOT EXISTS gate_gateevent_no_{operation.lower()}
    BEFORE {operation} ON {EVENT_TABLE}
    BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} ({operation} refused)'); END
    """
    for operation in ("UPDATE", "DELETE")
]
_SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS gate_gateevent_no_{operation}" for operation in ("update", "delete")]

GUARD_SQL: dict[str, tuple[list[str], list[str]]] = {
    "postgresql": (_POSTGRESQL_INSTALL, _POSTGRESQL_REMOVE),
    "sqlite": (_SQLITE_INSTALL, _SQLITE_REMOVE),
}


def _guard_statements(connection: BaseDatabaseWrapper, *, install: bool) -> list[str]:
    try:
        install_sql, remove_sql = GUARD_SQL[connection.vendor]
    except KeyError:
        # The project runs on PostgreSQL and SQLite only; another engine must add its guard
        # before it may hold the log (a log without its guard would be silently rewritable).
        raise ImproperlyConfigured(
            f"gate_gateevent has no append-only guard for the {connection.vendor} database engine"
        ) from None
    return install_sql if install else remove_sql


def event_log_guard_present(connection: BaseDatabaseWrapper) -> bool:
    """Whether the event table has its append-only triggers (both of them on SQLite)."""
    if connection.vendor == "postgresql":
        query = "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = %s"
        params: list[str] = [EVENT_TABLE, "gate_gateevent_append_only"]
        expected = 1
    else:
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
        params = [EVENT_TABLE]
        expected = 2
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        row = cursor.fetchone()
    return row is not None and row[0] == expected


def event_log_guard_install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers that refuse UPDATE and DELETE on the event table."""
    with connection.cursor() as cursor:
        for statement in _guard_statements(connection, install=True):
            cursor.execute(statement)


def event_log_guard_remove(connection: BaseDatabaseWrapper) -> None:
    """Drop them (the migration's reverse, and SQLite's flush)."""
    with connection.cursor() as cursor:
        for statement in _guard_statements(connection, install=False):
            cursor.execute(statement)
