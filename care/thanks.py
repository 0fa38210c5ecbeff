"""The thanks email to every published review's author (imports aside), the same text
whatever the rating. (Built by the thanks work: see docs/care.md.)"""

from __future__ import annotations

from datetime import datetime

from reviews.models import Review


def review_thanks_owed(review: Review, *, now: datetime) -> None:
    """Write the thanks email of ``review`` (once per review: its dedupe key)."""
