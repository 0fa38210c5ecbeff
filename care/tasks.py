"""Thin Celery tasks of customer care: each calls one service and is safe to repeat."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from care.alerts import care_digest_send
from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS


@shared_task(name="care.tasks.care_digest_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def care_digest_task() -> int:
    """Daily at CARE_DIGEST_HOUR (beat, TIME_ZONE): the digest of the cases still open to
    care staff and the products' managers. A repeated run the same day writes nothing."""
    return care_digest_send(now=timezone.now())
