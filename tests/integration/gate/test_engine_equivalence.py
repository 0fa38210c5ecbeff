"""Production equals backtest, on a small hand-made history (fast suite).

The same CSV goes through ``gate_backtest``'s engine and through the database path
(import_reviews, import_improvements, the engine day by day, gate_events); the event
lines must be the same strings. Then the faults: missed days, repeated runs, a run
that dies half-way, two runs at once.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from gate.models import GateClock, GateEvent
from gate.policy import GatePolicy
from gate.services import engine, gate_evaluate_through, revisions
from products.models import Product

from .helpers import (
    backtest_lines,
    evaluate_in_chunks,
    exported_lines,
    import_history,
    policy_settings,
    write_scenario,
)

POLICIES = {
    "paris_w30_g7": GatePolicy.build(
        threshold="3.5", grace_days=7, min_reviews=5, window_days=30, timezone="Europe/Paris"
    ),
    "utc_all_time_g0": GatePolicy.build(threshold="3", grace_days=0, min_reviews=5, window_days=0, timezone="UTC"),
    "new_york_w14_g3": GatePolicy.build(
        threshold="3.5", grace_days=3, min_reviews=8, window_days=14, timezone="America/New_York"
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POLICIES))
def test_database_path_gives_exactly_the_backtest_events(name: str, tmp_path: Path, settings: Any) -> None:
    policy = POLICIES[name]
    policy_settings(settings, policy)
    scenario = write_scenario(tmp_path)
    expected = backtest_lines(scenario, policy)
    assert {"flagged", "withdrawn", "reinstated"} <= {line.split('"event": "')[1].split('"')[0] for line in expected}

    import_history(scenario.reviews, scenario.improvements)
    summary = gate_evaluate_through(through=scenario.last_day)

    assert exported_lines() == expected
    assert summary.last_day == scenario.last_day
    assert GateClock.objects.get().last_evaluated_day == scenario.last_day


@pytest.mark.django_db
def test_missed_days_caught_up_in_random_chunks_give_the_same_events(tmp_path: Path, settings: Any) -> None:
    policy = POLICIES["paris_w30_g7"]
    policy_settings(settings, policy)
    scenario = write_scenario(tmp_path, seed=11)
    expected = backtest_lines(scenario, policy)
    import_history(scenario.reviews, scenario.improvements)

    runs = evaluate_in_chunks(policy, scenario.last_day, random.Random(3), scenario.first_day)

    assert runs > 10
    assert exported_lines() == expected


@pytest.mark.django_db
def test_a_repeated_run_adds_nothing(tmp_path: Path, settings: Any) -> None:
    policy = POLICIES["utc_all_time_g0"]
    policy_settings(settings, policy)
    scenario = write_scenario(tmp_path)
    import_history(scenario.reviews, scenario.improvements)
    gate_evaluate_through(through=scenario.last_day)
    before = list(GateEvent.objects.order_by("id").values_list("id", "kind", "day"))
    states = list(Product.objects.order_by("pk").values_list("gate_state", "on_sale", "revision"))

    again = gate_evaluate_through(through=scenario.last_day)

    assert again.days == 0
    assert list(GateEvent.objects.order_by("id").values_list("id", "kind", "day")) == before
    assert list(Product.objects.order_by("pk").values_list("gate_state", "on_sale", "revision")) == states


@pytest.mark.django_db
def test_a_run_failing_half_way_leaves_that_day_unevaluated_and_the_next_run_completes_it(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = POLICIES["paris_w30_g7"]
    policy_settings(settings, policy)
    scenario = write_scenario(tmp_path)
    expected = backtest_lines(scenario, policy)
    import_history(scenario.reviews, scenario.improvements)
    # Fail on the sixth day with events, after that day's first state change and event row
    # were written: all of the day must roll back.
    failing_day = sorted({line.split('"day": "')[1][:10] for line in expected})[5]
    real_record = engine.gate_event_record

    def record_then_fail(**kwargs: Any) -> Any:
        event = real_record(**kwargs)
        if event.day.isoformat() == failing_day:
            raise RuntimeError("killed half-way")
        return event

    # Both writers of events in a day: the engine's evaluations and the improvements it applies.
    monkeypatch.setattr(engine, "gate_event_record", record_then_fail)
    monkeypatch.setattr(revisions, "gate_event_record", record_then_fail)
    with pytest.raises(RuntimeError, match="killed half-way"):
        gate_evaluate_through(through=scenario.last_day)

    clock = GateClock.objects.get()
    assert clock.last_evaluated_day is not None
    assert clock.last_evaluated_day.isoformat() < failing_day
    assert not GateEvent.objects.filter(day__gte=failing_day).exists()
    partial = exported_lines()
    assert partial == [line for line in expected if line.split('"day": "')[1][:10] < failing_day]

    monkeypatch.setattr(engine, "gate_event_record", real_record)
    monkeypatch.setattr(revisions, "gate_event_record", real_record)
    gate_evaluate_through(through=scenario.last_day)

    assert exported_lines() == expected


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_write_each_event_once(tmp_path: Path, settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite has a single writer (transactions BEGIN IMMEDIATE), so two runs cannot interleave: "
            "run with DATABASE_URL=postgres://... to race real connections"
        )
    policy = POLICIES["paris_w30_g7"]
    policy_settings(settings, policy)
    scenario = write_scenario(tmp_path)
    expected = backtest_lines(scenario, policy)
    import_history(scenario.reviews, scenario.improvements)
    start = threading.Barrier(2)
    errors: list[BaseException] = []
    days: list[int] = []

    def run() -> None:
        try:
            start.wait()
            days.append(gate_evaluate_through(through=scenario.last_day, policy=policy).days)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    # Every day was evaluated by exactly one of the two runs.
    assert sum(days) == (scenario.last_day - scenario.first_day).days + 1
    assert exported_lines() == expected
