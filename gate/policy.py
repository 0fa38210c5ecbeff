"""The quality gate's decision, as pure Python (no Django, no clock, no I/O).

This module is the whole of ``../shared/GATE_SPEC.md`` that does not touch storage:
the policy, a product's gate state, one day's step and the event it produces, and
the one place where an event becomes JSON. Both drivers call it:

* ``gate_backtest`` (``gate/backtest/``) streams a CSV and keeps running sums;
* the scheduled engine reads the same sums from the database.

Both drive a product one day at a time::

    for each day d, in order:
        for each improvement logged on d, in logged_at order:
            state, event = apply_improvement(state, day=d, product_id=p)
        state, event = evaluate_day(state, stats_on_d, day=d, product_id=p, policy=policy)

When a product can change
-------------------------
A driver need not call :func:`evaluate_day` for every product every day; it is enough
to call it for the products that *can* change on ``d`` (``products_to_evaluate`` in a
driver), which are exactly:

1. products with a new counted review on ``d``;
2. products with a review leaving the window on ``d`` (a review of day ``r`` last counts
   on ``r + window_days - 1``: see :func:`window_exit_day`);
3. products improved on ``d`` (their revision, hence their figures, just changed);
4. flagged products whose deadline is ``d`` (:func:`deadline_day`);
5. on the first evaluated day, every product with counted reviews (their state was set
   to ``active`` by decree, not by an evaluation).

Why skipping the others is sound: :func:`evaluate_day` depends only on the state, the
day's figures and whether ``d`` has reached the deadline. For a product outside 1-5
the figures are those of its previous evaluation, so

* an ``active`` product was *not below* then (or it would have been flagged), so it is
  still not below: no event;
* a ``flagged`` product was below then (or it would have recovered) and its deadline is
  not ``d`` and was not passed (it would have been withdrawn on the deadline day, which
  is always evaluated): no event;
* a ``withdrawn`` product never changes on evaluation.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "ACTIVE",
    "AVERAGE_DECIMALS",
    "DayStats",
    "EventKind",
    "GateEvent",
    "GatePolicy",
    "GateState",
    "PolicyError",
    "ProductGateState",
    "apply_improvement",
    "average_of",
    "deadline_day",
    "evaluate_day",
    "event_sort_key",
    "step",
    "window_exit_day",
]

AVERAGE_DECIMALS = 4
_AVERAGE_SCALE = 10**AVERAGE_DECIMALS
_MIN_THRESHOLD = Fraction(1)
_MAX_THRESHOLD = Fraction(5)


class PolicyError(ValueError):
    """A policy value is out of range or unreadable; the message says which and why."""


def _parse_threshold(value: object) -> Fraction:
    # bool is an int subclass, and a float is already inexact (3.1 is not 31/10):
    # both are refused rather than silently turned into a surprising fraction.
    if isinstance(value, (bool, float)):
        raise PolicyError(
            f"threshold must be given as a string, int, Decimal or Fraction, "
            f"not {type(value).__name__} ({value!r}): floats are inexact"
        )
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise PolicyError(f"threshold must be a finite number, got {value}")
        return Fraction(value)
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise PolicyError(f"threshold must be a number such as 3.0 or 7/2, got {value!r}") from None
    raise PolicyError(f"threshold must be a number, got {type(value).__name__} ({value!r})")


def _check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PolicyError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise PolicyError(f"{name} must be at least {minimum}, got {value}")
    return value


def _load_zone(name: object) -> ZoneInfo:
    if not isinstance(name, str) or not name.strip():
        raise PolicyError(f"timezone must be an IANA time zone name such as Europe/Paris, got {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise PolicyError(f"unknown time zone {name!r}: expected an IANA name such as Europe/Paris or UTC") from None


def fraction_text(value: Fraction) -> str:
    """``value`` written exactly: ``"3"``, ``"3.5"``, or ``"10/3"`` when no decimal is exact."""
    if value.denominator == 1:
        return str(value.numerator)
    denominator, twos, fives = value.denominator, 0, 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    if denominator != 1:
        return f"{value.numerator}/{value.denominator}"
    digits = max(twos, fives)
    scaled = abs(value.numerator) * 10**digits // value.denominator
    sign = "-" if value < 0 else ""
    whole, fraction = divmod(scaled, 10**digits)
    return f"{sign}{whole}.{fraction:0{digits}d}"


@dataclass(frozen=True, slots=True)
class GatePolicy:
    """The gate's configurable rule. Build it with :meth:`build`, which converts and checks.

    ``threshold`` is exact (a ``Fraction``); a product is *below* when it has at least
    ``min_reviews`` counted reviews and ``sum < threshold * count``.
    """

    threshold: Fraction
    grace_days: int
    min_reviews: int
    window_days: int
    timezone: str

    def __post_init__(self) -> None:
        # Direct construction is checked too, so an invalid policy cannot exist.
        if not isinstance(self.threshold, Fraction):
            raise PolicyError("threshold must be a Fraction; use GatePolicy.build() to convert")
        if not _MIN_THRESHOLD < self.threshold <= _MAX_THRESHOLD:
            raise PolicyError(
                f"threshold must be above 1 and at most 5 (ratings run from 1 to 5), "
                f"got {fraction_text(self.threshold)}"
            )
        _check_int("grace_days", self.grace_days, 0)
        _check_int("min_reviews", self.min_reviews, 1)
        _check_int("window_days", self.window_days, 0)
        _load_zone(self.timezone)

    @classmethod
    def build(
        cls,
        *,
        threshold: str | int | Decimal | Fraction = "3.0",
        grace_days: int = 30,
        min_reviews: int = 25,
        window_days: int = 365,
        timezone: str = "Europe/Paris",
    ) -> GatePolicy:
        """A checked policy; raises :class:`PolicyError` with a message naming the bad value."""
        return cls(
            threshold=_parse_threshold(threshold),
            grace_days=_check_int("grace_days", grace_days, 0),
            min_reviews=_check_int("min_reviews", min_reviews, 1),
            window_days=_check_int("window_days", window_days, 0),
            timezone=timezone.strip() if isinstance(timezone, str) else timezone,
        )

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_below(self, count: int, total: int) -> bool:
        """below(d) of the spec: ``count >= min_reviews`` and ``total < threshold * count``.

        Compared in integers (``total * den < num * count``): exact, never a float.
        """
        if count < self.min_reviews:
            return False
        return total * self.threshold.denominator < self.threshold.numerator * count

    def withdrawal_date(self, flagged_on: date) -> date:
        """The first day a product flagged on ``flagged_on`` is withdrawn if still below.

        ``flagged_on + grace_days``, but never the flagging day itself: a product changes
        state at most once per day, so with ``grace_days = 0`` it is the next day.
        """
        return flagged_on + timedelta(days=max(self.grace_days, 1))

    def window_start(self, day: date) -> date | None:
        """The earliest review day counted on ``day``, or ``None`` when every day counts."""
        if self.window_days == 0:
            return None
        return day - timedelta(days=self.window_days - 1)

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the policy time zone, aware (naive: already local)."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            return moment.replace(tzinfo=self.tzinfo)
        return moment.astimezone(self.tzinfo)

    def day_of(self, moment: datetime) -> date:
        """The calendar day of ``moment`` in the policy time zone (naive: already local)."""
        return self.local(moment).date()

    def start_of_day(self, day: date) -> datetime:
        """Midnight starting ``day`` in the policy time zone (what a date alone means)."""
        return datetime.combine(day, time(0), tzinfo=self.tzinfo)

    def as_dict(self) -> dict[str, str | int]:
        """A JSON-ready record of the policy; ``GatePolicy.build(**as_dict())`` gives it back."""
        return {
            "threshold": fraction_text(self.threshold),
            "grace_days": self.grace_days,
            "min_reviews": self.min_reviews,
            "window_days": self.window_days,
            "timezone": self.timezone,
        }


class GateState(enum.StrEnum):
    ACTIVE = "active"
    FLAGGED = "flagged"
    WITHDRAWN = "withdrawn"


class EventKind(enum.StrEnum):
    FLAGGED = "flagged"
    RECOVERED = "recovered"
    WITHDRAWN = "withdrawn"
    IMPROVED = "improved"
    REINSTATED = "reinstated"

    @property
    def is_improvement(self) -> bool:
        """Improvement events sort before the evaluation event of the same product and day."""
        return self is EventKind.IMPROVED or self is EventKind.REINSTATED


@dataclass(frozen=True, slots=True)
class ProductGateState:
    """A product's place in the gate; ``flagged_on`` is set exactly when it is flagged."""

    state: GateState = GateState.ACTIVE
    flagged_on: date | None = None

    def __post_init__(self) -> None:
        # Accept the stored string ("flagged") as well as the enum member.
        object.__setattr__(self, "state", GateState(self.state))
        if (self.state is GateState.FLAGGED) != (self.flagged_on is not None):
            raise ValueError(
                f"flagged_on must be set for a flagged product and only then "
                f"(state={self.state.value}, flagged_on={self.flagged_on})"
            )


