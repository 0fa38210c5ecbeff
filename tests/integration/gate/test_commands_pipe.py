"""A reader that stops early (``gate_events | head -1``) ends our output quietly: no
BrokenPipeError traceback, exit status 0, as a Unix filter does."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from gate.configured import gate_policy_from_settings
from gate.models import GateEvent
from gate.policy import GatePolicy
from tests.factories import product_create

from .helpers import add_reviews, noon, policy_settings

DAY = date(2024, 5, 1)


class ClosedPipe(io.StringIO):
    """Standard output whose reader went away after the first line."""

    def __init__(self) -> None:
        super().__init__()
        self.lines = 0

    def write(self, text: str) -> int:
        if self.lines >= 1:
            raise BrokenPipeError(32, "Broken pipe")
        self.lines += text.count("\n")
        return super().write(text)


@pytest.mark.django_db
def test_gate_events_stops_quietly_when_its_reader_goes_away(settings: object) -> None:
    policy_settings(
        settings, GatePolicy.build(threshold="3.0", grace_days=1, min_reviews=2, window_days=0, timezone="UTC")
    )
    for sku in ("A-1", "B-1", "C-1"):
        add_reviews(product_create(sku=sku), noon(gate_policy_from_settings(), DAY), [1, 2])
    call_command("gate_evaluate", "--through", (DAY + timedelta(days=1)).isoformat(), verbosity=0)
    assert GateEvent.objects.count() > 1
    stdout = ClosedPipe()

    call_command("gate_events", stdout=stdout)  # returns: no BrokenPipeError escapes

    assert stdout.getvalue().count("\n") == 1


def test_gate_backtest_piped_into_head_ends_quietly_with_status_0(tmp_path: Path) -> None:
    # Enough events that the pipe fills and breaks while the command still writes.
    rows = "".join(
        f"P-{product},{1 + (day + product) % 2},2026-01-{day:02d}\n" for day in range(1, 29) for product in range(400)
    )
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("product_id,rating,created_at\n" + rows, encoding="utf-8")
    command = (
        f"{sys.executable} manage.py gate_backtest {reviews} --min-reviews 2 --grace-days 1 --window-days 2 "
        "--tz UTC | head -1; exit ${PIPESTATUS[0]}"
    )

    result = subprocess.run(
        ["bash", "-c", command],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.stdout.count("\n") == 1
    assert result.stdout.startswith('{"day": "2026-01-')
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
