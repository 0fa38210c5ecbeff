"""Thin Celery tasks: each takes an id (or nothing) and calls one service; all idempotent.

Deliveries and sweeps come in one task per channel, so that each is routed to its
channel's queue (config/celery_app.py, docs/queues.md): a webhook receiver that hangs
holds the `webhooks` workers only, never the emails. A channel's task handles only that
channel's messages, so a message kicked onto the wrong queue is left to its own sweep.

notifications.outbox imports this module (its on-commit kick queues the delivery tasks),
so this one imports only the delivery side, never the outbox writer.
"""

from __future__ import annotations

from celery import Task, shared_task

from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS
from notifications import delivery
from notifications.models import OutboxMessage

EMAIL = OutboxMessage.Channel.EMAIL
WEBHOOK = OutboxMessage.Channel.WEBHOOK


@shared_task(name="notifications.tasks.outbox_email_deliver_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def outbox_email_deliver_task(message_id: int) -> str | None:
    """Deliver one email message; a repeat (or a message already sent) does nothing."""
    return delivery.outbox_deliver(message_id=message_id, channel=EMAIL)


@shared_task(
    name="notifications.tasks.outbox_webhook_deliver_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS
)
def outbox_webhook_deliver_task(message_id: int) -> str | None:
    """Deliver one webhook message; a repeat (or a message already sent) does nothing."""
    return delivery.outbox_deliver(message_id=message_id, channel=WEBHOOK)


# No retry on database errors: the next sweep (a minute later) is the retry.
@shared_task(name="notifications.tasks.outbox_email_sweep_task", ignore_result=True)
def outbox_email_sweep_task() -> int:
    """Every minute (beat): deliver the emails that are due, so a lost kick only delays one."""
    return delivery.outbox_sweep(channel=EMAIL)


@shared_task(name="notifications.tasks.outbox_webhook_sweep_task", ignore_result=True)
def outbox_webhook_sweep_task() -> int:
    """Every minute (beat): deliver the webhooks that are due (first attempts a lost kick
    left, and retries)."""
    return delivery.outbox_sweep(channel=WEBHOOK)


DELIVER_TASKS: dict[str, Task] = {EMAIL: outbox_email_deliver_task, WEBHOOK: outbox_webhook_deliver_task}


def outbox_deliver_task_for(channel: str) -> Task:
    """The delivery task of a message's channel (KeyError for a channel without one)."""
    return DELIVER_TASKS[channel]
