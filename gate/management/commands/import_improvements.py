"""``manage.py import_improvements IMPROVEMENTS.csv [--skip-invalid]``: log improvements of history.

The file is read once, row by row, through gate.improvement_rows (the one definition of a
valid row, the backtest's too; its header line is read first on its own, to name the columns
ignored); then the valid rows are logged in one transaction by
gate.services.improvements, which skips the rows already imported (identical) before it
refuses anything. A bad row stops the command before anything is written (exit 2, file,
line and reason), or with ``--skip-invalid`` is skipped, counted and named.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandParser

from core.commands import OperatorCommand, bad_input
from core.csv_input import InputFileError, RowError, file_header
from core.errors import DomainError
from gate.configured import gate_policy_from_settings
from gate.improvement_rows import IMPROVEMENT_COLUMNS, IMPROVEMENT_ROW_COLUMNS, iter_improvements
from gate.services.improvements import ImprovementImport, ImprovementImportSummary, improvement_history_import
from reviews.history_import import ImportRefused


def _plain(text: str) -> str:
    return text


class Command(OperatorCommand):
    help = (
        "Log improvements of history from a CSV (product_id = SKU, logged_at; optional improvement_id, "
        "description). Rows already imported (the same improvement_id, or without one the same product, "
        "logged_at and description) are skipped, so a re-import adds nothing. Each new one is applied when "
        "the gate evaluates its day; one dated on or before the last evaluated day, or in the future, "
        "refuses the whole file."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "improvements", metavar="IMPROVEMENTS.csv", help="product_id, logged_at (+ improvement_id, description)"
        )
        parser.add_argument("--skip-invalid", action="store_true", help="skip, count and report malformed rows")

    def say(self, message: str) -> None:
        self.stderr.write(message, style_func=_plain)

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["improvements"])
        verbosity = int(options["verbosity"])
        skip_invalid = bool(options["skip_invalid"])
        try:
            policy = gate_policy_from_settings()
        except ImproperlyConfigured as error:
            raise bad_input(str(error)) from None
        skipped: list[RowError] = []

        def skip(error: RowError) -> None:
            skipped.append(error)
            if verbosity >= 1:
                self.say(f"skipped {error}")

        try:
            ignored = file_header(path, IMPROVEMENT_COLUMNS).ignored(IMPROVEMENT_ROW_COLUMNS)
            items = [
                ImprovementImport(
                    sku=row.product_id,
                    logged_at=row.logged_at,
                    description=row.description,
                    line=row.line,
                    improvement_id=row.improvement_id,
                )
                for row in iter_improvements(path, policy.tzinfo, skip_invalid=skip_invalid, on_skip=skip)
            ]
        except InputFileError as error:
            raise bad_input(str(error)) from None
        if ignored and verbosity >= 1:
            self.say(f"{path}: ignored column{'s' if len(ignored) > 1 else ''} {', '.join(map(repr, ignored))}")
        try:
            summary = improvement_history_import(items=items, policy=policy)
        except ImportRefused as error:
            where = f"{path}, line {error.line}" if error.line is not None else str(path)
            raise bad_input(f"{where}: {error.message}") from None
        except DomainError as error:
            raise bad_input(f"{path}: {error.message}") from None
        self.report(path, summary, skipped=len(skipped), verbosity=verbosity)

    def report(self, path: Path, summary: ImprovementImportSummary, *, skipped: int, verbosity: int) -> None:
        if verbosity >= 2:
            for item in summary.identical:
                self.say(f"{path}, line {item.line}: already imported (identical), not logged again")
        if verbosity < 1:
            return
        products = len({improvement.product_id for improvement in summary.created})
        self.say(
            f"import_improvements: logged {len(summary.created):,} (of {products:,} products), "
            f"already imported {len(summary.identical):,} (identical), skipped {skipped:,}"
        )
        if summary.created:
            self.say("each improvement logged is applied when its day is evaluated (gate_evaluate)")
        elif summary.identical and not skipped:
            self.say("nothing new: every improvement of the file is already imported")
