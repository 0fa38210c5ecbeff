"""What /readyz answers, decided from the checks' outcomes. Pure: no Django, no clock.

A check is ``ok``, ``failing`` or ``not_configured`` (nothing to check: no replica, tasks
run eagerly). The whole is ``failing`` (HTTP 503: take this server out of the pool) when
something every request needs is failing: the primary database, the cache or the broker.
It is ``degraded`` (HTTP 200: keep serving) when only the replica (reads fall back to the
primary) or some queue's workers (tasks wait in the broker, nothing is lost) are failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

OK = "ok"
FAILING = "failing"
NOT_CONFIGURED = "not_configured"
DEGRADED = "degraded"

# Without it no request can be served: the load balancer must stop sending. A cache or
# broker outage is "degraded", not this: pages render without the cache, rate limits count
# in the database and posts still commit their outbox rows (docs/reliability.md, "Redis
# stopped"); a 503 there would let the load balancer take every server out at once.
ESSENTIAL_CHECKS = frozenset({"database"})


@dataclass(frozen=True)
class CheckOutcome:
    status: str
    detail: str
    # Figures a check adds beside its status (the replica's lag_seconds and paused).
    figures: Mapping[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"status": self.status, "detail": self.detail, **self.figures}


def overall_status(outcomes: Mapping[str, CheckOutcome]) -> str:
    """ok, degraded or failing (see the module's docstring). An essential check that is
    missing counts as failing: an answer that forgot the database is not a healthy one."""
    failing = {name for name, outcome in outcomes.items() if outcome.status == FAILING}
    if failing & ESSENTIAL_CHECKS or not outcomes.keys() >= ESSENTIAL_CHECKS:
        return FAILING
    if failing:
        return DEGRADED
    return OK


def http_status_for(overall: str) -> int:
    return 503 if overall == FAILING else 200


def readiness_body(outcomes: Mapping[str, CheckOutcome]) -> tuple[dict[str, Any], int]:
    """The JSON document and the HTTP status of /readyz."""
    overall = overall_status(outcomes)
    body = {"status": overall, "checks": {name: outcome.as_json() for name, outcome in outcomes.items()}}
    return body, http_status_for(overall)


def replica_outcome(*, in_recovery: bool, lag_seconds: float, paused: bool, max_lag_seconds: float) -> CheckOutcome:
    """The replica's status from what it says of itself. A server not in recovery is the
    primary under another alias (tests' TEST MIRROR, or a deployment without a replica
    yet): nothing to lag behind. A paused replay or a lag past ``max_lag_seconds`` fails:
    its reads are that old (the router still serves a writer's reads from the primary)."""
    if not in_recovery:
        return CheckOutcome(OK, "not in recovery: a mirror of the primary", {"lag_seconds": 0.0, "paused": False})
    figures = {"lag_seconds": round(max(lag_seconds, 0.0), 3), "paused": paused}
    if paused:
        return CheckOutcome(FAILING, "replay is paused", figures)
    if lag_seconds > max_lag_seconds:
        return CheckOutcome(FAILING, f"replay lags more than {max_lag_seconds:g} s", figures)
    return CheckOutcome(OK, "streaming", figures)


def worker_outcomes(
    queues: tuple[str, ...], consumers: Mapping[str, int], *, timeout_seconds: float
) -> dict[str, CheckOutcome]:
    """``workers:<queue>`` for each queue, from how many workers answered the one ping
    saying they consume it."""
    outcomes = {}
    for queue in queues:
        count = consumers.get(queue, 0)
        if count:
            outcomes[f"workers:{queue}"] = CheckOutcome(OK, f"{count} worker(s) answered", {"workers": count})
        else:
            outcomes[f"workers:{queue}"] = CheckOutcome(
                FAILING, f"no worker consuming it answered within {timeout_seconds:g} s", {"workers": 0}
            )
    return outcomes
