"""The gate's event log refuses UPDATE and DELETE at the database: a trigger on
gate_gateevent (PostgreSQL: one plpgsql function; SQLite: RAISE(ABORT)), so raw SQL and any
client are refused as the ORM is (gate/event_log.py). The reverse drops the triggers.

SQLite remakes a table to alter it, which drops its triggers: a later migration that alters
GateEvent must run event_log_guard_install again on SQLite (tests/integration/gate/
test_event_log_immutable.py fails otherwise)."""

from django.db import migrations

from gate.event_log import event_log_guard_install, event_log_guard_remove


def install(apps, schema_editor):
    event_log_guard_install(schema_editor.connection)


def remove(apps, schema_editor):
    event_log_guard_remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("gate", "0005_improvement_request")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
