"""The quality gate in production, a package split along its seams:

* ``clock``: the one lock every writer of gate history takes, and the next day due;
* ``transitions``: the one writer of a product's gate state (the table of legal moves,
  compare-and-swap) and the event row, notice and notifications each change appends;
* ``revisions``: applying an improvement (the next revision and its event);
* ``engine``: the day engine (``gate_evaluate_day`` / ``gate_evaluate_through``);
* ``improvements``: logging an improvement in the app, importing improvements of history;
* ``approvals``: improvement sign-off (GATE_IMPROVEMENT_APPROVAL = "director"): a request,
  a quality director's approval or rejection;
* ``history``: the gate's side of an import of review history (``reviews.history_import``).

The names callers use are re-exported here: ``from gate.services import gate_evaluate_through``.
The policy in force is read by ``gate.configured.gate_policy_from_settings``.
"""

from __future__ import annotations

from gate.configured import gate_policy_from_settings
from gate.services.approvals import (
    REJECTION_REASON_MAX_LENGTH,
    improvement_request_approve,
    improvement_request_reject,
    improvement_request_submit,
    improvement_requests_of_product,
    improvement_requests_visible,
    improvement_submit,
)
from gate.services.clock import gate_next_day
from gate.services.engine import DaySummary, EvaluationSummary, gate_evaluate_day, gate_evaluate_through
from gate.services.history import GateHistory
from gate.services.improvements import (
    ADDRESSED_PHRASE_MAX_LENGTH,
    ADDRESSED_PHRASES_MAX,
    DESCRIPTION_MAX_LENGTH,
    PUBLIC_NOTE_MAX_LENGTH,
    ImprovementImport,
    improvement_import,
    improvement_log,
)
from gate.services.transitions import product_gate_state_set
from reviews.history_import import ImportRefused

__all__ = [
    "ADDRESSED_PHRASES_MAX",
    "ADDRESSED_PHRASE_MAX_LENGTH",
    "DESCRIPTION_MAX_LENGTH",
    "PUBLIC_NOTE_MAX_LENGTH",
    "REJECTION_REASON_MAX_LENGTH",
    "DaySummary",
    "EvaluationSummary",
    "GateHistory",
    "ImportRefused",
    "ImprovementImport",
    "gate_evaluate_day",
    "gate_evaluate_through",
    "gate_next_day",
    "gate_policy_from_settings",
    "improvement_import",
    "improvement_log",
    "improvement_request_approve",
    "improvement_request_reject",
    "improvement_request_submit",
    "improvement_requests_of_product",
    "improvement_requests_visible",
    "improvement_submit",
    "product_gate_state_set",
]
