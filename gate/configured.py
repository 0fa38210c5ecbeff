"""The gate policy in force, read from settings in one place.

Every reader of the GATE_* settings (the day engine, the commands, the desk, the shopper's
pages, the notices) goes through :func:`gate_policy_from_settings`, so they all accept the
same values: those docs/gate.md documents for ``GatePolicy.build`` (e.g. a threshold of
``"3.5"`` or ``"10/3"``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gate.policy import GatePolicy, PolicyError

__all__ = [
    "ImprovementApproval",
    "gate_policy_checked",
    "gate_policy_from_settings",
    "gate_policy_settings",
    "improvement_approval_checked",
    "improvement_approval_from_settings",
    "threshold_decimal",
]


def gate_policy_settings() -> dict[str, Any]:
    """The GATE_* settings and TIME_ZONE, as ``GatePolicy.build`` takes them (unchecked):
    for a caller that overrides some of them first (``gate_backtest``'s options)."""
    return {
        "threshold": str(settings.GATE_THRESHOLD),
        "grace_days": settings.GATE_GRACE_DAYS,
        "min_reviews": settings.GATE_MIN_REVIEWS,
        "window_days": settings.GATE_WINDOW_DAYS,
        "timezone": settings.TIME_ZONE,
    }


def gate_policy_from_settings() -> GatePolicy:
    """The policy in force: GATE_* settings (each overridable by environment) and TIME_ZONE."""
    return gate_policy_checked(gate_policy_settings())


def gate_policy_checked(values: Mapping[str, Any]) -> GatePolicy:
    """``GatePolicy.build(**values)``, a refusal said as a configuration error. The settings
    call it at start-up, so a typo stops the process there, with its reason."""
    try:
        return GatePolicy.build(**values)
    except PolicyError as exc:
        raise ImproperlyConfigured(f"The quality gate's settings are invalid: {exc}") from exc


def threshold_decimal(policy: GatePolicy) -> Decimal:
    """The policy's exact threshold as a ``Decimal`` for display (``10/3`` to the context's
    precision); pages format it, the gate itself compares with the exact fraction."""
    return Decimal(policy.threshold.numerator) / Decimal(policy.threshold.denominator)


class ImprovementApproval(StrEnum):
    """GATE_IMPROVEMENT_APPROVAL: who must agree before a logged improvement takes effect.

    ``none`` is the spec's rule (logging an improvement reinstates at once); ``director``
    makes a product manager's improvement wait for a quality director's approval.
    """

    NONE = "none"
    DIRECTOR = "director"


def improvement_approval_checked(value: object) -> ImprovementApproval:
    """``value`` as an :class:`ImprovementApproval`; anything else is a configuration error,
    raised by the settings at start-up (like a bad GATE_THRESHOLD)."""
    for choice in ImprovementApproval:
        if isinstance(value, str) and value == choice.value:
            return choice
    accepted = ", ".join(repr(choice.value) for choice in ImprovementApproval)
    raise ImproperlyConfigured(
        f"The quality gate's settings are invalid: GATE_IMPROVEMENT_APPROVAL must be one of {accepted}, not {value!r}"
    )


def improvement_approval_from_settings() -> ImprovementApproval:
    """The improvement sign-off in force (GATE_IMPROVEMENT_APPROVAL; ``none`` when unset)."""
    return improvement_approval_checked(getattr(settings, "GATE_IMPROVEMENT_APPROVAL", ImprovementApproval.NONE))
