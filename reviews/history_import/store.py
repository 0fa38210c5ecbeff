"""The import of reviews of history: all or nothing, under the history's lock."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from modeltranslation import settings as translation_settings

from core.batching import chunked
from products.models import Product
from reviews.history_import.keeper import HistoryKeeper, RevisionStarts, history_keeper, revision_in_force
from reviews.history_import.postgres import products_insert_by_copy, reviews_insert_by_copy
from reviews.history_import.rows import (
    IMPORT_BATCH_SIZE,
    IMPORTED_AUTHOR_NAME,
    ImportedReview,
    ImportRefused,
    ReviewImport,
    ReviewImportSummary,
)
from reviews.models import Review, ReviewSource, ReviewStatus
from reviews.ratings import product_ratings_rebuild

__all__ = ["review_history_import"]


def review_history_import(
    *,
    skus: Iterable[str],
    rows: Iterable[ReviewImport],
    create_products: bool,
    keeper: HistoryKeeper | None = None,
    progress: Callable[[ReviewImportSummary], None] | None = None,
    batch_size: int = IMPORT_BATCH_SIZE,
) -> ReviewImportSummary:
    """Store reviews of history as published, all or nothing, under the history's lock.

    ``skus`` are every product the rows name (the caller's first pass collected them);
    ``rows`` are streamed in one transaction; ``progress`` is called every ``batch_size``
    rows and after the last. ``keeper``: the gate's history (default: :func:`history_keeper`).

    1. products: unknown SKUs are created (``create_products``) or refuse the import;
    2. each review: published at its ``created_at``, never a verified purchase, of the
       revision in force at ``created_at`` (the latest improvement logged at or before it);
       with a ``review_id`` one already stored (or earlier in the file) is skipped, so a
       re-import adds nothing twice. PostgreSQL: COPY into a staging table, then one INSERT
       (reviews.history_import.postgres); elsewhere batched INSERTs;
    3. the figures of the products concerned are rebuilt in one set-based pass.
    """
    keeper = keeper or history_keeper()
    summary = ReviewImportSummary()
    with transaction.atomic():
        summary.last_evaluated_day = keeper.lock()
        products = _import_products(sorted(set(skus)), create_products=create_products, summary=summary)
        revisions = keeper.revision_starts(sorted(products.values()))
        reviews = _imported_reviews(rows, products=products, revisions=revisions, keeper=keeper, summary=summary)

        def on_batch() -> None:
            if progress is not None:
                progress(summary)

        if connection.vendor == "postgresql":
            summary.created = reviews_insert_by_copy(
                reviews, imported_at=timezone.now(), batch_size=batch_size, on_batch=on_batch
            )
            summary.already_imported = summary.rows - summary.created
        else:
            _insert_in_batches(reviews, summary=summary, batch_size=batch_size, on_batch=on_batch)
        _statistics_refresh()
        product_ratings_rebuild(product_ids=products.values())
    return summary


def _imported_reviews(
    rows: Iterable[ReviewImport],
    *,
    products: Mapping[str, int],
    revisions: Mapping[int, RevisionStarts],
    keeper: HistoryKeeper,
    summary: ReviewImportSummary,
) -> Iterator[ImportedReview]:
    """The values stored for each row, counting the rows (and those on evaluated days)."""
    language = settings.LANGUAGE_CODE.split("-")[0]
    last_evaluated_day: date | None = summary.last_evaluated_day
    for row in rows:
        summary.rows += 1
        if last_evaluated_day is not None and keeper.day_of(row.created_at) <= last_evaluated_day:
            summary.on_evaluated_days += 1
        product_id = products[row.sku]
        yield ImportedReview(
            product_id=product_id,
            rating=row.rating,
            title=row.title,
            body=row.text,
            author_name=row.author or IMPORTED_AUTHOR_NAME,
            language=row.language or language,
            revision=revision_in_force(revisions, product_id, row.created_at),
            external_id=row.review_id,
            created_at=row.created_at,
        )


def _statistics_refresh() -> None:
    """PostgreSQL: refresh the planner's statistics of the tables an import just filled.

    Autovacuum would, a minute after the commit; until then a planner that last saw the
    table empty walks a whole index for each day's query (a gate_evaluate started right
    after an import spent 30 ms a day on it). ANALYZE inside the transaction counts its
    own uncommitted rows.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Review, Product):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _import_products(skus: list[str], *, create_products: bool, summary: ReviewImportSummary) -> dict[str, int]:
    products: dict[str, int] = {}
    for chunk in chunked(skus):
        products.update(Product.objects.filter(sku__in=chunk).values_list("sku", "pk"))
    missing = [sku for sku in skus if sku not in products]
    if missing and not create_products:
        raise ImportRefused(
            _("unknown product %(sku)s (and %(more)d more): use --create-products to create them")
            % {"sku": missing[0], "more": len(missing) - 1},
            code="unknown_product",
        )
    if connection.vendor == "postgresql":
        products_insert_by_copy({sku: (sku, slugify(sku) or "product") for sku in missing})
    for chunk in chunked(missing):
        if connection.vendor != "postgresql":
            # The name is the default language's (products/translation.py), whatever language
            # the command runs in: `name=` writes the active language's column.
            with translation.override(translation_settings.DEFAULT_LANGUAGE):
                Product.objects.bulk_create(Product(sku=sku, name=sku, slug=slugify(sku) or "product") for sku in chunk)
        products.update(Product.objects.filter(sku__in=chunk).values_list("sku", "pk"))
    summary.products_created = len(missing)
    return products


def _insert_in_batches(
    reviews: Iterable[ImportedReview],
    *,
    summary: ReviewImportSummary,
    batch_size: int,
    on_batch: Callable[[], None],
) -> None:
    """SQLite (and any database but PostgreSQL): ``batch_size`` reviews per INSERT."""
    # The review_ids stored by this import, and those found stored before it.
    known: set[str] = set()
    batch: list[ImportedReview] = []
    for review in reviews:
        batch.append(review)
        if len(batch) >= batch_size:
            _insert_batch(batch, known=known, summary=summary)
            batch.clear()
            on_batch()
    if batch:
        _insert_batch(batch, known=known, summary=summary)
        on_batch()


def _insert_batch(batch: list[ImportedReview], *, known: set[str], summary: ReviewImportSummary) -> None:
    ids = [review.external_id for review in batch if review.external_id is not None]
    if ids:
        stored_ids = Review.objects.filter(external_id__in=ids).values_list("external_id", flat=True)
        known.update(stored_id for stored_id in stored_ids if stored_id is not None)
    stored: list[Review] = []
    for review in batch:
        if review.external_id is not None:
            if review.external_id in known:
                summary.already_imported += 1
                continue
            known.add(review.external_id)
        stored.append(
            Review(
                **review._asdict(),
                author=None,
                status=ReviewStatus.PUBLISHED,
                verified_purchase=False,
                source=ReviewSource.IMPORT,
                published_at=review.created_at,
            )
        )
    Review.objects.bulk_create(stored, batch_size=len(stored) or 1)
    summary.created += len(stored)
