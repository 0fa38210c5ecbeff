"""/readyz's decisions (ops.readiness, ops.address_rules): pure, no database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ops.address_rules import address_allowed, networks_parsed
from ops.checks import consumers_by_queue
from ops.readiness import (
    DEGRADED,
    FAILING,
    NOT_CONFIGURED,
    OK,
    CheckOutcome,
    overall_status,
    readiness_body,
    replica_outcome,
    worker_outcomes,
)

ESSENTIALS_OK = {name: CheckOutcome(OK, "") for name in ("database", "cache", "broker")}


@pytest.mark.parametrize(
    ("changes", "overall", "http_status"),
    [
        ({}, OK, 200),
        ({"replica": CheckOutcome(NOT_CONFIGURED, "")}, OK, 200),
        ({"workers:gate": CheckOutcome(NOT_CONFIGURED, "")}, OK, 200),
        ({"replica": CheckOutcome(FAILING, "")}, DEGRADED, 200),
        ({"workers:webhooks": CheckOutcome(FAILING, "")}, DEGRADED, 200),
        ({"replica": CheckOutcome(FAILING, ""), "workers:gate": CheckOutcome(FAILING, "")}, DEGRADED, 200),
        ({"database": CheckOutcome(FAILING, "")}, FAILING, 503),
        # Redis down: pages render without the cache, posts keep their outbox rows (docs/reliability.md).
        ({"cache": CheckOutcome(FAILING, "")}, DEGRADED, 200),
        ({"broker": CheckOutcome(FAILING, "")}, DEGRADED, 200),
        ({"database": CheckOutcome(FAILING, ""), "replica": CheckOutcome(FAILING, "")}, FAILING, 503),
    ],
)
def test_overall_status_fails_only_on_what_every_request_needs(
    changes: dict[str, CheckOutcome], overall: str, http_status: int
) -> None:
    outcomes = {**ESSENTIALS_OK, **changes}
    assert overall_status(outcomes) == overall
    body, status = readiness_body(outcomes)
    assert (body["status"], status) == (overall, http_status)
    assert set(body["checks"]) == set(outcomes)


def test_an_answer_without_the_database_check_is_failing() -> None:
    outcomes = {"cache": CheckOutcome(OK, ""), "broker": CheckOutcome(OK, "")}
    assert overall_status(outcomes) == FAILING
    assert overall_status({**outcomes, "database": CheckOutcome(OK, "")}) == OK


def test_figures_sit_beside_the_status() -> None:
    outcome = CheckOutcome(OK, "streaming", {"lag_seconds": 1.5, "paused": False})
    assert outcome.as_json() == {"status": OK, "detail": "streaming", "lag_seconds": 1.5, "paused": False}


@pytest.mark.parametrize(
    ("in_recovery", "lag", "paused", "status", "lag_seconds"),
    [
        (False, 99.0, False, OK, 0.0),  # the primary under another name (a test mirror)
        (True, 0.0, False, OK, 0.0),
        (True, 59.9, False, OK, 59.9),
        (True, 60.1, False, FAILING, 60.1),
        (True, 0.0, True, FAILING, 0.0),
        (True, -0.2, False, OK, 0.0),  # clocks: never a negative lag
    ],
)
def test_replica_outcome(in_recovery: bool, lag: float, paused: bool, status: str, lag_seconds: float) -> None:
    outcome = replica_outcome(in_recovery=in_recovery, lag_seconds=lag, paused=paused, max_lag_seconds=60)
    assert outcome.status == status
    assert outcome.figures["lag_seconds"] == lag_seconds
    assert outcome.figures["paused"] is (paused and in_recovery)


def test_worker_outcomes_one_per_queue() -> None:
    outcomes = worker_outcomes(("default", "gate", "email"), {"gate": 2, "other": 1}, timeout_seconds=0.5)
    assert {name: outcome.status for name, outcome in outcomes.items()} == {
        "workers:default": FAILING,
        "workers:gate": OK,
        "workers:email": FAILING,
    }
    assert outcomes["workers:gate"].figures == {"workers": 2}


def test_consumers_counted_once_per_worker_from_active_queues_replies() -> None:
    replies = {
        "w1@host": [{"name": "gate"}, {"name": "email"}, {"name": "gate"}],
        "w2@host": [{"name": "gate", "exchange": {}}],
        "w3@host": None,
    }
    assert consumers_by_queue(replies) == {"gate": 2, "email": 1}


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("127.0.0.1", True),
        ("::1", True),
        ("10.1.2.3", True),
        ("10.255.0.1", True),
        ("::ffff:10.1.2.3", True),  # an IPv4 client on a dual-stack socket
        ("11.0.0.1", False),
        ("192.168.0.1", False),
        ("unknown", False),
        ("", False),
        ("fe80::1", False),
    ],
)
def test_metrics_addresses(address: str, allowed: bool) -> None:
    networks = networks_parsed(["127.0.0.1", "::1", "10.0.0.0/8"])
    assert address_allowed(address, networks) is allowed


def test_a_malformed_metrics_address_names_itself() -> None:
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        networks_parsed(["127.0.0.1", "10.0.0.300"])


class _Connection:
    alias = "default"
    vendor = "postgresql"


def test_the_query_counter_never_consumes_an_iterator_of_parameters() -> None:
    from ops.db_metrics import query_observed

    received: list[tuple[int]] = []

    def execute(sql: str, params: Iterator[tuple[int]], many: bool, context: dict[str, object]) -> str:
        received.extend(params)
        return "done"

    rows = ((n,) for n in range(3))
    assert query_observed(execute, "INSERT", rows, True, {"connection": _Connection()}) == "done"
    assert received == [(0,), (1,), (2,)]
