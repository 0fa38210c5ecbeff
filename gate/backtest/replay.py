"""The order of days of a replay, shared by both engines, and the improvements it follows.

:class:`Replay` decides which days are replayed (from ``--from`` to ``--to``, the days
with work on the agenda) and what is recorded of the events; an engine subclasses it with
``replay_day`` (one day: improvements, reviews, evaluation) and ``final_states``: the row
engine (:mod:`gate.backtest.simulation`) and the columnar one (:mod:`gate.backtest.columnar`).
"""

from __future__ import annotations

import heapq
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Generic, TypeVar

from core.csv_input import day_of
from gate.backtest.sinks import EventSink
from gate.improvement_rows import ImprovementRow
from gate.policy import EventKind, GateEvent, GatePolicy, ProductGateState

__all__ = ["Batch", "Improvements", "Replay", "Unsorted", "load_improvements"]

# A day's reviews as an engine holds them: {product id: packed figures} in the row engine,
# three arrays (product numbers, counts, sums) in the columnar one.
Batch = TypeVar("Batch")


class Unsorted(Exception):
    """A review day earlier than one already replayed: the file is not sorted by day."""


@dataclass
class Improvements:
    """The improvements file, grouped by day (ordinal) in ``logged_at`` order."""

    by_day: dict[int, list[str]] = field(default_factory=dict)
    # The latest improvement of a product on a day: reviews of that day written before it
    # belong to a revision that is never evaluated again, so they are dropped on reading.
    last_on_day: dict[int, dict[str, datetime]] = field(default_factory=dict)
    products: set[str] = field(default_factory=set)
    count: int = 0


def load_improvements(rows: Iterable[ImprovementRow], tz: tzinfo) -> Improvements:
    improvements = Improvements()
    # Sorted by instant; equal instants keep file order (the sort is stable).
    for row in sorted(rows, key=lambda row: row.logged_at):
        day = day_of(row.logged_at, tz).toordinal()
        improvements.by_day.setdefault(day, []).append(row.product_id)
        improvements.last_on_day.setdefault(day, {})[row.product_id] = row.logged_at
        improvements.products.add(row.product_id)
        improvements.count += 1
    return improvements


class Replay(ABC, Generic[Batch]):
    """The day order of a replay, shared by both engines: which days are replayed, from
    ``--from`` to ``--to``, and what is recorded of the events. An engine subclasses it
    with ``replay_day`` (one day: improvements, reviews, evaluation) and ``final_states``.
    """

    def __init__(
        self,
        policy: GatePolicy,
        improvements: Improvements,
        sink: EventSink,
        from_day: int | None,
        to_day: int | None,
    ) -> None:
        self.policy = policy
        self.sink = sink
        self.from_day = from_day
        self.to_day = to_day
        self.first_improvement_day = min(improvements.by_day, default=None)
        self.last_improvement_day = max(improvements.by_day, default=None)
        self.agenda: list[int] = list(improvements.by_day)  # days with work, as a heap
        heapq.heapify(self.agenda)
        if from_day is not None:
            heapq.heappush(self.agenda, from_day)
        self.last_fed = -1
        self.last_day = -1
        self.started = False
        self.events_by_kind: dict[str, int] = {}
        self.flagged: set[str] = set()
        self.withdrawn: set[str] = set()
        self.reinstated: set[str] = set()

    def feed(self, day: int, batch: Batch) -> None:
        if day <= self.last_fed:
            raise Unsorted
        self.last_fed = day
        if self.from_day is None:
            # Default --from: the earliest review or improvement day.
            first = day
            if self.first_improvement_day is not None:
                first = min(first, self.first_improvement_day)
            self.from_day = first
            heapq.heappush(self.agenda, first)
        if self.to_day is not None and day > self.to_day:
            return  # read (and checked) but after the last evaluated day
        self._run_agenda(through=day - 1)
        self.replay_day(day, batch)

    def finish(self) -> tuple[int | None, int | None]:
        """Replay the remaining days; returns the evaluated range (ordinals), if any."""
        if self.from_day is None:
            # No review at all: the days start with the first improvement, if any.
            self.from_day = self.first_improvement_day
            if self.from_day is not None:
                heapq.heappush(self.agenda, self.from_day)
        end = self.to_day
        if end is None:
            # Default --to: the latest review or improvement day.
            last_days = [self.last_improvement_day]
            if self.last_fed >= 0:
                last_days.append(self.last_fed)
            end = max((day for day in last_days if day is not None), default=None)
        if self.from_day is None or end is None:
            return None, None
        self._run_agenda(through=end)
        if self.from_day > end:
            return None, None
        return self.from_day, end

    def _run_agenda(self, *, through: int) -> None:
        agenda = self.agenda
        while agenda and agenda[0] <= through:
            self.replay_day(heapq.heappop(agenda), None)

    @abstractmethod
    def replay_day(self, day: int, batch: Batch | None) -> None:
        """Replay one day (``batch``: its reviews, if any), at most once."""

    @abstractmethod
    def final_states(self) -> list[ProductGateState]:
        """The states of the products not active at the end."""

    def _record(self, event: GateEvent) -> None:
        self.sink.add(event)
        kind = event.kind
        self.events_by_kind[kind.value] = self.events_by_kind.get(kind.value, 0) + 1
        if kind is EventKind.FLAGGED:
            self.flagged.add(event.product_id)
        elif kind is EventKind.WITHDRAWN:
            self.withdrawn.add(event.product_id)
        elif kind is EventKind.REINSTATED:
            self.reinstated.add(event.product_id)
