"""gate_events and gate_evaluate from the operator's side: formats, order, options, errors."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gate.models import GateClock, GateEvent
from gate.policy import GatePolicy
from gate.services import gate_policy_from_settings
from tests.factories import product_create

from .helpers import add_reviews, exported_lines, noon, policy_settings

pytestmark = pytest.mark.django_db

DAY = date(2024, 5, 1)


@pytest.fixture(autouse=True)
def _policy(settings: Any) -> None:
    policy_settings(
        settings,
        GatePolicy.build(threshold="3.0", grace_days=1, min_reviews=2, window_days=0, timezone="UTC"),
    )


@pytest.fixture
def history() -> None:
    """Three products flagged on the same day, whose SKUs sort differently by collation,
    one of them withdrawn the next day."""
    policy = gate_policy_from_settings()
    for sku in ("b-2", "B-10", "a_1"):
        add_reviews(product_create(sku=sku), noon(policy, DAY), [1, 2])
    add_reviews(product_create(sku="Z"), noon(policy, DAY), [5, 5])
    call_command("gate_evaluate", "--through", (DAY + timedelta(days=1)).isoformat(), verbosity=0)


def _refused(*args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command(*args, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())
    assert refused.value.returncode == 2
    return str(refused.value)


def test_events_come_out_as_the_spec_writes_them_ordered_by_day_then_sku_as_a_string(history: None) -> None:
    lines = exported_lines()

    assert lines[0] == '{"day": "2024-05-01", "product_id": "B-10", "event": "flagged", "average": 1.5, "count": 2}'
    assert [(json.loads(line)["day"], json.loads(line)["product_id"]) for line in lines] == [
        ("2024-05-01", "B-10"),
        ("2024-05-01", "a_1"),
        ("2024-05-01", "b-2"),
        ("2024-05-02", "B-10"),
        ("2024-05-02", "a_1"),
        ("2024-05-02", "b-2"),
    ]


def test_since_is_inclusive(history: None) -> None:
    lines = exported_lines("--since", "2024-05-02")

    assert {json.loads(line)["event"] for line in lines} == {"withdrawn"}
    assert len(lines) == 3
    assert exported_lines("--since", "2024-05-03") == []


def test_the_csv_form_has_the_same_columns_in_the_same_order(history: None, tmp_path: Path) -> None:
    output = tmp_path / "events.csv"

    call_command("gate_events", "--format", "csv", "--output", str(output), verbosity=0)

    rows = list(csv.reader(output.open(encoding="utf-8")))
    assert rows[0] == ["day", "product_id", "event", "average", "count"]
    assert rows[1] == ["2024-05-01", "B-10", "flagged", "1.5", "2"]
    assert len(rows) == 7


def test_an_empty_average_is_an_empty_csv_cell_and_null_in_json(tmp_path: Path) -> None:
    product = product_create(sku="P")
    GateEvent.objects.create(product=product, day=DAY, kind="recovered", average=None, count=0, policy={})

    assert exported_lines() == [
        '{"day": "2024-05-01", "product_id": "P", "event": "recovered", "average": null, "count": 0}'
    ]
    out = io.StringIO()
    call_command("gate_events", "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[1] == "2024-05-01,P,recovered,,0"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gate_events", "--format", "xml"), "--format must be jsonl or csv"),
        (("gate_events", "--since", "May 1"), "--since must be a date written YYYY-MM-DD"),
        (("gate_events", "--output", "/nonexistent-dir/events.jsonl"), "no directory"),
        (("gate_evaluate", "--through", "2024-13-01"), "--through must be a date written YYYY-MM-DD"),
    ],
)
def test_bad_options_exit_2_with_a_message(args: tuple[str, ...], message: str) -> None:
    assert message in _refused(*args)


def test_gate_evaluate_refuses_a_day_that_is_not_over() -> None:
    today = gate_policy_from_settings().day_of(timezone.now())

    message = _refused("gate_evaluate", "--through", today.isoformat())

    assert "not over yet" in message


def test_gate_evaluate_defaults_to_yesterday_and_reports_progress() -> None:
    policy = gate_policy_from_settings()
    today = policy.day_of(timezone.now())
    add_reviews(product_create(sku="P"), noon(policy, today - timedelta(days=4)), [4, 4])
    err = io.StringIO()

    call_command("gate_evaluate", verbosity=2, stderr=err)

    assert GateClock.objects.get().last_evaluated_day == today - timedelta(days=1)
    report = err.getvalue()
    assert f"{today - timedelta(days=1)} (4/4)" in report
    assert "gate_evaluate: 4 days evaluated" in report
