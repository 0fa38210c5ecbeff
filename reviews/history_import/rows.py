"""A checked row of a review file, the values stored for it, and an import's summary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.conf import settings

from core.errors import ValidationFailed
from products.models import Product
from reviews.models import LANGUAGE_CODES, STORED_BODY_MAX_LENGTH, STORED_TITLE_MAX_LENGTH, Review

__all__ = [
    "IMPORTED_AUTHOR_NAME",
    "IMPORT_BATCH_SIZE",
    "REVIEW_IMPORT_COLUMNS",
    "ImportRefused",
    "ImportedReview",
    "ReviewImport",
    "ReviewImportSummary",
    "review_import_from_row",
]

# The optional columns of a review file, besides reviews.csv_rows.REVIEW_COLUMNS.
REVIEW_IMPORT_COLUMNS = ("review_id", "title", "text", "author", "language")
# Progress is reported every this many rows; on SQLite they are inserted this many per INSERT.
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


class ImportedReview(NamedTuple):
    """What is stored of one row (besides what every imported review has in common), in
    the order of the PostgreSQL staging table's columns after its position."""

    product_id: int
    rating: int
    title: str
    body: str
    author_name: str
    language: str
    revision: int
    external_id: str | None
    created_at: datetime
