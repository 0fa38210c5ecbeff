"""The gate's event log is append-only at the database, the ORM and the admin.

Each level is tried alone: raw SQL (the triggers of migration gate/0006 on PostgreSQL and
SQLite alike), the model and its queryset (refused before any SQL is sent), the admin.
What must keep working is tried too: inserting events, and emptying the database (flush).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from gate.event_log import APPEND_ONLY_MESSAGE, EventLogAppendOnly, event_log_guard_present
from gate.models import GateEvent
from gate.policy import GatePolicy
from gate.services import gate_evaluate_through, gate_policy_from_settings
from tests.factories import product_create, user_create

from .helpers import add_reviews, noon, policy_settings

DAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def _policy(settings: Any) -> None:
    policy_settings(
        settings,
        GatePolicy.build(threshold="3.0", grace_days=2, min_reviews=2, window_days=3, timezone="Europe/Paris"),
    )


def _one_event() -> GateEvent:
    """A real event, written by the engine: a product below on DAY is flagged."""
    add_reviews(product_create(), noon(gate_policy_from_settings(), DAY), [1, 2])
    gate_evaluate_through(through=DAY)
    return GateEvent.objects.get()


def _stored(event: GateEvent) -> tuple[Any, ...]:
    return tuple(GateEvent.objects.filter(pk=event.pk).values_list("day", "kind", "average", "count", "policy").get())


@pytest.mark.django_db
def test_the_migration_installed_the_database_guard() -> None:
    assert event_log_guard_present(connection)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE gate_gateevent SET kind = 'recovered' WHERE id = %s",
        "UPDATE gate_gateevent SET count = count + 1 WHERE id = %s",
        "DELETE FROM gate_gateevent WHERE id = %s",
        "DELETE FROM gate_gateevent WHERE id = %s OR id > 0",
    ],
)
def test_the_database_refuses_to_update_or_delete_an_event_with_raw_sql(statement: str) -> None:
    event = _one_event()
    before = _stored(event)

    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [event.pk])

    assert _stored(event) == before


@pytest.mark.django_db
def test_the_orm_refuses_before_any_sql_is_sent(django_assert_num_queries: Any) -> None:
    event = _one_event()
    before = _stored(event)
    event.kind = "recovered"

    with django_assert_num_queries(0):
        for refused in (
            event.save,
            lambda: event.save(update_fields=["kind"]),
            event.delete,
            lambda: GateEvent.objects.filter(pk=event.pk).update(kind="recovered"),
            lambda: GateEvent.objects.all().delete(),
            lambda: GateEvent.objects.bulk_update([event], ["kind"]),
            lambda: GateEvent.objects.update_or_create(pk=event.pk, defaults={"kind": "recovered"}),
        ):
            with pytest.raises(EventLogAppendOnly, match="append-only"):
                refused()

    assert _stored(event) == before


@pytest.mark.django_db
def test_the_model_still_appends_events() -> None:
    event = _one_event()
    appended = GateEvent.objects.create(
        product=event.product, day=DAY.replace(day=2), kind="recovered", average=None, count=0, policy=event.policy
    )
    assert list(GateEvent.objects.values_list("kind", flat=True)) == ["flagged", "recovered"]
    assert appended.pk != event.pk


@pytest.mark.django_db
def test_the_admin_neither_changes_nor_deletes_an_event(client: Any) -> None:
    event = _one_event()
    before = _stored(event)
    admin = user_create(username="root", email="root@example.test", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = f"/admin/gate/gateevent/{event.pk}/change/"

    page = client.get(url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content  # shown read-only: no save button
    assert client.post(url, {"kind": "recovered", "count": "0"}).status_code == 403
    assert client.post(f"/admin/gate/gateevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        "/admin/gate/gateevent/", {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)  # the action is not offered: nothing happens
    assert _stored(event) == before


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_database_and_leaves_the_guard_in_place() -> None:
    """Tests' teardown (and a developer's fresh start) flushes: PostgreSQL with TRUNCATE, which
    row triggers do not see; SQLite with DELETE, around which our flush lifts the triggers."""
    _one_event()
    call_command("flush", interactive=False, verbosity=0)
    assert not GateEvent.objects.exists()
    assert event_log_guard_present(connection)
    assert APPEND_ONLY_MESSAGE  # the one message both the database and the ORM give
