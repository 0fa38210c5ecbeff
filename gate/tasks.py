"""Thin Celery tasks of the gate: each calls one service and is safe to repeat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.utils import timezone

from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS
from gate import notify, services
from gate.configured import gate_policy_from_settings


@shared_task(name="gate.tasks.gate_evaluate_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def gate_evaluate_task() -> dict[str, Any]:
    """Shortly after midnight (beat): evaluate yesterday in the policy time zone, and any day
    missed before it. A repeated or concurrent run finds the days done and does nothing."""
    policy = gate_policy_from_settings()
    yesterday = policy.day_of(timezone.now()) - timedelta(days=1)
    return services.gate_evaluate_through(through=yesterday, policy=policy).as_dict()


@shared_task(name="gate.tasks.notice_reminders_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def notice_reminders_task() -> int:
    """Daily (beat): write the 7-day and 1-day deadline reminders due today."""
    return notify.notice_reminders_send()
