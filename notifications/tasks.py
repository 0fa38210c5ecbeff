"""Thin Celery tasks: each takes an id (or nothing) and calls one service; all idempotent."""

from __future__ import annotations

from celery import shared_task

from notifications import services


@shared_task(name="notifications.tasks.outbox_deliver_task", ignore_result=True)
def outbox_deliver_task(message_id: int) -> str | None:
    """Deliver one outbox message; a repeat (or a message already sent) does nothing."""
    return services.outbox_deliver(message_id=message_id)


@shared_task(name="notifications.tasks.outbox_sweep_task", ignore_result=True)
def outbox_sweep_task() -> int:
    """Every minute (beat): deliver whatever is due, so a lost kick only delays a message."""
    return services.outbox_sweep()
