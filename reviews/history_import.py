"""Importing reviews of history (``manage.py import_reviews``): stored as published, as
they were, so that the quality gate judges them as the backtest does.

The reviews app owns the reviews it writes, but the history they are judged by (which
product revision was current at a moment, which days are already evaluated, and the lock
that keeps an import from racing an evaluation) belongs to the gate, above reviews. The
gate hands that in through a :class:`HistoryKeeper` it registers in its
``AppConfig.ready()`` (:func:`history_keeper_register`): reviews never imports the gate.
Without one (no gate installed), every review is of revision 0 and nothing is locked.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.batching import chunked
from core.errors import ValidationFailed
from products.models import Product
from reviews.models import STORED_BODY_MAX_LENGTH, STORED_TITLE_MAX_LENGTH, Review, ReviewSource, ReviewStatus
from reviews.ratings import product_ratings_recompute
from reviews.services import LANGUAGE_CODES

__all__ = [
    "REVIEW_IMPORT_COLUMNS",
    "HistoryKeeper",
    "ImportRefused",
    "ReviewImport",
    "ReviewImportSummary",
    "RevisionStarts",
    "history_keeper",
    "history_keeper_register",
    "review_history_import",
    "review_import_from_row",
    "reviews_revision_advance",
]

# The optional columns of a review file, besides reviews.csv_rows.REVIEW_COLUMNS.
REVIEW_IMPORT_COLUMNS = ("review_id", "title", "text", "author", "language")
# Imported reviews are inserted this many per INSERT.
IMPORT_BATCH_SIZE = 5000
IMPORTED_AUTHOR_NAME = "Anonymous"
SKU_MAX_LENGTH = Product._meta.get_field("sku").max_length or 0
EXTERNAL_ID_MAX_LENGTH = Review._meta.get_field("external_id").max_length or 0
AUTHOR_MAX_LENGTH = Review._meta.get_field("author_name").max_length or 0





class ImportRefused(ValidationFailed):
    """An imported row cannot be taken; ``line`` says which (``None``: the whole import).

    Raised by this import and by the gate's import of improvements.
    """

    def __init__(self, message: str, *, line: int | None = None, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.line = line


# --- The history reviews are judged by (kept by the gate) ---------------------------------


@dataclass(frozen=True)
class RevisionStarts:
    """A product's improvements: the moments its revisions started, in time order."""

    moments: list[datetime]
    revisions: list[int]

    def revision_at(self, moment: datetime) -> int:
        # The spec: a review belongs to the revision current when it was written, i.e. the
        # latest improvement with logged_at <= created_at (revision 0 before any).
        position = bisect.bisect_right(self.moments, moment)
        return self.revisions[position - 1] if position else 0


class HistoryKeeper(Protocol):
    """What the keeper of the products' history (the gate) tells an import of reviews."""

    @property
    def tzinfo(self) -> tzinfo:
        """The zone a file's moments without an offset are read in, and days are cut in."""

    def lock(self) -> date | None:
        """Lock the history until the end of the caller's transaction; the last day judged."""

    def day_of(self, moment: datetime) -> date:
        """The day ``moment`` falls on."""

    def revision_starts(self, product_ids: Sequence[int]) -> dict[int, RevisionStarts]:
        """Per product with improvements, when its revisions started (called under the lock)."""


class UnkeptHistory:
    """No keeper registered: one revision per product, days in TIME_ZONE, nothing locked."""

    @property
    def tzinfo(self) -> tzinfo:
        return ZoneInfo(settings.TIME_ZONE)

    def lock(self) -> date | None:
        return None

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.tzinfo).date()

    def revision_starts(self, product_ids: Sequence[int]) -> dict[int, RevisionStarts]:
        return {}


_keeper_factory: Callable[[], HistoryKeeper] = UnkeptHistory


def history_keeper_register(factory: Callable[[], HistoryKeeper]) -> None:
    """Called once by the gate's ``AppConfig.ready()``: ``factory`` builds the keeper from
    the settings in force (and raises ImproperlyConfigured when they are invalid)."""
    global _keeper_factory
    _keeper_factory = factory


def history_keeper() -> HistoryKeeper:
    """The keeper for an import starting now, built from the settings in force."""
    return _keeper_factory()


def reviews_revision_advance(*, product_id: int, revision: int, since: datetime) -> int:
    """Reviews written at or after an improvement's ``logged_at`` belong to its revision.

    Only moves reviews forward (``revision < r``), so a later improvement's reviews keep
    theirs. Needed for history: imported reviews, or reviews written between an imported
    improvement's moment and the evaluation of its day. Called by the gate under its lock.
    """
    return (
        Review.objects.filter(product_id=product_id, created_at__gte=since, revision__lt=revision)
        .order_by()
        .update(revision=revision)
    )


# --- Rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewImport:
    """One review of history, checked (see :func:`review_import_from_row`)."""

    line: int
    sku: str
    rating: int
    created_at: datetime
    review_id: str | None = None
    title: str = ""
    text: str = ""
    author: str = ""
    language: str = ""


