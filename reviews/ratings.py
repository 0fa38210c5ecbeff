"""Rebuilding products' rating figures from their published reviews (`recompute_ratings`).

reviews.services keeps the figures in step with every change; this is the check and the
repair: it counts the reviews again and corrects any figure that drifted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from gate.policy import average_of
from products.models import STARS, Product
from reviews.models import ReviewStatus


@dataclass(frozen=True)
class RatingDrift:
    sku: str
    field: str
    stored: int
    actual: int


def _actual_figures() -> dict[str, Any]:
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
        or row.current_average != average_of(count=row.actual_current_count, total=row.actual_current_sum)  # type: ignore[attr-defined]
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
            average = average_of(count=row.actual_current_count, total=row.actual_current_sum)  # type: ignore[attr-defined]
            Product.objects.filter(pk=pk).update(**changes, current_average=average, updated_at=timezone.now())
    return drifts
