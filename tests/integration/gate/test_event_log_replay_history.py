"""Replaying the event log of a 150-day history, evaluated day by day by the engine under
two policies, gives each product's stored gate state (see test_event_log_replay.py for the
demo data). A module of its own: the demo module keeps its seeded data for all its tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gate.models import GateEvent
from gate.policy import GatePolicy
from gate.services import gate_evaluate_through

from .helpers import import_history, policy_settings, write_scenario
from .test_event_log_replay import assert_replay_equals_stored

# --- A long history evaluated day by day ------------------------------------------------------------

POLICIES = {
    "paris_w30_g7": GatePolicy.build(threshold="3.5", grace_days=7, min_reviews=5, window_days=30),
    "utc_all_time_g0": GatePolicy.build(threshold="3", grace_days=0, min_reviews=5, window_days=0, timezone="UTC"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POLICIES))
def test_replaying_a_150_day_run_gives_every_products_stored_state(name: str, tmp_path: Path, settings: Any) -> None:
    policy = POLICIES[name]
    policy_settings(settings, policy)
    scenario = write_scenario(tmp_path)
    import_history(scenario.reviews, scenario.improvements)
    gate_evaluate_through(through=scenario.last_day)

    kinds = set(GateEvent.objects.values_list("kind", flat=True))
    assert {"flagged", "withdrawn", "reinstated", "improved"} <= kinds, kinds
    states = assert_replay_equals_stored()
    print(f"{name}: {GateEvent.objects.count()} events, {sum(states.values())} products: {dict(states)}")
