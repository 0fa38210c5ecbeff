"""Each product's gate state, rebuilt from the event log alone (pure: no Django, no clock).

The log is append-only (gate/event_log.py), and every change of a product's gate state
writes exactly one event in the same transaction (gate.services.transitions). So folding
a product's events in order must give the state stored on the product: that is how a test
(tests/integration/gate/test_event_log_replay.py) proves the log is complete, and how an
operator could rebuild states from an export of `gate_events`.

The fold also checks that each event is a legal move from the state before it (a
`recovered` only from `flagged`, a `withdrawn` only at or after the deadline, ...): a log
with a missing or rewritten event fails loudly rather than giving a plausible state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from gate.policy import EventKind, GateEvent, GatePolicy, GateState, event_sort_key

__all__ = ["LoggedEvent", "ReplayError", "ReplayedState", "gate_state_replay"]


class ReplayError(ValueError):
    """The log holds an event that cannot follow the product's state before it."""


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """One stored event and the policy it was decided under (the flag's deadline needs it)."""

    event: GateEvent
    policy: GatePolicy


@dataclass(frozen=True, slots=True)
class ReplayedState:
    """What the product row holds about the gate (products.Product's gate fields)."""

    gate_state: GateState = GateState.ACTIVE
    flagged_on: date | None = None
    withdrawal_deadline: date | None = None
    withdrawn_on: date | None = None
    on_sale: bool = True
    # Improvement events seen: each starts a revision, so this is the product's revision.
    revision: int = 0


INITIAL = ReplayedState()

# The state each kind may follow (docs/gate.md, "States and events").
_ALLOWED_BEFORE: dict[EventKind, frozenset[GateState]] = {
    EventKind.FLAGGED: frozenset({GateState.ACTIVE}),
    EventKind.RECOVERED: frozenset({GateState.FLAGGED}),
    EventKind.WITHDRAWN: frozenset({GateState.FLAGGED}),
    EventKind.IMPROVED: frozenset({GateState.ACTIVE, GateState.FLAGGED}),
    EventKind.REINSTATED: frozenset({GateState.WITHDRAWN}),
}


def _apply(before: ReplayedState, logged: LoggedEvent) -> ReplayedState:
    event = logged.event
    if before.gate_state not in _ALLOWED_BEFORE[event.kind]:
        raise ReplayError(
            f"{event.product_id} on {event.day}: {event.kind.value} cannot follow {before.gate_state.value}"
        )
    if event.kind is EventKind.FLAGGED:
        return ReplayedState(
            GateState.FLAGGED,
            flagged_on=event.day,
            withdrawal_deadline=logged.policy.withdrawal_date(event.day),
            revision=before.revision,
        )
    if event.kind is EventKind.WITHDRAWN:
        if before.withdrawal_deadline is None or event.day < before.withdrawal_deadline:
            raise ReplayError(
                f"{event.product_id} withdrawn on {event.day}, before its deadline {before.withdrawal_deadline}"
            )
        # The flag's dates stay on the product as the record of the episode.
        return ReplayedState(
            GateState.WITHDRAWN,
            flagged_on=before.flagged_on,
            withdrawal_deadline=before.withdrawal_deadline,
            withdrawn_on=event.day,
            on_sale=False,
            revision=before.revision,
        )
    revision = before.revision + 1 if event.kind.is_improvement else before.revision
    return ReplayedState(revision=revision)


def gate_state_replay(events: Iterable[LoggedEvent]) -> dict[str, ReplayedState]:
    """Fold the log into each product's state, keyed by product id (the SKU).

    Events are put in the spec's order first (day, product, improvements before the
    evaluation; stable, so same-day improvements keep their order). A product without an
    event is not in the result: it is in the initial state, :data:`INITIAL`.
    """
    states: dict[str, ReplayedState] = {}
    for logged in sorted(events, key=lambda logged: event_sort_key(logged.event)):
        product_id = logged.event.product_id
        states[product_id] = _apply(states.get(product_id, INITIAL), logged)
    return states
