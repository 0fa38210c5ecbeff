"""``manage.py import_reviews REVIEWS.csv [--create-products] [--skip-invalid]``.

Loads reviews of history as published (the quality gate's "production equals backtest"
path, ../shared/GATE_SPEC.md). The file is read twice: first checked whole (rows parsed by
reviews.csv_rows, the one definition of a valid row), so a bad row stops the command before
anything is written; then streamed into the database in one transaction
(reviews.history_import, under the lock of the history's keeper, the gate).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandParser, OutputWrapper
from django.utils import timezone

from core.batching import chunked
from core.commands import OperatorCommand, bad_input
from core.csv_input import PROGRESS_EVERY, InputFileError, RowError, file_header
from core.errors import DomainError
from products.models import Product
from reviews.csv_rows import REVIEW_COLUMNS, ReviewRow, iter_reviews
from reviews.history_import import (
    REVIEW_IMPORT_COLUMNS,
    HistoryKeeper,
    ImportRefused,
    ReviewImport,
    ReviewImportSummary,
    history_keeper,
    review_history_import,
    review_import_from_row,
)


def _plain(text: str) -> str:
    return text


@dataclass
class _ReviewFile:
    """One run over one file: what the first pass learned, for the second and the report."""

    path: Path
    keeper: HistoryKeeper
    skip_invalid: bool
    verbosity: int
    show_progress: bool
    stderr: OutputWrapper
    now: datetime = field(default_factory=timezone.now)
    rows: int = 0
    first_line: dict[str, int] = field(default_factory=dict)  # SKU -> its first line
    skipped_lines: set[int] = field(default_factory=set)
    skipped_products: set[str] = field(default_factory=set)

    def say(self, message: str) -> None:
        self.stderr.write(message, style_func=_plain)

    def skip(self, error: RowError) -> None:
        self.skipped_lines.add(error.line)
        if self.verbosity >= 1:
            self.say(f"skipped {error}")

    def review_rows(self, **options: Any) -> Iterator[ReviewRow]:
        return iter_reviews(self.path, self.keeper.tzinfo, extra_columns=REVIEW_IMPORT_COLUMNS, **options)

    def checked(self, row: ReviewRow) -> ReviewImport:
        """The row's optional columns checked too; ValueError names the problem."""
        return review_import_from_row(
            line=row.line,
            sku=row.product_id,
            rating=row.rating,
            created_at=row.created_at,
            extra=row.extra,
            now=self.now,
        )

    def check_file(self) -> None:
        """1. Check the whole file; collect its products (memory: products, and bad lines)."""
        try:
            ignored = file_header(self.path, REVIEW_COLUMNS).ignored(REVIEW_COLUMNS + REVIEW_IMPORT_COLUMNS)
            if ignored and self.verbosity >= 1:
                # Named first, so that a misspelt optional column ("tittle") is seen at once.
                self.say(f"{self.path}: ignored columns: {', '.join(ignored)}")
            for row in self.review_rows(skip_invalid=self.skip_invalid, on_skip=self.skip):
                try:
                    self.checked(row)
                except ValueError as problem:
                    row_error = RowError(self.path, row.line, str(problem))
                    if not self.skip_invalid:
                        raise row_error from None
                    self.skip(row_error)
                    continue
                self.rows += 1
                self.first_line.setdefault(row.product_id, row.line)
                if self.show_progress and self.rows % PROGRESS_EVERY == 0:
                    self.say(f"checked {self.rows:,} rows")
        except InputFileError as error:
            raise bad_input(str(error)) from None

    def drop_unknown_products(self) -> None:
        """Without --create-products: an unknown product refuses the file, or with
        --skip-invalid all of its rows are skipped."""
        known: set[str] = set()
        for chunk in chunked(sorted(self.first_line)):
            known.update(Product.objects.filter(sku__in=chunk).values_list("sku", flat=True))
        unknown = sorted((line, sku) for sku, line in self.first_line.items() if sku not in known)
        if unknown and not self.skip_invalid:
            line, sku = unknown[0]
            more = f" ({len(unknown) - 1:,} more unknown products)" if len(unknown) > 1 else ""
            raise bad_input(
                f"{self.path}, line {line}: unknown product {sku!r}: use --create-products to create it{more}"
            )
        for line, sku in unknown:
            self.skipped_products.add(sku)
            del self.first_line[sku]
            if self.verbosity >= 1:
                self.say(f"skipped {self.path}: every row of unknown product {sku!r} (first on line {line})")

    def valid_rows(self) -> Iterator[ReviewImport]:
        """2. The rows the first pass accepted, read again."""
        for row in self.review_rows(skip_invalid=True):
            if row.line in self.skipped_lines or row.product_id in self.skipped_products:
                continue
            try:
                yield self.checked(row)
            except ValueError:
                continue  # reported by the first pass (the file changed in between otherwise)

    def progress(self, summary: ReviewImportSummary) -> None:
        if self.show_progress:
            self.say(f"imported {summary.rows:,} of {self.rows:,} rows")

    def store(self, *, create_products: bool) -> ReviewImportSummary:
        """Stream the valid rows into the database, in one transaction."""
        try:
            return review_history_import(
                skus=list(self.first_line),
                rows=self.valid_rows(),
                create_products=create_products,
                keeper=self.keeper,
                progress=self.progress,
            )
        except ImportRefused as error:
            where = f"{self.path}, line {error.line}" if error.line is not None else str(self.path)
            raise bad_input(f"{where}: {error.message}") from None
        except (InputFileError, DomainError) as error:
            raise bad_input(f"{self.path}: {error}") from None

    def report(self, summary: ReviewImportSummary) -> None:
        if self.verbosity >= 1:
            self.say(
                f"import_reviews: {summary.rows:,} rows, {summary.created:,} reviews added, "
                f"{summary.already_imported:,} already imported (same review_id), "
                f"{summary.products_created:,} products created"
            )
            skipped = len(self.skipped_lines)
            if skipped or self.skipped_products:
                self.say(
                    f"skipped (--skip-invalid): {skipped:,} rows, and the rows of {len(self.skipped_products):,} "
                    "unknown products"
                )
        if summary.on_evaluated_days:
            self.say(
                f"warning: {summary.on_evaluated_days:,} reviews fall on or before the last evaluated day "
                f"({summary.last_evaluated_day}): they count from the next evaluation on, but the days "
                "already evaluated are not evaluated again"
            )


class Command(OperatorCommand):
    help = (
        "Import reviews of history from a CSV (product_id = SKU, rating, created_at; optional review_id, "
        "title, text, author, language) as published reviews. With review_id, a re-import adds nothing twice."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reviews", metavar="REVIEWS.csv", help="product_id, rating, created_at (+ optional)")
        parser.add_argument("--create-products", action="store_true", help="create products whose SKU is unknown")
        parser.add_argument("--skip-invalid", action="store_true", help="skip, count and report malformed rows")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        create_products = bool(options["create_products"])
        try:
            keeper = history_keeper()
        except ImproperlyConfigured as error:
            raise bad_input(str(error)) from None
        run = _ReviewFile(
            path=Path(options["reviews"]),
            keeper=keeper,
            skip_invalid=bool(options["skip_invalid"]),
            verbosity=verbosity,
            show_progress=verbosity >= 2 or (verbosity >= 1 and self.stderr.isatty()),
            stderr=self.stderr,
        )
        run.check_file()
        if not create_products:
            run.drop_unknown_products()
        run.report(run.store(create_products=create_products))
