"""The gate's pure decision (gate/policy.py), rule by rule of ../shared/GATE_SPEC.md.

No database, no Django: every test builds plain values and calls the step functions.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from gate.policy import (
    ACTIVE,
    DayStats,
    EventKind,
    GateEvent,
    GatePolicy,
    GateState,
    PolicyError,
    ProductGateState,
    apply_improvement,
    average_of,
    deadline_day,
    evaluate_day,
    event_sort_key,
    step,
    window_exit_day,
)

DEFAULT = GatePolicy.build(timezone="UTC")  # threshold 3.0, grace 30, min 25, window 365
MARCH_1 = date(2026, 3, 1)
P = "B000123"


def flagged(on: date) -> ProductGateState:
    return ProductGateState(GateState.FLAGGED, on)


WITHDRAWN = ProductGateState(GateState.WITHDRAWN)
BELOW = DayStats(count=25, total=70)  # 2.8 with 25 reviews
NOT_BELOW = DayStats(count=25, total=80)  # 3.2


# --- The evaluation table ------------------------------------------------------------------

EVALUATION_TABLE = [
    # (name, state before, stats, day, new state, event kind or None)
    ("active and below is flagged today", ACTIVE, BELOW, MARCH_1, flagged(MARCH_1), EventKind.FLAGGED),
    ("active and not below stays active silently", ACTIVE, NOT_BELOW, MARCH_1, ACTIVE, None),
    (
        "flagged and not below recovers",
        flagged(MARCH_1),
        NOT_BELOW,
        date(2026, 3, 10),
        ACTIVE,
        EventKind.RECOVERED,
    ),
    (
        "flagged and below before its deadline stays flagged silently",
        flagged(MARCH_1),
        BELOW,
        date(2026, 3, 10),
        flagged(MARCH_1),
        None,
    ),
    (
        "flagged and below on its deadline is withdrawn",
        flagged(MARCH_1),
        BELOW,
        date(2026, 3, 31),
        WITHDRAWN,
        EventKind.WITHDRAWN,
    ),
    (
        "flagged and below after a missed deadline is withdrawn",
        flagged(MARCH_1),
        BELOW,
        date(2026, 4, 5),
        WITHDRAWN,
        EventKind.WITHDRAWN,
    ),
    ("withdrawn and below stays withdrawn silently", WITHDRAWN, BELOW, MARCH_1, WITHDRAWN, None),
    ("withdrawn and not below stays withdrawn silently", WITHDRAWN, NOT_BELOW, MARCH_1, WITHDRAWN, None),
    ("withdrawn with nothing counted stays withdrawn", WITHDRAWN, DayStats(0, 0), MARCH_1, WITHDRAWN, None),
]


@pytest.mark.parametrize(
    ("state", "stats", "day", "expected_state", "expected_kind"),
    [row[1:] for row in EVALUATION_TABLE],
    ids=[row[0] for row in EVALUATION_TABLE],
)
def test_evaluation_follows_the_spec_table(
    state: ProductGateState,
    stats: DayStats,
    day: date,
    expected_state: ProductGateState,
    expected_kind: EventKind | None,
) -> None:
    new_state, event = evaluate_day(state, stats, day=day, product_id=P, policy=DEFAULT)

    assert new_state == expected_state
    if expected_kind is None:
        assert event is None
    else:
        assert event == GateEvent(day, P, expected_kind, average_of(count=stats.count, total=stats.total), stats.count)


# --- The improvement table -----------------------------------------------------------------

IMPROVEMENT_TABLE = [
    ("withdrawn product is reinstated", WITHDRAWN, EventKind.REINSTATED),
    ("flagged product is improved and active again", flagged(MARCH_1), EventKind.IMPROVED),
    ("active product is improved", ACTIVE, EventKind.IMPROVED),
]


@pytest.mark.parametrize(
    ("state", "kind"), [row[1:] for row in IMPROVEMENT_TABLE], ids=[row[0] for row in IMPROVEMENT_TABLE]
)
def test_improvement_follows_the_spec_table(state: ProductGateState, kind: EventKind) -> None:
    day = date(2026, 3, 20)

    new_state, event = apply_improvement(state, day=day, product_id=P)

    assert new_state == ACTIVE
    assert event == GateEvent(day, P, kind, None, 0)
    assert event.to_json() == (
        f'{{"day": "2026-03-20", "product_id": "{P}", "event": "{kind.value}", "average": null, "count": 0}}'
    )


def test_improved_day_is_then_evaluated_on_the_new_revision() -> None:
    policy = GatePolicy.build(min_reviews=1, timezone="UTC")
    day = date(2026, 3, 20)

    state, events = step(WITHDRAWN, DayStats(1, 2), day=day, product_id=P, policy=policy, improvements=1)

    assert [event.kind for event in events] == [EventKind.REINSTATED, EventKind.FLAGGED]
    assert state == flagged(day)


def test_two_improvements_on_one_day_give_two_events_in_order() -> None:
    _, events = step(WITHDRAWN, DayStats(0, 0), day=MARCH_1, product_id=P, policy=DEFAULT, improvements=2)

    assert [event.kind for event in events] == [EventKind.REINSTATED, EventKind.IMPROVED]


# --- Boundaries ----------------------------------------------------------------------------

BELOW_TABLE = [
    # (name, policy, count, total, below)
    ("average exactly at the threshold is not below", DEFAULT, 25, 75, False),
    ("average just under the threshold is below", DEFAULT, 25, 74, True),
    ("min_reviews - 1 reviews are never below", DEFAULT, 24, 24, False),
    ("exactly min_reviews reviews can be below", DEFAULT, 25, 25, True),
    ("no review is never below", DEFAULT, 0, 0, False),
    (
        "comparison is exact where floats are not (2.2 x 25 = 55)",
        GatePolicy.build(threshold="2.2", timezone="UTC"),
        25,
        55,
        False,
    ),
    ("threshold 5 makes any non-perfect average below", GatePolicy.build(threshold=5, min_reviews=1), 2, 9, True),
    ("threshold 5 leaves a perfect average alone", GatePolicy.build(threshold=5, min_reviews=1), 2, 10, False),
    ("a fraction threshold is exact", GatePolicy.build(threshold="10/3", min_reviews=3), 3, 10, False),
]


@pytest.mark.parametrize(
    ("policy", "count", "total", "below"), [row[1:] for row in BELOW_TABLE], ids=[row[0] for row in BELOW_TABLE]
)
def test_below_is_exact_and_needs_min_reviews(policy: GatePolicy, count: int, total: int, below: bool) -> None:
    assert policy.is_below(count, total) is below


def test_flagged_product_is_not_withdrawn_the_day_before_its_deadline() -> None:
    state, event = evaluate_day(flagged(MARCH_1), BELOW, day=date(2026, 3, 30), product_id=P, policy=DEFAULT)

    assert (state, event) == (flagged(MARCH_1), None)


def test_flagged_product_is_withdrawn_on_deadline_day() -> None:
    # The spec's example: flagged on 1 March with 30 grace days, withdrawn on 31 March.
    assert DEFAULT.withdrawal_date(MARCH_1) == date(2026, 3, 31)
    assert deadline_day(flagged(MARCH_1), DEFAULT) == date(2026, 3, 31)

    state, event = evaluate_day(flagged(MARCH_1), BELOW, day=date(2026, 3, 31), product_id=P, policy=DEFAULT)

    assert state == WITHDRAWN
    assert event is not None and event.kind is EventKind.WITHDRAWN


def test_one_day_not_below_clears_the_flag_and_a_new_drop_restarts_the_clock() -> None:
    state = ACTIVE
    kinds: dict[date, EventKind] = {}
    not_below_days = {date(2026, 3, 16)}
    day = MARCH_1
    while day <= date(2026, 4, 20):
        stats = NOT_BELOW if day in not_below_days else BELOW
        state, event = evaluate_day(state, stats, day=day, product_id=P, policy=DEFAULT)
        if event is not None:
            kinds[day] = event.kind
        day += timedelta(days=1)

    assert kinds == {
        MARCH_1: EventKind.FLAGGED,
        date(2026, 3, 16): EventKind.RECOVERED,
        date(2026, 3, 17): EventKind.FLAGGED,
        # 31 March would have been the first clock's deadline: the new clock runs to 16 April.
        date(2026, 4, 16): EventKind.WITHDRAWN,
    }


def test_with_zero_grace_days_a_flagged_product_is_withdrawn_the_next_day() -> None:
    policy = GatePolicy.build(grace_days=0, timezone="UTC")

    state, event = evaluate_day(ACTIVE, BELOW, day=MARCH_1, product_id=P, policy=policy)
    assert state == flagged(MARCH_1) and event is not None and event.kind is EventKind.FLAGGED
    assert policy.withdrawal_date(MARCH_1) == date(2026, 3, 2)

    state, event = evaluate_day(state, BELOW, day=date(2026, 3, 2), product_id=P, policy=policy)
    assert state == WITHDRAWN and event is not None and event.kind is EventKind.WITHDRAWN


def test_a_flagged_product_cannot_be_evaluated_twice_on_its_flagging_day() -> None:
    with pytest.raises(ValueError, match="cannot be evaluated again"):
        evaluate_day(flagged(MARCH_1), NOT_BELOW, day=MARCH_1, product_id=P, policy=DEFAULT)


WINDOW_TABLE = [
    # (name, window_days, review day, first day it no longer counts, first counted day on 2026-03-31)
    ("a review counts for window_days days", 365, date(2025, 3, 31), date(2026, 3, 31), date(2025, 4, 1)),
    ("a one-day window counts the day itself only", 1, MARCH_1, date(2026, 3, 2), date(2026, 3, 31)),
    ("window_days = 0 counts every review forever", 0, MARCH_1, None, None),
]


@pytest.mark.parametrize(
    ("window_days", "review_day", "exit_day", "window_start"),
    [row[1:] for row in WINDOW_TABLE],
    ids=[row[0] for row in WINDOW_TABLE],
)
def test_reviews_leave_the_window_after_window_days(
    window_days: int, review_day: date, exit_day: date | None, window_start: date | None
) -> None:
    policy = GatePolicy.build(window_days=window_days, timezone="UTC")

    assert window_exit_day(review_day, policy) == exit_day
    assert policy.window_start(date(2026, 3, 31)) == window_start


def test_a_window_that_emptied_recovers_a_flagged_product_with_no_average() -> None:
    state, event = evaluate_day(flagged(MARCH_1), DayStats(0, 0), day=date(2026, 3, 5), product_id=P, policy=DEFAULT)

    assert state == ACTIVE
    assert event == GateEvent(date(2026, 3, 5), P, EventKind.RECOVERED, None, 0)
    assert json.loads(event.to_json())["average"] is None


# --- Days cut in the policy's time zone ----------------------------------------------------

PARIS = GatePolicy.build(timezone="Europe/Paris")

DAY_CUT_TABLE = [
    # (name, instant in UTC, day in Paris)
    (
        "late Saturday UTC is already Sunday in Paris (UTC+1)",
        datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
        date(2026, 3, 29),
    ),
    ("last minute of the 23-hour spring day (UTC+2)", datetime(2026, 3, 29, 21, 59, tzinfo=UTC), date(2026, 3, 29)),
    ("22:00 UTC on the spring day is Monday in Paris", datetime(2026, 3, 29, 22, 0, tzinfo=UTC), date(2026, 3, 30)),
    ("last minute of the 25-hour autumn day (UTC+1)", datetime(2026, 10, 25, 22, 59, tzinfo=UTC), date(2026, 10, 25)),
    (
        "the autumn day starts at 22:00 UTC the day before",
        datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        date(2026, 10, 25),
    ),
    ("a naive date-time is already local", datetime(2026, 3, 29, 23, 30), date(2026, 3, 29)),
]


@pytest.mark.parametrize(("instant", "day"), [row[1:] for row in DAY_CUT_TABLE], ids=[row[0] for row in DAY_CUT_TABLE])
def test_days_are_cut_in_the_policy_time_zone_across_daylight_saving(instant: datetime, day: date) -> None:
    assert PARIS.day_of(instant) == day


def test_daylight_saving_days_in_paris_last_23_and_25_hours() -> None:
    def start(day: date) -> datetime:
        # Same-zone subtraction ignores offsets: compare the instants in UTC.
        return PARIS.start_of_day(day).astimezone(UTC)

    spring = start(date(2026, 3, 30)) - start(date(2026, 3, 29))
    autumn = start(date(2026, 10, 26)) - start(date(2026, 10, 25))

    assert spring == timedelta(hours=23)
    assert autumn == timedelta(hours=25)
    assert PARIS.day_of(datetime(2026, 3, 29, 23, 30, tzinfo=UTC)) == date(2026, 3, 30)


# --- Averages and the JSON form ------------------------------------------------------------

ROUNDING_TABLE = [
    # (name, count, total, average)
    ("exact halves round to even, down", 20000, 40001, Decimal("2.0000")),  # 2.00005
    ("exact halves round to even, up", 20000, 40003, Decimal("2.0002")),  # 2.00015
    ("a third rounds to nearest", 3, 10, Decimal("3.3333")),
    ("two thirds round up", 3, 8, Decimal("2.6667")),
    ("the spec's example", 31, 81, Decimal("2.6129")),
    ("a whole average keeps four places", 30, 90, Decimal("3.0000")),
    ("nothing counted has no average", 0, 0, None),
]


@pytest.mark.parametrize(
    ("count", "total", "average"), [row[1:] for row in ROUNDING_TABLE], ids=[row[0] for row in ROUNDING_TABLE]
)
def test_average_is_rounded_half_even_to_four_places_from_the_exact_fraction(
    count: int, total: int, average: Decimal | None
) -> None:
    assert average_of(count=count, total=total) == average
    if average is not None:
        # Fraction rounds half to even too: the two must agree.
        assert Fraction(average) == round(Fraction(total, count), 4)


def test_event_json_has_exactly_the_spec_keys_in_order() -> None:
    event = GateEvent(date(2026, 3, 31), P, EventKind.WITHDRAWN, average_of(count=31, total=81), 31)

    assert event.to_json() == (
        '{"day": "2026-03-31", "product_id": "B000123", "event": "withdrawn", "average": 2.6129, "count": 31}'
    )
    assert list(event.as_dict()) == ["day", "product_id", "event", "average", "count"]
    assert list(json.loads(event.to_json())) == ["day", "product_id", "event", "average", "count"]


@pytest.mark.parametrize(
    ("count", "total", "text"),
    [(30, 90, "3.0"), (5, 7, "1.4"), (28, 82, "2.9286"), (20000, 40001, "2.0"), (1, 5, "5.0")],
)
def test_event_average_is_a_json_number_without_trailing_zeros(count: int, total: int, text: str) -> None:
    event = GateEvent(MARCH_1, P, EventKind.FLAGGED, average_of(count=count, total=total), count)

    assert f'"average": {text},' in event.to_json()


def test_event_json_escapes_product_ids() -> None:
    event = GateEvent(MARCH_1, 'odd "id"', EventKind.IMPROVED, None, 0)

    assert json.loads(event.to_json())["product_id"] == 'odd "id"'


def test_events_sort_by_day_then_product_id_as_text_then_improvements_first() -> None:
    day = MARCH_1
    events = [
        GateEvent(day + timedelta(days=1), "A", EventKind.FLAGGED, None, 0),
        GateEvent(day, "B9", EventKind.FLAGGED, None, 0),
        GateEvent(day, "B10", EventKind.WITHDRAWN, None, 0),
        GateEvent(day, "B10", EventKind.REINSTATED, None, 0),
        GateEvent(day, "B10", EventKind.IMPROVED, None, 0),
    ]

    ordered = sorted(events, key=event_sort_key)

    assert [(event.day.day, event.product_id, event.kind.value) for event in ordered] == [
        (1, "B10", "reinstated"),
        (1, "B10", "improved"),  # stable: logged_at order kept among improvements
        (1, "B10", "withdrawn"),
        (1, "B9", "flagged"),
        (2, "A", "flagged"),
    ]


# --- The policy and the values it accepts --------------------------------------------------

VALID_THRESHOLDS = [
    ("3.0", Fraction(3)),
    ("3.5", Fraction(7, 2)),
    (" 2.25 ", Fraction(9, 4)),
    ("10/3", Fraction(10, 3)),
    (Decimal("4.2"), Fraction(21, 5)),
    (4, Fraction(4)),
    (Fraction(5), Fraction(5)),
]


@pytest.mark.parametrize(("value", "threshold"), VALID_THRESHOLDS, ids=[repr(row[0]) for row in VALID_THRESHOLDS])
def test_policy_accepts_exact_thresholds_as_text_decimal_int_or_fraction(
    value: str | Decimal | int | Fraction, threshold: Fraction
) -> None:
    assert GatePolicy.build(threshold=value).threshold == threshold


INVALID_POLICIES = [
    ("threshold 1 can never be met", {"threshold": "1"}, "above 1 and at most 5"),
    ("threshold under 1", {"threshold": "0.5"}, "above 1 and at most 5"),
    ("threshold over 5", {"threshold": "5.01"}, "above 1 and at most 5"),
    ("threshold not a number", {"threshold": "three"}, "must be a number"),
    ("threshold with a comma", {"threshold": "3,5"}, "must be a number"),
    ("threshold nan", {"threshold": "nan"}, "must be a number"),
    ("threshold Decimal NaN", {"threshold": Decimal("NaN")}, "finite"),
    ("threshold as a float is inexact", {"threshold": 3.0}, "floats are inexact"),
    ("threshold as a bool", {"threshold": True}, "floats are inexact"),
    ("negative grace days", {"grace_days": -1}, "grace_days must be at least 0"),
    ("zero min reviews", {"min_reviews": 0}, "min_reviews must be at least 1"),
    ("negative window", {"window_days": -1}, "window_days must be at least 0"),
    ("grace days not an integer", {"grace_days": "30"}, "grace_days must be an integer"),
    ("unknown time zone", {"timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
    ("empty time zone", {"timezone": ""}, "IANA time zone name"),
    ("path-like time zone", {"timezone": "../../etc/passwd"}, "unknown time zone"),
]


@pytest.mark.parametrize(
    ("options", "message"), [row[1:] for row in INVALID_POLICIES], ids=[row[0] for row in INVALID_POLICIES]
)
def test_policy_refuses_bad_values_with_a_clear_message(options: dict[str, object], message: str) -> None:
    with pytest.raises(PolicyError, match=message.replace("(", r"\(")):
        GatePolicy.build(**options)  # type: ignore[arg-type]


def test_policy_cannot_be_constructed_invalid_directly() -> None:
    with pytest.raises(PolicyError):
        GatePolicy(threshold=Fraction(6), grace_days=30, min_reviews=25, window_days=365, timezone="UTC")


def test_policy_record_round_trips() -> None:
    policy = GatePolicy.build(threshold="10/3", grace_days=0, min_reviews=5, window_days=0, timezone="Europe/Paris")

    record = policy.as_dict()

    assert record == {
        "threshold": "10/3",
        "grace_days": 0,
        "min_reviews": 5,
        "window_days": 0,
        "timezone": "Europe/Paris",
    }
    assert GatePolicy.build(**record) == policy  # type: ignore[arg-type]
    assert GatePolicy.build(threshold="3.50").as_dict()["threshold"] == "3.5"


def test_policy_defaults_are_the_spec_defaults() -> None:
    policy = GatePolicy.build()

    assert (policy.threshold, policy.grace_days, policy.min_reviews, policy.window_days) == (Fraction(3), 30, 25, 365)


# --- The state values ----------------------------------------------------------------------


def test_a_flagged_state_needs_its_flagging_day_and_only_it_has_one() -> None:
    with pytest.raises(ValueError, match="flagged_on"):
        ProductGateState(GateState.FLAGGED)
    with pytest.raises(ValueError, match="flagged_on"):
        ProductGateState(GateState.ACTIVE, MARCH_1)


def test_a_state_read_back_as_text_is_the_same_state() -> None:
    assert ProductGateState("flagged", MARCH_1) == flagged(MARCH_1)  # type: ignore[arg-type]
    assert ProductGateState("withdrawn").state is GateState.WITHDRAWN  # type: ignore[arg-type]


@pytest.mark.parametrize(("count", "total"), [(-1, 0), (2, 1), (2, 11)])
def test_day_stats_refuse_impossible_figures(count: int, total: int) -> None:
    with pytest.raises(ValueError, match="impossible figures"):
        DayStats(count, total)


def test_only_flagged_products_have_a_deadline() -> None:
    assert deadline_day(ACTIVE, DEFAULT) is None
    assert deadline_day(WITHDRAWN, DEFAULT) is None
