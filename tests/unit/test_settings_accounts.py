"""ACCOUNT_EMAIL_VERIFY_DAYS is read from the environment and checked at start-up: a
positive integer starts, anything else stops the process with its reason."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.ACCOUNT_EMAIL_VERIFY_DAYS)"],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "ACCOUNT_EMAIL_VERIFY_DAYS"}, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(("env", "days"), [({}, "3"), ({"ACCOUNT_EMAIL_VERIFY_DAYS": "7"}, "7")])
def test_the_link_lifetime_defaults_to_three_days_and_is_configurable(env: dict[str, str], days: str) -> None:
    result = _load_settings(DJANGO_SETTINGS_MODULE="config.settings", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == days


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0", "ACCOUNT_EMAIL_VERIFY_DAYS must be a positive integer, got 0"),
        ("-2", "ACCOUNT_EMAIL_VERIFY_DAYS must be a positive integer, got -2"),
        ("three", "ACCOUNT_EMAIL_VERIFY_DAYS must be an integer, got 'three'"),
    ],
)
def test_an_invalid_link_lifetime_stops_the_process_with_its_reason(value: str, reason: str) -> None:
    result = _load_settings(DJANGO_SETTINGS_MODULE="config.settings", ACCOUNT_EMAIL_VERIFY_DAYS=value)
    assert result.returncode != 0
    assert reason in result.stderr
