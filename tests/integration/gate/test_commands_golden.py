"""The golden files of ../shared/gate-golden/ come out of the database path exactly.

For each row of the README's table without ``--from``: on a fresh database, import_reviews
--create-products, import_improvements when named, the policy through settings,
gate_evaluate --through (``--to`` or the last review or improvement day), then gate_events,
compared with the golden file as parsed JSON. Slow (each replays about 2,900 days of
67,395 reviews): run with --run-slow; CI runs them on PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from gate.models import GateClock, GateEvent
from gate.services import engine, gate_evaluate_through, gate_next_day
from tests.conftest import SHARED_DIR, shared_path

from .helpers import (
    GoldenCase,
    evaluate_in_chunks,
    exported_lines,
    golden_cases,
    import_history,
    last_data_day,
    parsed,
    policy_settings,
)

_README = SHARED_DIR / "gate-golden" / "README.md"
# Parsed at collection so each file is its own test; without ../shared one placeholder
# case runs and skips (or fails in CI) through shared_path.
_CASES = [case for case in golden_cases(_README) if "from" not in case.options] if _README.exists() else []
_IDS = [case.file for case in _CASES] or ["gate-golden-missing"]


def _case(file: str) -> GoldenCase:
    shared_path("gate-golden", "README.md")
    return next(case for case in _CASES if case.file == file)


def _inputs(case: GoldenCase) -> tuple[Path, Path | None]:
    reviews = shared_path("data", "yelpchi_reviews.csv")
    improvements = None
    if "improvements" in case.options:
        # The table names it relative to gate-golden/ ("../data/yelpchi_improvements.csv").
        improvements = shared_path("gate-golden", *Path(case.options["improvements"]).parts)
    return reviews, improvements


def _through(case: GoldenCase) -> date:
    if "to" in case.options:
        return date.fromisoformat(case.options["to"])
    return last_data_day(case.policy)


def test_the_table_lists_the_golden_files() -> None:
    readme = shared_path("gate-golden", "README.md")
    cases = golden_cases(readme)
    assert len(cases) >= 6
    assert all(shared_path("gate-golden", case.file).exists() for case in cases)
    assert {"window-days", "min-reviews", "tz", "improvements", "threshold", "grace-days"} <= {
        option for case in cases for option in case.options
    }


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("file", _IDS)
def test_golden_file_comes_out_of_the_database_path(file: str, settings: Any, tmp_path: Path) -> None:
    case = _case(file)
    policy_settings(settings, case.policy)
    reviews, improvements = _inputs(case)
    import_history(reviews, improvements)
    through = _through(case)

    call_command("gate_evaluate", "--through", through.isoformat(), verbosity=0)
    output = tmp_path / "events.jsonl"
    call_command("gate_events", "--output", str(output), verbosity=0)

    golden = shared_path("gate-golden", case.file).read_text(encoding="utf-8").splitlines()
    assert parsed(output.read_text(encoding="utf-8").splitlines()) == parsed(golden)
    # A repeated run adds nothing.
    count = GateEvent.objects.count()
    call_command("gate_evaluate", "--through", through.isoformat(), verbosity=0)
    assert GateEvent.objects.count() == count
    assert GateClock.objects.get().last_evaluated_day == through


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("file", _IDS)
def test_golden_file_comes_out_after_missed_days_are_caught_up(file: str, settings: Any) -> None:
    case = _case(file)
    policy_settings(settings, case.policy)
    import_history(*_inputs(case))
    through = _through(case)
    first = gate_next_day(policy=case.policy)
    assert first is not None

    evaluate_in_chunks(case.policy, through, random.Random(file), first)

    golden = shared_path("gate-golden", case.file).read_text(encoding="utf-8").splitlines()
    assert parsed(exported_lines()) == parsed(golden)


@pytest.mark.slow
@pytest.mark.django_db
def test_a_replay_killed_half_way_resumes_with_identical_events(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    case = _case("yelpchi__default__improvements.jsonl")
    policy_settings(settings, case.policy)
    import_history(*_inputs(case))
    golden = parsed(shared_path("gate-golden", case.file).read_text(encoding="utf-8").splitlines())
    failing_day = golden[len(golden) // 2]["day"]
    real_day = engine.day_evaluate

    def die_on_the_day(**kwargs: Any) -> Any:
        summary = real_day(**kwargs)  # the whole day written, then killed before commit
        if summary.day.isoformat() == failing_day:
            raise KeyboardInterrupt
        return summary

    monkeypatch.setattr(engine, "day_evaluate", die_on_the_day)
    with pytest.raises(KeyboardInterrupt):
        gate_evaluate_through(through=_through(case))
    last = GateClock.objects.get().last_evaluated_day
    assert last is not None and last.isoformat() < failing_day
    assert not GateEvent.objects.filter(day__gte=failing_day).exists()

    monkeypatch.setattr(engine, "day_evaluate", real_day)
    call_command("gate_evaluate", "--through", _through(case).isoformat(), verbosity=0)

    assert parsed(exported_lines()) == golden
