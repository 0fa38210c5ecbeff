"""The tasks that touch the database retry when it is briefly unavailable (a restart, a
fail-over), with back-off; the outbox sweeps do not (beat runs them again every minute, and
a retry would overlap the next run)."""

from __future__ import annotations

import pytest
from django.db import OperationalError

from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS
from gate.tasks import gate_evaluate_task, notice_reminders_task
from notifications.tasks import (
    outbox_email_deliver_task,
    outbox_email_sweep_task,
    outbox_webhook_deliver_task,
    outbox_webhook_sweep_task,
)


@pytest.mark.parametrize(
    "task", [gate_evaluate_task, notice_reminders_task, outbox_email_deliver_task, outbox_webhook_deliver_task]
)
def test_database_tasks_retry_on_database_errors_with_backoff(task: object) -> None:
    assert OperationalError in tuple(task.autoretry_for)  # type: ignore[attr-defined]
    assert task.retry_backoff == TASK_RETRY_ON_DATABASE_ERRORS["retry_backoff"]  # type: ignore[attr-defined]
    assert task.max_retries == TASK_RETRY_ON_DATABASE_ERRORS["max_retries"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("task", [outbox_email_sweep_task, outbox_webhook_sweep_task])
def test_the_sweeps_do_not_retry_beat_runs_them_again(task: object) -> None:
    assert not tuple(getattr(task, "autoretry_for", ()))
