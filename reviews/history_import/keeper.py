"""The history reviews are judged by, kept by the gate (see the package's docstring)."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings

from reviews.models import Review

__all__ = [
    "HistoryKeeper",
    "RevisionStarts",
    "UnkeptHistory",
    "history_keeper",
    "history_keeper_register",
    "reviews_revision_advance",
    "revision_in_force",
]


@dataclass(frozen=True)
class RevisionStarts:
    """A product's improvements: the moments its revisions started, in time order."""

    moments: list[datetime]
    revisions: list[int]

    def revision_at(self, moment: datetime) -> int:
        # The spec: a review belongs to the revision current when it was written, i.e. the
        # latest improvement with logged_at <= created_at (revision 0 before any).
        position = bisect.bisect_right(self.moments, moment)
        return self.revisions[position - 1] if position else 0


def revision_in_force(revisions: Mapping[int, RevisionStarts], product_id: int, moment: datetime) -> int:
    """The revision of ``product_id`` current at ``moment`` (0 for a product never improved)."""
    starts = revisions.get(product_id)
    return 0 if starts is None else starts.revision_at(moment)


class HistoryKeeper(Protocol):
    """What the keeper of the products' history (the gate) tells an import of reviews."""

    @property
    def tzinfo(self) -> tzinfo:
        """The zone a file's moments without an offset are read in, and days are cut in."""

    def lock(self) -> date | None:
        """Lock the history until the end of the caller's transaction; the last day judged."""

    def evaluated_through(self) -> date | None:
        """The last day judged, read without the lock (reviews.bursts: a day being judged
        at this moment is handled as any review changed after its day)."""

    def day_of(self, moment: datetime) -> date:
        """The day ``moment`` falls on."""

    def revision_starts(self, product_ids: Sequence[int]) -> dict[int, RevisionStarts]:
        """Per product with improvements, when its revisions started (called under the lock)."""


class UnkeptHistory:
    """No keeper registered: one revision per product, days in TIME_ZONE, nothing locked."""

    @property
    def tzinfo(self) -> tzinfo:
        return ZoneInfo(settings.TIME_ZONE)

    def lock(self) -> date | None:
        return None

    def evaluated_through(self) -> date | None:
        return None

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.tzinfo).date()

    def revision_starts(self, product_ids: Sequence[int]) -> dict[int, RevisionStarts]:
        return {}


_keeper_factory: Callable[[], HistoryKeeper] = UnkeptHistory


def history_keeper_register(factory: Callable[[], HistoryKeeper]) -> None:
    """Called once by the gate's ``AppConfig.ready()``: ``factory`` builds the keeper from
    the settings in force (and raises ImproperlyConfigured when they are invalid)."""
    global _keeper_factory
    _keeper_factory = factory


def history_keeper() -> HistoryKeeper:
    """The keeper for an import starting now, built from the settings in force."""
    return _keeper_factory()


def reviews_revision_advance(*, product_id: int, revision: int, since: datetime) -> int:
    """Reviews written at or after an improvement's ``logged_at`` belong to its revision.

    Only moves reviews forward (``revision < r``), so a later improvement's reviews keep
    theirs. Needed for history: imported reviews, or reviews written between an imported
    improvement's moment and the evaluation of its day. Called by the gate under its lock.
    """
    return (
        Review.objects.filter(product_id=product_id, created_at__gte=since, revision__lt=revision)
        .order_by()
        .update(revision=revision)
    )
