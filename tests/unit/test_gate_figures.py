"""The display rule beside the gate's threshold (core.gate_figures): a figure is never shown
on the other side of the threshold than the product is, for thresholds of 3 and of 10/3."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.gate_figures import average_shown, threshold_shown

THRESHOLDS = [Fraction(3), Fraction(10, 3)]


def _hundredths_toward(value: Fraction, *, up: bool) -> Fraction:
    """Reference written another way: walk the hundredths with integers."""
    cents = int(value * 100)  # toward zero, values are positive
    if up and Fraction(cents, 100) < value:
        cents += 1
    return Fraction(cents, 100)


@pytest.mark.parametrize(
    ("average", "threshold", "shown"),
    [
        # threshold 3: one decimal unless it would read 3.0 below 3
        ("2.8169", 3, "2.8"),
        ("2.9449", 3, "2.9"),
        ("2.95", 3, "2.95"),
        ("2.9949", 3, "2.99"),
        ("2.9999", 3, "2.99"),
        ("3", 3, "3.0"),
        ("3.0001", 3, "3.0"),
        ("3.04", 3, "3.0"),
        ("3.05", 3, "3.1"),
        # threshold 10/3 = 3.333...: one decimal unless it would read 3.3 at or above it
        ("3.3", Fraction(10, 3), "3.3"),
        ("3.3333", Fraction(10, 3), "3.3"),  # below 10/3 by its digits
        (Fraction(10, 3), Fraction(10, 3), "3.34"),  # exactly at: never shown below
        ("3.3334", Fraction(10, 3), "3.34"),
        ("3.3401", Fraction(10, 3), "3.35"),
        ("3.35", Fraction(10, 3), "3.4"),
        ("3.2999", Fraction(10, 3), "3.3"),
    ],
)
def test_average_shown_near_the_threshold(average: str | Fraction, threshold: int | Fraction, shown: str) -> None:
    value = average if isinstance(average, Fraction) else Decimal(average)
    assert str(average_shown(value, threshold=threshold)) == shown


def test_the_gates_side_overrides_a_rounded_average() -> None:
    # 2.99996 is stored with 4 decimals as 3.0000; the gate decided below: never "3.0"/"3.00".
    assert str(average_shown(Decimal("3.0000"), threshold=3, below=True)) == "2.99"
    # 10/3 is stored as 3.3333; the gate decided at the threshold (a recovery): never "3.3".
    assert str(average_shown(Decimal("3.3333"), threshold=Fraction(10, 3), below=False)) == "3.34"


@pytest.mark.parametrize(
    ("threshold", "shown"),
    [
        (3, "3.0"),
        (Fraction(7, 2), "3.5"),
        (Fraction(13, 4), "3.25"),
        (Fraction(10, 3), "3.34"),
        (Fraction(8, 3), "2.67"),
    ],
)
def test_threshold_shown_exact_or_rounded_up(threshold: Fraction | int, shown: str) -> None:
    assert str(threshold_shown(threshold)) == shown


averages = st.builds(Fraction, st.integers(1, 5 * 5000), st.integers(1, 5000)).filter(lambda f: 1 <= f <= 5)


@given(count=st.integers(1, 5000), data=st.data(), threshold=st.sampled_from(THRESHOLDS))
def test_a_figure_is_never_on_the_other_side_of_the_threshold(
    count: int, data: st.DataObject, threshold: Fraction
) -> None:
    total = data.draw(st.integers(count, 5 * count))
    value = Fraction(total, count)
    shown = Fraction(average_shown(value, threshold=threshold))
    shown_threshold = Fraction(threshold_shown(threshold))
    if value < threshold:
        assert shown < threshold
        assert shown < shown_threshold  # "2.99 beside below 3.0", never "3.0 beside below 3.0"
    else:
        assert shown >= threshold
        assert shown >= shown_threshold


@given(value=averages, threshold=st.sampled_from(THRESHOLDS))
def test_a_figure_is_one_decimal_unless_that_crosses(value: Fraction, threshold: Fraction) -> None:
    shown = average_shown(value, threshold=threshold)
    one_decimal = Fraction(int(value * 10 + Fraction(1, 2)), 10)  # half up, by integers
    crosses = (one_decimal < threshold) != (value < threshold)
    if not crosses:
        assert Fraction(shown) == one_decimal
        assert shown.as_tuple().exponent == -1
    else:
        assert shown.as_tuple().exponent == -2
        expected = _hundredths_toward(value, up=value >= threshold)
        if value >= threshold:
            expected = max(expected, _hundredths_toward(threshold, up=True))
        assert Fraction(shown) == expected
        assert abs(Fraction(shown) - value) < Fraction(1, 100) or value == threshold


@given(
    value=st.decimals(min_value=Decimal("2.9"), max_value=Decimal("3.4"), places=4),
    threshold=st.sampled_from(THRESHOLDS),
)
def test_four_decimal_averages_near_the_threshold(value: Decimal, threshold: Fraction) -> None:
    shown = average_shown(value, threshold=threshold)
    assert (Fraction(shown) < threshold) == (Fraction(value) < threshold)
    assert abs(Fraction(shown) - Fraction(value)) <= Fraction(1, 20)


@given(value=averages, below=st.booleans(), threshold=st.sampled_from(THRESHOLDS))
def test_the_stated_side_always_wins(value: Fraction, below: bool, threshold: Fraction) -> None:
    shown = Fraction(average_shown(value, threshold=threshold, below=below))
    assert (shown < threshold) == below