ACTIVE = ProductGateState()
_WITHDRAWN = ProductGateState(GateState.WITHDRAWN)


@dataclass(frozen=True, slots=True)
class DayStats:
    """The counted reviews of a product on a day: how many, and the sum of their ratings."""

    count: int
    total: int

    def __post_init__(self) -> None:
        if not 0 <= self.count <= self.total <= 5 * self.count:
            raise ValueError(f"impossible figures: {self.total} for {self.count} ratings of 1 to 5")


def _event(day: date, product_id: str, kind: EventKind, stats: DayStats) -> GateEvent:
    return GateEvent(day, product_id, kind, average_of(count=stats.count, total=stats.total), stats.count)


def average_of(*, count: int, total: int) -> Decimal | None:
    """``total / count`` rounded half-even to 4 decimals, from the exact fraction.

    ``None`` when ``count`` is 0 (nothing counted: no average, not zero). The one average of
    the project: pages, the API, the desk and the engines all report this figure.
    """
    if count == 0:
        return None
    quotient, remainder = divmod(total * _AVERAGE_SCALE, count)
    if 2 * remainder > count or (2 * remainder == count and quotient % 2 == 1):
        quotient += 1
    return Decimal(quotient).scaleb(-AVERAGE_DECIMALS)


def _json_number(value: Decimal | None) -> str:
    """A JSON number with no trailing zeros beyond one decimal (``3.0``, ``2.9286``)."""
    if value is None:
        return "null"
    text = format(value.quantize(Decimal(1).scaleb(-AVERAGE_DECIMALS)), "f")
    text = text.rstrip("0")
    return text + "0" if text.endswith(".") else text


