"""Rebuilding products' rating figures from their counted reviews (published, not an
employee's: reviews.models.COUNTED_FIELDS, docs/gate.md).

reviews.services keeps the figures in step with every change. Two ways to count again:

* :func:`product_ratings_recompute` (``recompute_ratings``): the check and the repair; it
  reports each figure that drifted and corrects it product by product;
* :func:`product_ratings_rebuild` (an import of history): every figure of many products set
  from their reviews in one set-based statement per chunk, with no report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from core.batching import CHUNK_SIZE, chunked
from gate.policy import AVERAGE_DECIMALS, average_of
from products.models import STARS, Product
from products.page_version import page_version_raised
from reviews.models import COUNTED_FIELDS, Review, counted_q


@dataclass(frozen=True)
class RatingDrift:
    sku: str
    field: str
    stored: int
    actual: int


def _actual_figures() -> dict[str, Any]:
    counted = counted_q("reviews__")
    current = counted & Q(reviews__revision=F("revision"))
    aggregates: dict[str, Any] = {
        "all_time_count": Count("reviews", filter=counted),
        "all_time_sum": Sum("reviews__rating", filter=counted, default=0),
        "current_count": Count("reviews", filter=current),
        "current_sum": Sum("reviews__rating", filter=current, default=0),
    }
    for star in STARS:
        aggregates[f"all_time_{star}_star"] = Count("reviews", filter=counted & Q(reviews__rating=star))
        aggregates[f"current_{star}_star"] = Count("reviews", filter=current & Q(reviews__rating=star))
    return aggregates


def product_ratings_recompute(*, product_ids: list[int] | None = None) -> list[RatingDrift]:
    """Rebuilds products' figures from their counted reviews; returns what differed.

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
            Product.objects.filter(pk=pk).update(
                **changes, current_average=average, updated_at=timezone.now(), **page_version_raised()
            )
    return drifts


# Products rebuilt per statement: bounds the IN list (SQLite's parameters: core.batching's).
REBUILD_CHUNK_SIZE = {"postgresql": 20_000}


def _average_sql(count: str, total: str) -> str:
    """SQL for :func:`gate.policy.average_of`: ``total / count`` rounded half-even to
    AVERAGE_DECIMALS decimals from the exact fraction, in integer arithmetic (the databases'
    own ``round`` rounds half away from zero, and a float quotient is not exact)."""
    scale = 10**AVERAGE_DECIMALS
    scaled = f"({total} * {scale})"
    # '%%': the statement has parameters, so a literal % is doubled (psycopg and Django's SQLite).
    quotient, remainder = f"({scaled} / {count})", f"({scaled} %% {count})"
    round_up = f"(2 * {remainder} > {count} OR (2 * {remainder} = {count} AND {quotient} %% 2 = 1))"
    return f"CASE WHEN {count} = 0 THEN NULL ELSE ({quotient} + CASE WHEN {round_up} THEN 1 ELSE 0 END) / {scale}.0 END"


def _rebuild_sql(placeholders: str) -> str:
    """``UPDATE products SET figures FROM (SELECT figures GROUP BY product)``: the same text
    on PostgreSQL and on SQLite (UPDATE ... FROM and FILTER since SQLite 3.33)."""
    product, review = Product._meta.db_table, Review._meta.db_table
    current = "r.revision = p.revision"
    figures = {
        "all_time_count": "count(r.id)",
        "all_time_sum": "coalesce(sum(r.rating), 0)",
        "current_count": f"count(r.id) FILTER (WHERE {current})",
        "current_sum": f"coalesce(sum(r.rating) FILTER (WHERE {current}), 0)",
    }
    for star in STARS:
        figures[f"all_time_{star}_star"] = f"count(r.id) FILTER (WHERE r.rating = {star})"
        figures[f"current_{star}_star"] = f"count(r.id) FILTER (WHERE {current} AND r.rating = {star})"
    selected = ", ".join(f"{expression} AS {name}" for name, expression in figures.items())
    assignments = ", ".join(f"{name} = f.{name}" for name in figures)
    average = _average_sql("f.current_count", "f.current_sum")
    # Only counted reviews join (one parameter per COUNTED_FIELDS pair): a product with none
    # keeps its row (LEFT JOIN) and gets zeros.
    # Table and column names come from the models; every value is a parameter.
    counted = " AND ".join(f"r.{column} = %s" for column in COUNTED_FIELDS)
    # The figures on the products' pages change, and so their page versions (products.page_version).
    return (
        f"UPDATE {product} SET {assignments}, current_average = {average}, updated_at = %s, "  # noqa: S608  # nosec B608  # names from the models, values are parameters
        "page_version = page_version + 1, page_changed_at = %s "
        f"FROM (SELECT p.id AS product_id, {selected} FROM {product} p "
        f"LEFT JOIN {review} r ON r.product_id = p.id AND {counted} "
        f"WHERE p.id IN ({placeholders}) GROUP BY p.id) f "
        f"WHERE {product}.id = f.product_id"
    )


def product_ratings_rebuild(*, product_ids: Iterable[int], now: datetime | None = None) -> int:
    """Set every rating figure of ``product_ids`` from their counted reviews; returns the
    number of products updated.

    Set-based: per chunk of ids, the products are locked (in id order, as concurrent
    writers lock them one at a time), then one ``UPDATE ... FROM (SELECT ... GROUP BY)``
    sets all their figures. Locking first makes the statement's snapshot, taken after the
    locks, see every review whose publication already updated these products; one
    published meanwhile waits for the lock and adds itself afterwards.
    """
    updated_at = connection.ops.adapt_datetimefield_value(now or timezone.now())
    updated = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in chunked(sorted(set(product_ids)), REBUILD_CHUNK_SIZE.get(connection.vendor, CHUNK_SIZE)):
            list(Product.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk", flat=True))
            cursor.execute(
                _rebuild_sql(", ".join(["%s"] * len(chunk))), [updated_at, updated_at, *COUNTED_FIELDS.values(), *chunk]
            )
            updated += cursor.rowcount
    return updated
