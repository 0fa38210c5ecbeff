"""The GATE_* settings are checked at start-up by the policy itself: what docs/gate.md
accepts starts (a threshold of 10/3 included), a typo stops the process with its reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.GATE_THRESHOLD)"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("threshold", ["3.0", "3.5", "10/3", "5"])
def test_every_documented_threshold_starts(threshold: str) -> None:
    result = _load_settings(GATE_THRESHOLD=threshold)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == threshold


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"GATE_THRESHOLD": "three"}, "threshold must be a number"),
        ({"GATE_THRESHOLD": "1"}, "threshold must be above 1"),
        ({"GATE_MIN_REVIEWS": "0"}, "min_reviews"),
        ({"TIME_ZONE": "Mars/Olympus"}, "Mars/Olympus"),
    ],
)
def test_an_invalid_gate_setting_stops_the_process_with_its_reason(env: dict[str, str], reason: str) -> None:
    result = _load_settings(**env)
    assert result.returncode != 0
    assert "The quality gate's settings are invalid" in result.stderr
    assert reason in result.stderr
