"""Django's `flush`, able to empty the append-only event log on SQLite too.

PostgreSQL flushes with TRUNCATE, which the log's row triggers do not see. SQLite has no
TRUNCATE: its flush is `DELETE FROM` each table, which the triggers refuse. So on SQLite the
triggers are dropped and created again around Django's flush, in one transaction: the log
is never unguarded outside this command (tests' teardown of transactional tests uses it).
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

from gate.event_log import EVENT_TABLE, event_log_guard_install, event_log_guard_present, event_log_guard_remove


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite" or EVENT_TABLE not in connection.introspection.table_names():
            super().handle(**options)
            return
        with transaction.atomic(using=connection.alias):
            guarded = event_log_guard_present(connection)
            if guarded:
                event_log_guard_remove(connection)
            super().handle(**options)
            if guarded:
                event_log_guard_install(connection)
