"""How an average is shown beside the quality gate's threshold, so that it never contradicts it.

Pure (standard library only): the template filters of ``core.templatetags.figures`` and
any Python that writes an average for people (pages, emails) call these two functions.
Machine output (events, the API, webhooks) keeps ``gate.policy.average_of``'s 4 decimals.

The rule (docs/gate.md, "Showing figures"):

* An average is shown **rounded to 1 decimal** (half up, as shoppers round).
* Where that rounding would put it on the other side of the threshold, it is shown with
  **2 decimals, truncated toward its own side**: a product below the threshold is truncated
  down (2.996 under a threshold of 3 reads 2.99, never "3.0"); a product at or above it is
  never shown below it (3.334 under a threshold of 10/3 reads 3.34, never "3.3").
* The threshold itself is shown with 1 decimal when that is exact (3.0, 3.5), otherwise
  with 2 decimals **rounded up** (10/3 reads 3.34; 13/4 reads 3.25). Rounding it up keeps
  "below 3.34" true for every product below 10/3, and every product at or above 10/3 reads
  at least 3.34, so a figure shown beside it is always on the same side as the gate's verdict.

Why not always 2 decimals: one decimal is what shoppers read everywhere else (stars,
Amazon, Decathlon); the second decimal appears only where it is needed to tell the truth.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = ["average_shown", "threshold_shown"]

_ONE_PLACE = Decimal("0.1")
_TWO_PLACES = Decimal("0.01")


def _fraction(value: Decimal | Fraction | int) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def _to_places(value: Fraction, places: Decimal, rounding: str) -> Decimal:
    """``value`` rounded to ``places`` exactly (from the fraction, never a float)."""
    scale = 1 / Fraction(places)
    scaled = value * scale
    if rounding == ROUND_FLOOR:
        whole = scaled.numerator // scaled.denominator
    elif rounding == ROUND_CEILING:
        whole = -((-scaled.numerator) // scaled.denominator)
    else:  # ROUND_HALF_UP, for the non-negative figures of ratings
        whole = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)
    return (Decimal(whole) * places).quantize(places)


def threshold_shown(threshold: Fraction | Decimal | int) -> Decimal:
    """The threshold as people read it: 1 decimal when exact, else 2 decimals rounded up."""
    exact = _fraction(threshold)
    one = _to_places(exact, _ONE_PLACE, ROUND_HALF_UP)
    if Fraction(one) == exact:
        return one
    return _to_places(exact, _TWO_PLACES, ROUND_CEILING)


def average_shown(
    average: Fraction | Decimal | int,
    *,
    threshold: Fraction | Decimal | int,
    below: bool | None = None,
) -> Decimal:
    """``average`` as shown beside a threshold: 1 decimal, or 2 where 1 would cross it.

    ``below`` is the gate's side when the caller knows it better than ``average`` does (an
    event's 4-decimal average of 3.3333 was 10/3 exactly, at the threshold of 10/3; a
    withdrawal was decided below, whatever its rounded average reads). By default the side
    is ``average < threshold``, compared exactly; pass ``Fraction(total, count)`` when the
    count and sum are at hand.
    """
    value = _fraction(average)
    limit = _fraction(threshold)
    is_below = value < limit if below is None else below
    one = _to_places(value, _ONE_PLACE, ROUND_HALF_UP)
    if is_below:
        if Fraction(one) < limit:
            return one
        two = _to_places(value, _TWO_PLACES, ROUND_FLOOR)
        if Fraction(two) >= limit:
            # Only when ``below`` overrides a rounded average that reached the threshold
            # (2.99996 stored as 3.0000): the largest hundredth still below it.
            two = _to_places(limit, _TWO_PLACES, ROUND_CEILING) - _TWO_PLACES
        return two
    if Fraction(one) >= limit:
        return one
    return max(_to_places(value, _TWO_PLACES, ROUND_CEILING), _to_places(limit, _TWO_PLACES, ROUND_CEILING))