@dataclass(frozen=True, slots=True)
class GateEvent:
    """One line of the gate's history. ``average`` is already rounded (see :func:`average_of`)."""

    day: date
    product_id: str
    kind: EventKind
    average: Decimal | None
    count: int

    def as_dict(self) -> dict[str, object]:
        """The spec's keys, in the spec's order; ``average`` stays an exact ``Decimal``."""
        return {
            "day": self.day.isoformat(),
            "product_id": self.product_id,
            "event": self.kind.value,
            "average": self.average,
            "count": self.count,
        }

    def to_json(self) -> str:
        """The event as one line of JSON Lines (no newline), exactly as the spec writes it.

        This is the only serialisation of events: the backtest and ``gate_events`` both
        use it, so their outputs compare byte for byte.
        """
        return (
            f'{{"day": "{self.day.isoformat()}", '
            f'"product_id": {json.dumps(self.product_id)}, '
            f'"event": "{self.kind.value}", '
            f'"average": {_json_number(self.average)}, '
            f'"count": {self.count}}}'
        )


def event_sort_key(event: GateEvent) -> tuple[date, str, int]:
    """Spec order: day, then product id as a string, then improvements before evaluation.

    Sort with a stable sort so that several improvements of one product on one day keep
    their ``logged_at`` order.
    """
    return (event.day, event.product_id, 0 if event.kind.is_improvement else 1)


