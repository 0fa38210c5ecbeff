"""The burst rule as a pure function: thresholds, the median's floor, the new-account
branch, the settings it accepts, and that the stars are never an input."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from reviews.burst_rule import (
    BASELINE_DAYS,
    BurstRule,
    BurstTrigger,
    burst_decision,
    burst_rule_checked,
    daily_median,
)

ROOT = Path(__file__).resolve().parents[2]
RULE = BurstRule()  # 10 reviews, 24 hours, 5 times the median, 5 new accounts, 7 days
QUIET = [0] * BASELINE_DAYS  # a product that gets a review now and then: median 0 -> 1
BUSY = [4] * BASELINE_DAYS  # four reviews every day: median 4


def verdict(window: int, days: list[int] = QUIET, new: int = 0, rule: BurstRule = RULE) -> frozenset[BurstTrigger]:
    return burst_decision(window_count=window, daily_counts_90d=days, new_account_count=new, rule=rule).triggers


def test_the_default_rule_is_the_published_one() -> None:
    assert (RULE.min_reviews, RULE.hours, RULE.factor, RULE.new_accounts, RULE.new_account_days) == (10, 24, 5, 5, 7)


@pytest.mark.parametrize(
    ("window", "days", "expected"),
    [
        (9, QUIET, frozenset()),  # below the minimum, whatever the median
        (10, QUIET, frozenset({BurstTrigger.VOLUME})),  # 10 >= 10 and 10 > 5 x 1
        (20, BUSY, frozenset()),  # 20 is not more than 5 x 4
        (21, BUSY, frozenset({BurstTrigger.VOLUME})),
        (101, [20] * BASELINE_DAYS, frozenset({BurstTrigger.VOLUME})),
        (100, [20] * BASELINE_DAYS, frozenset()),
    ],
)
def test_the_volume_branch_needs_the_minimum_and_more_than_factor_times_the_median(
    window: int, days: list[int], expected: frozenset[BurstTrigger]
) -> None:
    assert verdict(window, days) == expected


def test_the_median_is_floored_at_one() -> None:
    assert daily_median(QUIET) == 1.0
    assert daily_median([]) == 1.0
    assert daily_median([0] * 60 + [3] * 30) == 1.0  # median 0
    assert daily_median([0] * 44 + [2] * 46) == 2.0
    assert daily_median([1] * 45 + [2] * 45) == 1.5  # an even number of days: the middle two
    # With the floor, 6 reviews in a day on a product that usually gets none are not a
    # burst by volume (the minimum is 10), 10 are.
    assert verdict(6) == frozenset()
    assert verdict(10) == frozenset({BurstTrigger.VOLUME})


def test_a_half_median_compares_exactly() -> None:
    days = [1] * 45 + [2] * 45  # median 1.5: the bar is 7.5
    rule = BurstRule(min_reviews=1)
    assert verdict(7, days, rule=rule) == frozenset()
    assert verdict(8, days, rule=rule) == frozenset({BurstTrigger.VOLUME})


@pytest.mark.parametrize(
    ("window", "new", "expected"),
    [
        (4, 4, frozenset()),
        (5, 5, frozenset({BurstTrigger.NEW_ACCOUNTS})),  # few reviews, but all from new accounts
        (30, 4, frozenset()),  # a busy product (10 a day): 30 in a day, 4 of them from new accounts
    ],
)
def test_the_new_account_branch(window: int, new: int, expected: frozenset[BurstTrigger]) -> None:
    assert verdict(window, [10] * BASELINE_DAYS, new) == expected


def test_both_branches_can_meet() -> None:
    result = burst_decision(window_count=50, daily_counts_90d=QUIET, new_account_count=50, rule=RULE)
    assert result.is_burst
    assert result.triggers == {BurstTrigger.VOLUME, BurstTrigger.NEW_ACCOUNTS}
    assert (result.window_count, result.daily_median, result.new_account_count) == (50, 1.0, 50)


def test_the_rule_follows_its_settings() -> None:
    strict = BurstRule(min_reviews=3, factor=2, new_accounts=2)
    assert verdict(3, rule=strict) == {BurstTrigger.VOLUME}
    assert verdict(2, new=2, rule=strict) == {BurstTrigger.NEW_ACCOUNTS}
    assert verdict(3, [2] * BASELINE_DAYS, rule=strict) == frozenset()  # 3 is not more than 2 x 2


def test_the_stars_are_never_an_input() -> None:
    """A burst of 1-star reviews and one of 5-star reviews give the rule the same figures,
    so the same verdict: the function has no argument that could carry a rating."""
    parameters = set(inspect.signature(burst_decision).parameters)
    assert parameters == {"window_count", "daily_counts_90d", "new_account_count", "rule"}
    assert not any("star" in name or "rating" in name for name in parameters)
    one_star = [1] * 50
    five_star = [5] * 50
    from_ones = burst_decision(window_count=len(one_star), daily_counts_90d=QUIET, new_account_count=50, rule=RULE)
    from_fives = burst_decision(window_count=len(five_star), daily_counts_90d=QUIET, new_account_count=50, rule=RULE)
    assert from_ones == from_fives
    assert from_ones.is_burst


def test_the_window_and_the_new_account_age_come_from_the_rule() -> None:
    now = datetime(2026, 3, 1, 12, tzinfo=UTC)
    rule = BurstRule(hours=6, new_account_days=2)
    assert rule.window_start(now) == now - timedelta(hours=6)
    assert rule.new_account_joined_after(now) == now - timedelta(days=2)


@pytest.mark.parametrize("bad", [0, -1, True, "10", 2.5, None])
@pytest.mark.parametrize(
    "name",
    [
        "REVIEW_BURST_MIN",
        "REVIEW_BURST_HOURS",
        "REVIEW_BURST_FACTOR",
        "REVIEW_BURST_NEW_ACCOUNTS",
        "REVIEW_BURST_NEW_ACCOUNT_DAYS",
    ],
)
def test_every_setting_must_be_a_positive_integer(name: str, bad: object) -> None:
    values: dict[str, object] = {
        "REVIEW_BURST_MIN": 10,
        "REVIEW_BURST_HOURS": 24,
        "REVIEW_BURST_FACTOR": 5,
        "REVIEW_BURST_NEW_ACCOUNTS": 5,
        "REVIEW_BURST_NEW_ACCOUNT_DAYS": 7,
    }
    assert burst_rule_checked(values) == RULE
    values[name] = bad
    with pytest.raises(ImproperlyConfigured, match=f"{name} must be a positive integer, got {bad!r}"):
        burst_rule_checked(values)


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.REVIEW_BURST_HOURS)"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_settings_are_read_from_the_environment_and_checked_at_start_up() -> None:
    started = _start(REVIEW_BURST_HOURS="12")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "12"
    stopped = _start(REVIEW_BURST_NEW_ACCOUNTS="0")
    assert stopped.returncode != 0
    assert "The review burst settings are invalid: REVIEW_BURST_NEW_ACCOUNTS must be a positive integer, got 0" in (
        stopped.stderr
    )
    typo = _start(REVIEW_BURST_FACTOR="five")
    assert typo.returncode != 0
    assert "REVIEW_BURST_FACTOR must be an integer, got 'five'" in typo.stderr
