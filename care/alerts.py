"""Alerts of a newly opened case (to care staff and the product's managers) and the daily
digest of cases still open. (Built by the alerts work: see docs/care.md.)"""

from __future__ import annotations

from datetime import datetime

from care.models import Case


def case_opened_alert(case: Case, *, now: datetime) -> None:
    """Email care staff and the product's managers that ``case`` opened (outbox rows)."""
