"""Writes to products' derived rating figures.

The figures change only here, always with F() expressions inside the caller's transaction,
so concurrent reviews never lose an update; `product_ratings_recompute` rebuilds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from products.models import STARS, Product, average_or_none

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
    Product.objects.filter(pk=product_id).update(current_average=average_or_none(total, count))


def product_current_figures_reset(*, product_id: int) -> None:
    """A new revision has no reviews yet: its figures start from zero."""
    Product.objects.filter(pk=product_id).update(
        **{f"current_{name}": 0 for name in _FIGURES},
        current_average=None,
        updated_at=timezone.now(),
    )


@dataclass(frozen=True)
class RatingDrift:
    sku: str
    field: str
    stored: int
    actual: int


def _actual_figures() -> dict[str, Any]:
    from reviews.models import ReviewStatus

    published = Q(reviews__status=ReviewStatus.PUBLISHED)
    current = published & Q(reviews__revision=F("revision"))
    aggregates: dict[str, Any] = {
        "all_time_count": Count("reviews", filter=published),
        "all_time_sum": Sum("reviews__rating", filter=published, default=0),
        "current_count": Count("reviews", filter=current),
        "current_sum": Sum("reviews__rating", filter=current, default=0),
    }
    for star in STARS:
        aggregates[f"all_time_{star}_star"] = Count("reviews", filter=published & Q(reviews__rating=star))
        aggregates[f"current_{star}_star"] = Count("reviews", filter=current & Q(reviews__rating=star))
    return aggregates


def product_ratings_recompute(*, product_ids: list[int] | None = None) -> list[RatingDrift]:
    """Rebuilds products' figures from their published reviews; returns what differed.

    1. one grouped query finds the products whose stored figures differ;
    2. each of those is locked, recounted and corrected in its own transaction, so a review
       published meanwhile is neither lost nor counted twice.
    """
    aggregates = _actual_figures()
    fields = list(aggregates)
    products = Product.objects.all() if product_ids is None else Product.objects.filter(pk__in=product_ids)
    annotated = products.annotate(**{f"actual_{k}": v for k, v in aggregates.items()})
    suspects = [
        row.pk
        for row in annotated.order_by("pk").iterator()
        if any(getattr(row, f) != getattr(row, f"actual_{f}") for f in fields)
        or row.current_average != average_or_none(row.actual_current_sum, row.actual_current_count)  # type: ignore[attr-defined]
    ]
    drifts: list[RatingDrift] = []
    for pk in suspects:
        with transaction.atomic():
            Product.objects.select_for_update().filter(pk=pk).first()
            row = Product.objects.filter(pk=pk).annotate(**{f"actual_{k}": v for k, v in aggregates.items()}).get()
            changes = {}
            for field in fields:
                stored, actual = getattr(row, field), getattr(row, f"actual_{field}")
                if stored != actual:
                    drifts.append(RatingDrift(row.sku, field, stored, actual))
                    changes[field] = actual
            average = average_or_none(row.actual_current_sum, row.actual_current_count)  # type: ignore[attr-defined]
            Product.objects.filter(pk=pk).update(**changes, current_average=average, updated_at=timezone.now())
    return drifts
