"""Thin Celery tasks: each takes an id (or nothing) and calls one service; all idempotent.

notifications.outbox imports this module (its on-commit kick queues outbox_deliver_task),
so this one imports only the delivery side, never the outbox writer.
"""

from __future__ import annotations

from celery import shared_task

from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS
from notifications import delivery


@shared_task(name="notifications.tasks.outbox_deliver_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def outbox_deliver_task(message_id: int) -> str | None:
    """Deliver one outbox message; a repeat (or a message already sent) does nothing."""
    return delivery.outbox_deliver(message_id=message_id)


@shared_task(name="notifications.tasks.outbox_sweep_task", ignore_result=True)
def outbox_sweep_task() -> int:
    """Every minute (beat): deliver whatever is due, so a lost kick only delays a message."""
    return delivery.outbox_sweep()
