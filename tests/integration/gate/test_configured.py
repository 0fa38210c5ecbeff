"""gate.configured: the one reading of the GATE_* settings, for every reader alike."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from gate.configured import gate_policy_from_settings
from gate.public import gate_policy_public
from gate.services import GateHistory
from reviews.history_import import history_keeper


def test_a_threshold_written_as_a_fraction_is_accepted_as_docs_gate_md_says(settings: Any) -> None:
    settings.GATE_THRESHOLD = "10/3"

    assert gate_policy_from_settings().threshold == Fraction(10, 3)
    assert round(gate_policy_public()["threshold"], 4) == Decimal("3.3333")


def test_the_public_policy_is_the_policy_in_force(settings: Any) -> None:
    settings.GATE_THRESHOLD = "3.5"
    settings.GATE_GRACE_DAYS = 12
    settings.GATE_MIN_REVIEWS = 7
    settings.GATE_WINDOW_DAYS = 90

    assert gate_policy_public() == {
        "threshold": Decimal("3.5"),
        "grace_days": 12,
        "min_reviews": 7,
        "window_days": 90,
        "timezone": settings.TIME_ZONE,
    }


@pytest.mark.parametrize("threshold", ["3,5", "1", "5.5", "nan"])
def test_a_threshold_the_policy_refuses_is_a_configuration_error(settings: Any, threshold: str) -> None:
    settings.GATE_THRESHOLD = threshold

    with pytest.raises(ImproperlyConfigured, match="quality gate's settings are invalid"):
        gate_policy_from_settings()


def test_the_gate_keeps_the_history_reviews_are_imported_into(settings: Any) -> None:
    settings.GATE_GRACE_DAYS = 9

    keeper = history_keeper()

    assert isinstance(keeper, GateHistory)
    assert keeper.policy.grace_days == 9
