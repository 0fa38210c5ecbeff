"""The gate's side of an import of review history (``reviews.history_import``).

The reviews app stores imported reviews; which revision each belongs to, which days are
already evaluated, and the lock that keeps an import from racing an evaluation are the
gate's. ``GateConfig.ready()`` registers :meth:`GateHistory.from_settings` as the keeper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from core.batching import chunked
from gate.configured import gate_policy_from_settings
from gate.models import GateClock, Improvement
from gate.policy import GatePolicy
from gate.services.clock import gate_clock_locked
from reviews.history_import import RevisionStarts

__all__ = ["GateHistory"]


@dataclass(frozen=True)
class GateHistory:
    """A ``reviews.history_import.HistoryKeeper`` over the gate's clock and improvements."""

    policy: GatePolicy

    @classmethod
    def from_settings(cls) -> GateHistory:
        """The policy in force (ImproperlyConfigured when the GATE_* settings are invalid)."""
        return cls(gate_policy_from_settings())

    @property
    def tzinfo(self) -> tzinfo:
        return self.policy.tzinfo

    def lock(self) -> date | None:
        return gate_clock_locked().last_evaluated_day

    def evaluated_through(self) -> date | None:
        """Read-only: no lock, no row created (a new database has evaluated nothing)."""
        return GateClock.objects.filter(pk=1).values_list("last_evaluated_day", flat=True).first()

    def day_of(self, moment: datetime) -> date:
        return self.policy.day_of(moment)

    def revision_starts(self, product_ids: Sequence[int]) -> dict[int, RevisionStarts]:
        """Per product, its improvements' moments and revisions in time order (few rows)."""
        starts: dict[int, RevisionStarts] = {}
        for chunk in chunked(product_ids):
            for product_id, logged_at, revision in (
                Improvement.objects.filter(product_id__in=chunk)
                .order_by("product_id", "revision")
                .values_list("product_id", "logged_at", "revision")
            ):
                product_starts = starts.setdefault(product_id, RevisionStarts(moments=[], revisions=[]))
                product_starts.moments.append(logged_at)
                product_starts.revisions.append(revision)
        return starts