def review_import_from_row(
    *, line: int, sku: str, rating: int, created_at: datetime, extra: dict[str, str], now: datetime
) -> ReviewImport:
    """Check the optional columns of a parsed review row; ValueError names the problem."""
    review_id = (extra.get("review_id") or "").strip() or None
    # Title and text are kept exactly as the source platform had them (byte for byte).
    title = extra.get("title") or ""
    text = extra.get("text") or ""
    author = (extra.get("author") or "").strip()
    language = (extra.get("language") or "").strip().lower()
    if created_at > now:
        raise ValueError(f"created_at {created_at.isoformat()} is in the future")
    if len(sku) > SKU_MAX_LENGTH:
        raise ValueError(f"product_id is longer than {SKU_MAX_LENGTH} characters")
    if review_id is not None and len(review_id) > EXTERNAL_ID_MAX_LENGTH:
        raise ValueError(f"review_id is longer than {EXTERNAL_ID_MAX_LENGTH} characters")
    if len(title) > STORED_TITLE_MAX_LENGTH:
        raise ValueError(f"title is {len(title):,} characters long, more than the {STORED_TITLE_MAX_LENGTH:,} stored")
    if len(text) > STORED_BODY_MAX_LENGTH:
        raise ValueError(f"text is {len(text):,} characters long, more than the {STORED_BODY_MAX_LENGTH:,} stored")
    if len(author) > AUTHOR_MAX_LENGTH:
        raise ValueError(f"author is longer than {AUTHOR_MAX_LENGTH} characters")
    if language and language not in LANGUAGE_CODES:
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        raise ValueError(f"language must be one of {codes}, got {language!r}")
    return ReviewImport(line, sku, rating, created_at, review_id, title, text, author, language)


@dataclass
class ReviewImportSummary:
    rows: int = 0
    created: int = 0
    already_imported: int = 0
    products_created: int = 0
    # Reviews dated on or before the last evaluated day: they count from the next
    # evaluation on, but the days they fall on are not evaluated again.
    on_evaluated_days: int = 0
    last_evaluated_day: date | None = None


# --- The import ---------------------------------------------------------------------------


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
    ``rows`` are streamed and inserted ``batch_size`` at a time in one transaction.
    ``keeper``: the gate's history (default: :func:`history_keeper`).

    1. products: unknown SKUs are created (``create_products``) or refuse the import;
    2. each review: published at its ``created_at``, never a verified purchase, of the
       revision in force at ``created_at`` (the latest improvement logged at or before it);
       with a ``review_id`` one already stored is skipped, so a re-import adds nothing twice;
    3. the figures of the products concerned are recomputed.
    """
    keeper = keeper or history_keeper()
    summary = ReviewImportSummary()
    default_language = settings.LANGUAGE_CODE.split("-")[0]
    with transaction.atomic():
        last_evaluated_day = keeper.lock()
        summary.last_evaluated_day = last_evaluated_day
        products = _import_products(sorted(set(skus)), create_products=create_products, summary=summary)
        revisions = keeper.revision_starts(sorted(products.values()))
        batch: list[ReviewImport] = []

        def flush() -> None:
            _import_batch(batch, products=products, revisions=revisions, summary=summary, language=default_language)
            batch.clear()
            if progress is not None:
                progress(summary)

        for row in rows:
            summary.rows += 1
            if last_evaluated_day is not None and keeper.day_of(row.created_at) <= last_evaluated_day:
                summary.on_evaluated_days += 1
            batch.append(row)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        _statistics_refresh()
        for chunk in chunked(sorted(products.values())):
            product_ratings_recompute(product_ids=list(chunk))
    return summary


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
    for chunk in chunked(missing):
        Product.objects.bulk_create(Product(sku=sku, name=sku, slug=slugify(sku) or "product") for sku in chunk)
        products.update(Product.objects.filter(sku__in=chunk).values_list("sku", "pk"))
    summary.products_created = len(missing)
    return products


def _revision_at(starts: RevisionStarts | None, moment: datetime) -> int:
    return 0 if starts is None else starts.revision_at(moment)


def _import_batch(
    batch: list[ReviewImport],
    *,
    products: dict[str, int],
    revisions: dict[int, RevisionStarts],
    summary: ReviewImportSummary,
    language: str,
) -> None:
    ids = [row.review_id for row in batch if row.review_id is not None]
    # Already stored (an earlier import, or an earlier batch of this file): skipped.
    known = set(Review.objects.filter(external_id__in=ids).values_list("external_id", flat=True)) if ids else set()
    reviews: list[Review] = []
    for row in batch:
        if row.review_id is not None:
            if row.review_id in known:
                summary.already_imported += 1
                continue
            known.add(row.review_id)
        product_id = products[row.sku]
        reviews.append(
            Review(
                product_id=product_id,
                author=None,
                author_name=row.author or IMPORTED_AUTHOR_NAME,
                rating=row.rating,
                title=row.title,
                body=row.text,
                language=row.language or language,
                revision=_revision_at(revisions.get(product_id), row.created_at),
                status=ReviewStatus.PUBLISHED,
                verified_purchase=False,
                source=ReviewSource.IMPORT,
                external_id=row.review_id,
                created_at=row.created_at,
                published_at=row.created_at,
            )
        )
    Review.objects.bulk_create(reviews, batch_size=len(reviews) or 1)
    summary.created += len(reviews)
