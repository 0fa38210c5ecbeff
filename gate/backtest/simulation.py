"""The row engine's replay, over packed per-product figures (:mod:`gate.backtest.scan`).

*Memory.* Reviews are never kept. Per product the engine holds a running ``count`` and
``sum`` (packed in one int) and, with a window of N days, each day's per-product
figures until they leave the window: memory grows with products x days in the window,
not with reviews.

*Speed.* A day evaluates only the products that can change on it (see
:mod:`gate.policy`): new reviews, reviews leaving the window, improvements, deadlines, and
every product on the first evaluated day.
"""

from __future__ import annotations

import heapq
from datetime import date

from gate.backtest.replay import Improvements, Replay
from gate.backtest.scan import COUNT_BITS, COUNT_MASK
from gate.backtest.sinks import EventSink
from gate.policy import (
    ACTIVE,
    DayStats,
    GateEvent,
    GatePolicy,
    GateState,
    ProductGateState,
    apply_improvement,
    deadline_day,
    evaluate_day,
    event_sort_key,
)

__all__ = ["RowSimulation"]


class RowSimulation(Replay[dict[str, int]]):
    """The row engine's replay, over packed per-product figures (see the module doc)."""

    def __init__(
        self,
        policy: GatePolicy,
        improvements: Improvements,
        sink: EventSink,
        from_day: int | None,
        to_day: int | None,
    ) -> None:
        super().__init__(policy, improvements, sink, from_day, to_day)
        self.improvements_by_day = dict(improvements.by_day)
        self.totals: dict[str, int] = {}  # product -> packed figures of the counted reviews
        self.states: dict[str, ProductGateState] = {}  # products not active, only
        self.exits: dict[int, dict[str, int]] = {}  # day -> the batch leaving the window then
        self.deadlines: dict[int, list[str]] = {}

    def final_states(self) -> list[ProductGateState]:
        return list(self.states.values())

    def replay_day(self, day: int, batch: dict[str, int] | None) -> None:
        """Replay one day: improvements, reviews leaving the window, the day's reviews, then
        the evaluation of the products that can change (see :mod:`gate.policy`)."""
        if day <= self.last_day:
            return  # already replayed (a day can be on the agenda more than once)
        self.last_day = day
        evaluated = self.from_day is not None and day >= self.from_day
        the_day = date.fromordinal(day)
        events: list[GateEvent] = []
        # Products whose evaluation can give an event; others provably give none.
        pending: set[str] = set()

        # 1. Improvements: a new revision (nothing counted yet), in logged_at order.
        for product_id in self.improvements_by_day.pop(day, ()):
            self._start_revision(product_id, day)
            if evaluated:
                _, improvement = apply_improvement(
                    self.states.pop(product_id, ACTIVE), day=the_day, product_id=product_id
                )
                events.append(improvement)
                pending.add(product_id)

        # 2. The day's reviews (any written before a same-day improvement were dropped) and
        # those leaving the window (written on day - window_days).
        leaving = self.exits.pop(day, None)
        if batch and self.policy.window_days:
            leaves = day + self.policy.window_days
            self.exits[leaves] = batch
            heapq.heappush(self.agenda, leaves)
        if not evaluated:
            self._count_silently(batch, leaving)
            return

        # 3. Which products can change.
        if batch:
            self._count(batch, pending, leaving=False)
        if leaving:
            self._count(leaving, pending, leaving=True)
        pending.update(self.deadlines.pop(day, ()))
        if not self.started:
            # The first evaluated day: every product is active by decree, not by evaluation.
            self.started = True
            pending.update(product_id for product_id, figures in self.totals.items() if figures)

        # 4. Evaluate them, through the one decision of the spec.
        for product_id in pending:
            self._evaluate(product_id, the_day, events)
        events.sort(key=event_sort_key)
        for event in events:
            self._record(event)

    def _start_revision(self, product_id: str, day: int) -> None:
        """An improvement on ``day``: nothing counted, and no pending window exit of the old
        revision may be subtracted from the new one."""
        self.totals.pop(product_id, None)
        window = self.policy.window_days
        for leaving_day in range(day, day + window):
            leaving = self.exits.get(leaving_day)
            if leaving is not None:
                leaving.pop(product_id, None)

    def _count_silently(self, batch: dict[str, int] | None, leaving: dict[str, int] | None) -> None:
        """A day before the first evaluated one: its reviews count, nothing is evaluated."""
        totals = self.totals
        if batch:
            for product_id, figures in batch.items():
                totals[product_id] = totals.get(product_id, 0) + figures
        if leaving:
            for product_id, figures in leaving.items():
                totals[product_id] -= figures

    def _count(self, changes: dict[str, int], pending: set[str], *, leaving: bool) -> None:
        """Add a day's figures (or take them away, ``leaving`` the window), and add to
        ``pending`` the products that can change: an active product that is not below
        cannot, nor can a withdrawn one (only an improvement ends a withdrawal). The test below is
        GatePolicy.is_below unrolled for the hot loop (the property tests compare the whole
        replay with one calling evaluate_day for every product, every day). A product both
        reviewed and leaving is looked at twice, the first time before its exit: that can
        only add it to ``pending`` needlessly, never miss it."""
        policy = self.policy
        totals = self.totals
        states = self.states
        numerator = policy.threshold.numerator
        denominator = policy.threshold.denominator
        min_reviews = policy.min_reviews
        for product_id, change in changes.items():
            figures = totals[product_id] - change if leaving else totals.get(product_id, 0) + change
            totals[product_id] = figures
            state = states.get(product_id)
            if state is None:
                count = figures & COUNT_MASK
                if count >= min_reviews and (figures >> COUNT_BITS) * denominator < numerator * count:
                    pending.add(product_id)
            elif state.state is GateState.FLAGGED:
                pending.add(product_id)

    def _evaluate(self, product_id: str, the_day: date, events: list[GateEvent]) -> None:
        policy = self.policy
        states = self.states
        figures = self.totals.get(product_id, 0)
        new_state, event = evaluate_day(
            states.get(product_id, ACTIVE),
            DayStats(figures & COUNT_MASK, figures >> COUNT_BITS),
            day=the_day,
            product_id=product_id,
            policy=policy,
        )
        if event is None:
            return
        events.append(event)
        if new_state.state is GateState.ACTIVE:
            states.pop(product_id, None)
        else:
            states[product_id] = new_state
        deadline = deadline_day(new_state, policy)
        if deadline is not None:
            self.deadlines.setdefault(deadline.toordinal(), []).append(product_id)
            heapq.heappush(self.agenda, deadline.toordinal())
