"""Writes to products' derived rating figures.

The figures change only here, always with F() expressions inside the caller's transaction,
so concurrent reviews never lose an update; `reviews.ratings.product_ratings_recompute` rebuilds them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import BigIntegerField, Case, DecimalField, ExpressionWrapper, F, IntegerField, Q, Value, When
from django.db.models.functions import Cast
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone

from gate.policy import AVERAGE_DECIMALS
from products.models import STARS, Product
from products.page_version import page_version_raised

_AVERAGE_SCALE = 10**AVERAGE_DECIMALS
_FIGURES = ("count", "sum", *(f"{star}_star" for star in STARS))


def product_rating_apply(*, product_id: int, revision: int, rating: int, delta: int) -> None:
    """Adds (delta=+1) or withdraws (delta=-1) one published rating from the figures, in
    one UPDATE: the all-time figures, the current revision's when the review is about it
    (a condition on `revision` inside the statement), and the current average computed by
    the database from the new count and sum, so no other writer can slip in between.

    One statement also keeps the check "current <= all time" true at its end whatever the
    direction (two statements had to be ordered for it), and raises the product's page
    version (the cached pages and API answers are keyed by it).
    """
    star = f"{rating}_star"
    is_current = Q(revision=revision)

    # Typed as whole numbers: a column plus a number mixes PositiveIntegerField and
    # IntegerField, which Django refuses to type inside a CASE.
    def moved(column: str, change: int) -> ExpressionWrapper:
        return ExpressionWrapper(F(column) + change, output_field=IntegerField())

    def current(column: str, change: int) -> Case:
        return Case(When(is_current, then=moved(column, change)), default=F(column), output_field=IntegerField())

    Product.objects.filter(pk=product_id).update(
        all_time_count=F("all_time_count") + delta,
        all_time_sum=F("all_time_sum") + delta * rating,
        **{f"all_time_{star}": F(f"all_time_{star}") + delta},
        current_count=current("current_count", delta),
        current_sum=current("current_sum", delta * rating),
        **{f"current_{star}": current(f"current_{star}", delta)},
        current_average=Case(
            When(
                is_current,
                then=_average_sql(count=moved("current_count", delta), total=moved("current_sum", delta * rating)),
            ),
            default=F("current_average"),
            output_field=DecimalField(),
        ),
        updated_at=timezone.now(),
        # The figures are on the product's public page: its version rises in the same
        # statement (products.page_version).
        **page_version_raised(),
    )


def _average_sql(*, count: Any, total: Any) -> Case:
    """gate.policy.average_of in SQL: ``total / count`` rounded half-even to AVERAGE_DECIMALS
    decimals from the exact fraction (integer division and remainder, as average_of does),
    NULL when ``count`` is 0. tests/integration/products/test_rating_figures_property.py
    checks it against average_of on random sequences of reviews."""
    # In 64 bits: the sum of a product's ratings times 10**4 passes 2**31 at about 43,000
    # five-star reviews, and PostgreSQL's integer arithmetic would fail the write there.
    total, count = Cast(total, BigIntegerField()), Cast(count, BigIntegerField())
    scaled = total * _AVERAGE_SCALE
    quotient = scaled / count  # integers: truncating division on PostgreSQL and SQLite alike
    twice_remainder = (scaled - quotient * count) * 2
    odd = quotient - (quotient / 2) * 2
    rounded = quotient + Case(
        When(GreaterThan(twice_remainder, count), then=Value(1)),
        When(Exact(twice_remainder, count) & Exact(odd, Value(1)), then=Value(1)),
        default=Value(0),
    )
    # The exact quotient k / 10^4 as a decimal: a float's error is far below half the last
    # place, so the column's rounding to 4 places gives k / 10^4 exactly.
    average = rounded / Value(float(_AVERAGE_SCALE))
    return Case(When(Exact(count, Value(0)), then=Value(None)), default=average, output_field=DecimalField())


def product_current_figures_reset(*, product_id: int) -> None:
    """A new revision has no reviews yet: its figures start from zero."""
    Product.objects.filter(pk=product_id).update(
        **{f"current_{name}": 0 for name in _FIGURES},
        current_average=None,
        updated_at=timezone.now(),
    )
