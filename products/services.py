"""Writes to products' derived rating figures.

The figures change only here, always with F() expressions inside the caller's transaction,
so concurrent reviews never lose an update; `reviews.ratings.product_ratings_recompute` rebuilds them.
"""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from gate.policy import average_of
from products.models import STARS, Product

_FIGURES = ("count", "sum", *(f"{star}_star" for star in STARS))


def product_rating_apply(*, product_id: int, revision: int, rating: int, delta: int) -> None:
    """Adds (delta=+1) or withdraws (delta=-1) one published rating from the figures.

    The current-revision figures move only when the review is about the current revision;
    the filter on `revision` makes that check and the update one atomic statement.
    """
    now = timezone.now()
    star = f"{rating}_star"
    all_time = Product.objects.filter(pk=product_id)
    current = Product.objects.filter(pk=product_id, revision=revision)
    all_time_change = {
        "all_time_count": F("all_time_count") + delta,
        "all_time_sum": F("all_time_sum") + delta * rating,
        f"all_time_{star}": F(f"all_time_{star}") + delta,
        "updated_at": now,
    }
    current_change = {
        "current_count": F("current_count") + delta,
        "current_sum": F("current_sum") + delta * rating,
        f"current_{star}": F(f"current_{star}") + delta,
    }
    # The database checks current <= all time after each statement: grow all time first,
    # shrink it last.
    if delta > 0:
        all_time.update(**all_time_change)
        current.update(**current_change)
    else:
        current.update(**current_change)
        all_time.update(**all_time_change)
    _product_average_refresh(product_id)


def _product_average_refresh(product_id: int) -> None:
    # The UPDATEs above hold the row lock until commit, so this read is consistent.
    count, total = Product.objects.filter(pk=product_id).values_list("current_count", "current_sum").get()
    Product.objects.filter(pk=product_id).update(current_average=average_of(count=count, total=total))


def product_current_figures_reset(*, product_id: int) -> None:
    """A new revision has no reviews yet: its figures start from zero."""
    Product.objects.filter(pk=product_id).update(
        **{f"current_{name}": 0 for name in _FIGURES},
        current_average=None,
        updated_at=timezone.now(),
    )
