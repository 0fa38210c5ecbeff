"""The burst rule as pure Python: no database, no clock, no Django model.

A product *receives a burst* when, in the last ``hours`` hours, it received at least
``min_reviews`` reviews and more than ``factor`` times its daily median of the
``BASELINE_DAYS`` days before (the median floored at 1), or at least ``new_accounts``
reviews from accounts younger than ``new_account_days`` days. The stars are never an
input: a burst of praise is held exactly like a burst of complaints.

Kept apart from :mod:`reviews.bursts` (which reads the database) so that the settings can
check the REVIEW_BURST_* values at start-up, before any model can be imported, with the
very class the rule runs on.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "BASELINE_DAYS",
    "BURST_SETTINGS",
    "BurstRule",
    "BurstTrigger",
    "BurstVerdict",
    "burst_decision",
    "burst_rule_checked",
    "daily_median",
]

# How far back "usual" traffic is measured: the daily median of this many days.
BASELINE_DAYS = 90
# A median of 0 (most days without a review) would make any two reviews a burst.
MEDIAN_FLOOR = 1

# The setting that holds each field of BurstRule (config/settings.py, /about/reviews/).
BURST_SETTINGS: dict[str, str] = {
    "min_reviews": "REVIEW_BURST_MIN",
    "hours": "REVIEW_BURST_HOURS",
    "factor": "REVIEW_BURST_FACTOR",
    "new_accounts": "REVIEW_BURST_NEW_ACCOUNTS",
    "new_account_days": "REVIEW_BURST_NEW_ACCOUNT_DAYS",
}


class BurstRuleError(ValueError):
    """A REVIEW_BURST_* value the rule cannot run on."""


@dataclass(frozen=True)
class BurstRule:
    """The rule's numbers (the REVIEW_BURST_* settings); every one a positive integer."""

    min_reviews: int = 10
    hours: int = 24
    factor: int = 5
    new_accounts: int = 5
    new_account_days: int = 7

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            # bool is an int to Python, never to whoever wrote the setting.
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise BurstRuleError(f"{BURST_SETTINGS[field.name]} must be a positive integer, got {value!r}")

    @property
    def window(self) -> timedelta:
        return timedelta(hours=self.hours)

    @property
    def new_account_age(self) -> timedelta:
        return timedelta(days=self.new_account_days)

    def window_start(self, now: datetime) -> datetime:
        """The window is ``(now - hours, now]``."""
        return now - self.window

    def new_account_joined_after(self, now: datetime) -> datetime:
        """An account that joined after this moment is a new account at ``now``."""
        return now - self.new_account_age


def burst_rule_checked(values: Mapping[str, Any]) -> BurstRule:
    """``BurstRule`` from the settings' values (keyed by setting name); a value it refuses
    stops start-up with its reason, as a bad GATE_* setting does."""
    try:
        return BurstRule(**{field: values[name] for field, name in BURST_SETTINGS.items()})
    except BurstRuleError as exc:
        raise ImproperlyConfigured(f"The review burst settings are invalid: {exc}") from exc


class BurstTrigger(StrEnum):
    """Which branch of the rule a burst met (both can)."""

    VOLUME = "volume"
    NEW_ACCOUNTS = "new_accounts"


@dataclass(frozen=True)
class BurstVerdict:
    """The rule's answer and the figures it was given, for the caller and the desk."""

    triggers: frozenset[BurstTrigger]
    window_count: int
    daily_median: float
    new_account_count: int

    @property
    def is_burst(self) -> bool:
        return bool(self.triggers)


def daily_median(daily_counts: Sequence[int]) -> float:
    """The median of the days' review counts, floored at 1 (no days: the floor)."""
    if not daily_counts:
        return float(MEDIAN_FLOOR)
    return max(float(MEDIAN_FLOOR), float(statistics.median(daily_counts)))


def burst_decision(
    *, window_count: int, daily_counts_90d: Sequence[int], new_account_count: int, rule: BurstRule
) -> BurstVerdict:
    """Is this a burst?

    ``window_count``: the product's reviews in the window (held ones and the new one
    included); ``daily_counts_90d``: its published reviews per day over the BASELINE_DAYS
    days before the window, days without reviews as 0; ``new_account_count``: how many of
    the window's reviews come from accounts younger than ``rule.new_account_days``.
    """
    median = daily_median(daily_counts_90d)
    triggers: set[BurstTrigger] = set()
    if window_count >= rule.min_reviews and window_count > rule.factor * median:
        triggers.add(BurstTrigger.VOLUME)
    if new_account_count >= rule.new_accounts:
        triggers.add(BurstTrigger.NEW_ACCOUNTS)
    return BurstVerdict(
        triggers=frozenset(triggers),
        window_count=window_count,
        daily_median=median,
        new_account_count=new_account_count,
    )
