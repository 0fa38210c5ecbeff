"""The suite's guard against tests running across a midnight (tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import seconds_to_midnight

ZONES = {"Europe/Paris", "UTC"}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Midnight in Paris in winter is 23:00 UTC.
        (datetime(2026, 12, 7, 22, 59, 30, tzinfo=UTC), 30.0),
        # Past it, UTC's midnight is the next one.
        (datetime(2026, 12, 7, 23, 0, 1, tzinfo=UTC), 3599.0),
        # In summer Paris' midnight is 22:00 UTC.
        (datetime(2026, 7, 1, 21, 58, 0, tzinfo=UTC), 120.0),
        # The night clocks go forward in Paris (29 March 2026, 02:00 -> 03:00): after
        # UTC's midnight, the next Paris midnight is 22:00 UTC the next day, 22 real hours on.
        (datetime(2026, 3, 29, 0, 0, 0, tzinfo=UTC), 22 * 3600.0),
    ],
)
def test_seconds_to_the_next_midnight_in_either_zone(now: datetime, expected: float) -> None:
    assert seconds_to_midnight(now, ZONES) == expected


def test_a_local_time_given_counts_the_same() -> None:
    from zoneinfo import ZoneInfo

    paris = datetime(2026, 12, 7, 23, 59, 50, tzinfo=ZoneInfo("Europe/Paris"))
    assert seconds_to_midnight(paris, ZONES) == 10.0
