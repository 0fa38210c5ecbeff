"""``manage.py import_reviews REVIEWS.csv [--create-products] [--skip-invalid]``.

Loads reviews of history as published (the quality gate's "production equals backtest"
path, ../shared/GATE_SPEC.md). The file is read twice: first checked whole (rows parsed by
gate.backtest, the one definition of a valid row), so a bad row stops the command before
anything is written; then streamed into the database in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.commands import BAD_INPUT
from core.errors import DomainError
from gate.backtest import PROGRESS_EVERY, InputFileError, RowError, iter_reviews
from gate.services import (
    REVIEW_IMPORT_COLUMNS,
    ImportRefused,
    ReviewImport,
    ReviewImportSummary,
    gate_policy_from_settings,
    review_history_import,
    review_import_from_row,
)
from products.models import Product


def _plain(text: str) -> str:
    return text


class Command(BaseCommand):
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
        path = Path(options["reviews"])
        verbosity = int(options["verbosity"])
        skip_invalid = bool(options["skip_invalid"])
        create_products = bool(options["create_products"])
        try:
            policy = gate_policy_from_settings()
        except ImproperlyConfigured as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        tz = policy.tzinfo
        now = timezone.now()
        show_progress = verbosity >= 2 or (verbosity >= 1 and self.stderr.isatty())
        skipped_lines: set[int] = set()

        def report_skip(error: RowError) -> None:
            skipped_lines.add(error.line)
            if verbosity >= 1:
                self.stderr.write(f"skipped {error}", style_func=_plain)

        # 1. Check the whole file; collect its products (memory: products, and bad lines).
        first_line: dict[str, int] = {}
        rows = 0
        try:
            for row in iter_reviews(
                path, tz, skip_invalid=skip_invalid, on_skip=report_skip, extra_columns=REVIEW_IMPORT_COLUMNS
            ):
                try:
                    review_import_from_row(
                        line=row.line,
                        sku=row.product_id,
                        rating=row.rating,
                        created_at=row.created_at,
                        extra=row.extra,
                        now=now,
                    )
                except ValueError as problem:
                    row_error = RowError(path, row.line, str(problem))
                    if not skip_invalid:
                        raise row_error from None
                    report_skip(row_error)
                    continue
                rows += 1
                first_line.setdefault(row.product_id, row.line)
                if show_progress and rows % PROGRESS_EVERY == 0:
                    self.stderr.write(f"checked {rows:,} rows", style_func=_plain)
        except InputFileError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None

        skipped_products: set[str] = set()
        if not create_products:
            known: set[str] = set()
            skus = sorted(first_line)
            for offset in range(0, len(skus), 2000):
                known.update(Product.objects.filter(sku__in=skus[offset : offset + 2000]).values_list("sku", flat=True))
            unknown = sorted((line, sku) for sku, line in first_line.items() if sku not in known)
            if unknown and not skip_invalid:
                line, sku = unknown[0]
                more = f" ({len(unknown) - 1:,} more unknown products)" if len(unknown) > 1 else ""
                raise CommandError(
                    f"{path}, line {line}: unknown product {sku!r}: use --create-products to create it{more}",
                    returncode=BAD_INPUT,
                )
            for line, sku in unknown:
                skipped_products.add(sku)
                del first_line[sku]
                if verbosity >= 1:
                    self.stderr.write(
                        f"skipped {path}: every row of unknown product {sku!r} (first on line {line})",
                        style_func=_plain,
                    )

        # 2. Stream the valid rows into the database, in one transaction.
        def valid_rows() -> Iterator[ReviewImport]:
            for row in iter_reviews(path, tz, skip_invalid=True, extra_columns=REVIEW_IMPORT_COLUMNS):
                if row.line in skipped_lines or row.product_id in skipped_products:
                    continue
                try:
                    yield review_import_from_row(
                        line=row.line,
                        sku=row.product_id,
                        rating=row.rating,
                        created_at=row.created_at,
                        extra=row.extra,
                        now=now,
                    )
                except ValueError:
                    continue  # reported by the first pass (the file changed in between otherwise)

        def progress(summary: ReviewImportSummary) -> None:
            if show_progress:
                self.stderr.write(f"imported {summary.rows:,} of {rows:,} rows", style_func=_plain)

        try:
            summary = review_history_import(
                skus=list(first_line),
                rows=valid_rows(),
                create_products=create_products,
                now=now,
                policy=policy,
                progress=progress,
            )
        except ImportRefused as error:
            where = f"{path}, line {error.line}" if error.line is not None else str(path)
            raise CommandError(f"{where}: {error.message}", returncode=BAD_INPUT) from None
        except (InputFileError, DomainError) as error:
            raise CommandError(f"{path}: {error}", returncode=BAD_INPUT) from None

        if verbosity >= 1:
            self.stderr.write(
                f"import_reviews: {summary.rows:,} rows, {summary.created:,} reviews added, "
                f"{summary.already_imported:,} already imported (same review_id), "
                f"{summary.products_created:,} products created",
                style_func=_plain,
            )
            skipped = len(skipped_lines)
            if skipped or skipped_products:
                self.stderr.write(
                    f"skipped (--skip-invalid): {skipped:,} rows, and the rows of {len(skipped_products):,} "
                    "unknown products",
                    style_func=_plain,
                )
        if summary.on_evaluated_days:
            self.stderr.write(
                f"warning: {summary.on_evaluated_days:,} reviews fall on or before the last evaluated day "
                f"({summary.last_evaluated_day}): they count from the next evaluation on, but the days "
                "already evaluated are not evaluated again",
                style_func=_plain,
            )
