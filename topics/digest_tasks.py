"""The thin, idempotent Celery task of the team digests (topics.tasks imports it, so that
Celery's autodiscovery registers it)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS
from topics.digests import team_digest_day_due
from topics.digests import team_digests_send as team_digests_write


@shared_task(name="topics.digest_tasks.team_digests_send", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def team_digests_send() -> int:
    """Daily at TOPIC_DIGEST_HOUR (beat, TIME_ZONE): each team member's digest of the day
    (the reviews published the local day before). A repeated, retried or restarted run the
    same day writes nothing more; a run delayed past midnight still writes the day it was
    for. Returns the number of digests this run wrote."""
    now = timezone.now()
    return team_digests_write(day=team_digest_day_due(now), now=now).sent
