"""Every task of ours goes to one of the named queues, on purpose (docs/queues.md).

A task without an entry in config/celery_app.py's TASK_ROUTES would land on the default
queue by accident: the first test fails until it is given one, so adding a task means
deciding which workers run it.
"""

from __future__ import annotations

import tomllib

import pytest
from django.conf import settings

from config.celery_app import TASK_ROUTES
from config.celery_app import app as celery_app
from notifications import tasks as notification_tasks
from notifications.models import OutboxMessage
from tests.conftest import REPO_ROOT

# Our packages (the import-linter's list), so that an app added later is covered too.
OUR_PACKAGES = tuple(
    tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["root_packages"]
)
# Where each beat entry's task must run, written out: the gate's runs on `gate`, each
# outbox channel's sweep on that channel's queue, the rest on `default`.
BEAT_QUEUES = {
    "gate-evaluate-daily": "gate",
    "notice-reminders-daily": "gate",
    "outbox-email-sweep": "email",
    "outbox-webhook-sweep": "webhooks",
    "invitations-sweep": "default",
    "orders-anonymise-daily": "default",
    "care-digest-daily": "default",
    "review-photo-sizes-sweep": "default",
    "review-photos-expired-delete-daily": "default",
    "topics-digest-daily": "default",
}


def our_task_names() -> list[str]:
    celery_app.loader.import_default_modules()  # every app's tasks module, as a worker loads them
    return sorted(name for name in celery_app.tasks if name.split(".", 1)[0] in OUR_PACKAGES)


def destination(task_name: str, **options: object) -> tuple[str, str, str]:
    """(queue, exchange, routing key) a message for the task is published with: what the
    app's router makes of the task's name, as `.delay()` and beat's send_task do."""
    route = celery_app.amqp.router.route(dict(options), task_name)
    queue = route["queue"]
    return queue.name, queue.exchange.name, queue.routing_key


def test_every_task_of_ours_has_a_route_to_a_named_queue() -> None:
    names = our_task_names()
    assert len(names) >= 17  # the tasks of gate, orders, topics, reviews, notifications, care
    assert [name for name in names if name not in TASK_ROUTES] == []
    assert {name: destination(name)[0] for name in names} == TASK_ROUTES


def test_no_route_names_a_queue_outside_the_worker_queues_or_a_task_that_does_not_exist() -> None:
    assert set(TASK_ROUTES.values()) == set(settings.WORKER_QUEUES)  # and each queue has work
    assert sorted(TASK_ROUTES) == our_task_names()


@pytest.mark.parametrize("queue", ["default", "gate", "email", "webhooks"])
def test_each_queue_is_declared_with_its_own_exchange_and_routing_key(queue: str) -> None:
    """A queue declared by name alone gets the default exchange and routing key, and its
    messages would all end up in `default`: each must be reached by its own name."""
    declared = {q.name: q for q in celery_app.conf.task_queues}
    assert tuple(declared) == settings.WORKER_QUEUES
    assert (declared[queue].exchange.name, declared[queue].routing_key) == (queue, queue)
    routed = [name for name, to in TASK_ROUTES.items() if to == queue]
    assert {destination(name) for name in routed} == {(queue, queue, queue)}


def test_the_gate_runs_on_its_queue_and_each_outbox_channel_on_its_own() -> None:
    assert destination("gate.tasks.gate_evaluate_task")[0] == "gate"
    assert destination("gate.tasks.notice_reminders_task")[0] == "gate"
    by_channel = {
        channel: destination(notification_tasks.outbox_deliver_task_for(channel).name)[0]
        for channel in OutboxMessage.Channel.values
    }
    assert by_channel == {"email": "email", "webhook": "webhooks"}
    assert destination("reviews.tasks.review_photo_sizes_task")[0] == "default"


def test_beat_entries_run_on_their_intended_queues() -> None:
    schedule = celery_app.conf.beat_schedule
    assert {entry: destination(spec["task"])[0] for entry, spec in schedule.items()} == BEAT_QUEUES
    # Beat sends by name with the entry's options: none may override the route.
    assert [entry for entry, spec in schedule.items() if "queue" in spec.get("options", {})] == []


def test_each_outbox_channel_has_its_own_sweep_in_beat() -> None:
    """One sweep per channel, not one for all: a stuck webhook receiver must not hold the
    sweep that sends the emails (each sweeps its channel only: tests/integration/notifications/test_queues.py)."""
    outbox_entries = {
        spec["task"] for spec in celery_app.conf.beat_schedule.values() if spec["task"].startswith("notifications.")
    }
    assert outbox_entries == {
        notification_tasks.outbox_email_sweep_task.name,
        notification_tasks.outbox_webhook_sweep_task.name,
    }


def test_an_smtp_connection_gives_up_before_the_claim_lease_runs_out() -> None:
    """A relay that stops answering must free its `email` worker, and well before the outbox
    hands the message to another worker (docs/queues.md, "The claim lease")."""
    from django.conf import settings
    from django.core.mail import get_connection

    connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
    assert connection.timeout is not None
    assert 0 < connection.timeout < settings.OUTBOX_CLAIM_LEASE_SECONDS / 2