def apply_improvement(state: ProductGateState, *, day: date, product_id: str) -> tuple[ProductGateState, GateEvent]:
    """An improvement logged on ``day``: a withdrawn product is reinstated, any other improved.

    A new revision starts with nothing counted, hence ``count`` 0 and no average.
    """
    kind = EventKind.REINSTATED if state.state is GateState.WITHDRAWN else EventKind.IMPROVED
    return ACTIVE, GateEvent(day, product_id, kind, None, 0)


def evaluate_day(
    state: ProductGateState,
    stats: DayStats,
    *,
    day: date,
    product_id: str,
    policy: GatePolicy,
) -> tuple[ProductGateState, GateEvent | None]:
    """The end-of-day evaluation of one product (the spec's first transition table).

    ``stats`` are the product's counted reviews on ``day`` (current revision, window).
    Returns the new state and the event, if any. A product changes at most once per day.
    """
    if state.state is GateState.WITHDRAWN:
        # Only an improvement ends a withdrawal.
        return state, None
    below = policy.is_below(stats.count, stats.total)
    if state.state is GateState.ACTIVE:
        if not below:
            return state, None
        event = _event(day, product_id, EventKind.FLAGGED, stats)
        return ProductGateState(GateState.FLAGGED, day), event
    flagged_on = state.flagged_on
    assert flagged_on is not None  # guaranteed by ProductGateState
    if day <= flagged_on:
        raise ValueError(f"{product_id} was flagged on {flagged_on}; it cannot be evaluated again on {day}")
    if not below:
        event = _event(day, product_id, EventKind.RECOVERED, stats)
        return ACTIVE, event
    if day >= policy.withdrawal_date(flagged_on):
        event = _event(day, product_id, EventKind.WITHDRAWN, stats)
        return _WITHDRAWN, event
    return state, None


def step(
    state: ProductGateState,
    stats: DayStats,
    *,
    day: date,
    product_id: str,
    policy: GatePolicy,
    improvements: int = 0,
) -> tuple[ProductGateState, list[GateEvent]]:
    """One whole day of one product: its ``improvements`` of the day, then the evaluation.

    ``stats`` are the figures after the improvements (the new revision's reviews only).
    """
    events: list[GateEvent] = []
    for _ in range(improvements):
        state, improvement = apply_improvement(state, day=day, product_id=product_id)
        events.append(improvement)
    state, evaluation = evaluate_day(state, stats, day=day, product_id=product_id, policy=policy)
    if evaluation is not None:
        events.append(evaluation)
    return state, events


def deadline_day(state: ProductGateState, policy: GatePolicy) -> date | None:
    """The day a driver must evaluate a flagged product even if nothing else happens.

    ``None`` unless the product is flagged. On that day a still-below product is withdrawn.
    """
    if state.state is not GateState.FLAGGED or state.flagged_on is None:
        return None
    return policy.withdrawal_date(state.flagged_on)


def window_exit_day(review_day: date, policy: GatePolicy) -> date | None:
    """The first day a review of ``review_day`` no longer counts (``None``: never leaves).

    With ``window_days = N`` a review counts on ``review_day .. review_day + N - 1``, so its
    product must be re-evaluated on ``review_day + N`` even without new reviews.
    """
    if policy.window_days == 0:
        return None
    return review_day + timedelta(days=policy.window_days)
