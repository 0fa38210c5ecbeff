"""The import's PostgreSQL path: rows streamed by COPY into a staging table, then one
set-based INSERT into the reviews.

COPY is the fastest way into PostgreSQL, but it cannot skip a review already stored, so
the rows go first into a temporary table without indexes (dropped at the end, and at the
commit whatever happens) and ``INSERT ... SELECT ... ON CONFLICT (external_id) DO
NOTHING`` moves them: a review already imported, or a ``review_id`` repeated in the file,
is skipped by the unique index, the first in file order winning (the rows are inserted in
their order in the file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

from django.db import connection
from django.utils import translation
from modeltranslation import settings as translation_settings
from modeltranslation.utils import build_localized_fieldname

from products.models import Product
from reviews.history_import.rows import ImportedReview
from reviews.models import Review, ReviewSource, ReviewStatus

__all__ = ["STAGING_TABLE", "STORED_COLUMNS", "products_insert_by_copy", "reviews_insert_by_copy"]

STAGING_TABLE = "reviews_import_staging"
# The staging table: the row's position in the file, then ImportedReview's fields, with
# their PostgreSQL types (COPY's binary format: three times faster than text to write).
_STAGING_DEFINITION = (
    ("position", "int8", "NOT NULL"),
    ("product_id", "int8", "NOT NULL"),
    ("rating", "int2", "NOT NULL"),
    ("title", "text", "NOT NULL"),
    ("body", "text", "NOT NULL"),
    ("author_name", "text", "NOT NULL"),
    ("language", "text", "NOT NULL"),
    ("revision", "int4", "NOT NULL"),
    ("external_id", "text", ""),
    ("created_at", "timestamptz", "NOT NULL"),
)
# Every column of a stored review but its id, and what an imported one holds in it (the
# three %s: the status, the source and the moment of the import, in this order). A test
# holds this to the model: a new column without a database default must be named here.
STORED_COLUMNS = {
    "product_id": "product_id",
    "author_id": "NULL",
    "author_name": "author_name",
    "rating": "rating",
    "recommend": "NULL",  # review exports carry no recommend answer
    "title": "title",
    "body": "body",
    "language": "language",
    "revision": "revision",
    "status": "%s",
    "status_reason": "''",
    "verified_purchase": "false",
    "order_line_id": "NULL",  # imported history came through no invitation
    "employee": "false",  # imported history is never an employee review
    "source": "%s",
    "external_id": "external_id",
    "helpful_yes": "0",
    "helpful_no": "0",
    "created_at": "created_at",
    "published_at": "created_at",
    "updated_at": "%s",
}


def _insert_sql() -> str:
    table = Review._meta.db_table
    columns = ", ".join(STORED_COLUMNS)
    values = ", ".join(STORED_COLUMNS.values())
    # Names come from the model and this module; every value is a parameter.
    return (
        f"INSERT INTO {table} ({columns}) SELECT {values} FROM {STAGING_TABLE} "  # noqa: S608  # nosec B608  # names from the model and this module, values are parameters
        "ORDER BY position ON CONFLICT (external_id) DO NOTHING"
    )


def reviews_insert_by_copy(
    reviews: Iterable[ImportedReview], *, imported_at: datetime, batch_size: int, on_batch: Callable[[], None]
) -> int:
    """Store ``reviews`` (in file order); returns how many were inserted (the others were
    already stored). ``on_batch`` is called every ``batch_size`` rows and after the last.
    Runs in the caller's transaction."""
    definition = ", ".join(f"{name} {kind} {null}" for name, kind, null in _STAGING_DEFINITION)
    staged = ", ".join(name for name, _kind, _null in _STAGING_DEFINITION)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING_TABLE} ({definition}) ON COMMIT DROP")
        position = 0
        # Django's cursor wraps psycopg's, whose copy() streams the rows (memory stays flat).
        with cursor.cursor.copy(f"COPY {STAGING_TABLE} ({staged}) FROM STDIN (FORMAT binary)") as copy:
            copy.set_types([kind for _name, kind, _null in _STAGING_DEFINITION])
            for position, review in enumerate(reviews, start=1):
                copy.write_row((position, *review))
                if position % batch_size == 0:
                    on_batch()
        if position % batch_size:
            on_batch()
        cursor.execute(_insert_sql(), [ReviewStatus.PUBLISHED.value, ReviewSource.IMPORT.value, imported_at])
        inserted = cursor.rowcount
        # Dropped now rather than at the commit: a caller's transaction may import again.
        cursor.execute(f"DROP TABLE {STAGING_TABLE}")
    return inserted


def products_insert_by_copy(names: Mapping[str, tuple[str, str]]) -> None:
    """Create a product per SKU of ``names`` (SKU -> its name and slug), by COPY.

    Every other column holds what a new Product holds (its defaults, as the model computes
    them for an insert), computed once: Django's bulk_create spends more time preparing
    10,000 products' values than PostgreSQL takes to store them.
    """
    fields = [field for field in Product._meta.concrete_fields if not field.primary_key]
    with translation.override(translation_settings.DEFAULT_LANGUAGE):
        template = Product(sku="", name="", slug="")
    common = [field.get_db_prep_save(field.pre_save(template, add=True), connection) for field in fields]
    names_in_order = [field.name for field in fields]
    # The name goes into the default language's column as well (products/translation.py):
    # that column is the one the pages read, the plain `name` column only mirrors it.
    default_name = build_localized_fieldname("name", translation_settings.DEFAULT_LANGUAGE)
    per_product = [names_in_order.index(name) for name in ("sku", "name", default_name, "slug")]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    statement = f"COPY {Product._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        row = list(common)
        for sku, (name, slug) in names.items():
            for position, value in zip(per_product, (sku, name, name, slug), strict=True):
                row[position] = value
            copy.write_row(row)
