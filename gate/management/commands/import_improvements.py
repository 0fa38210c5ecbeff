"""``manage.py import_improvements IMPROVEMENTS.csv``: log improvements of history."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandParser

from core.commands import OperatorCommand, bad_input
from core.csv_input import open_csv, read_header
from core.errors import DomainError
from gate.configured import gate_policy_from_settings
from gate.improvement_rows import IMPROVEMENT_COLUMNS, iter_improvements
from gate.services import ImprovementImport, improvement_import
from reviews.history_import import ImportRefused


def _descriptions(path: Path) -> dict[int, str]:
    """The optional ``description`` column, by line. Only called once the whole file has
    passed gate.improvement_rows' checks, so it reads a file known to be valid CSV and UTF-8."""
    found: dict[int, str] = {}
    with open_csv(path) as handle:
        reader = csv.reader(handle)
        header = read_header(reader, path, IMPROVEMENT_COLUMNS)
        if "description" not in header.positions:
            return found
        for row in reader:
            value = header.optional(row, "description")
            if row and value:
                found[reader.line_num] = value
    return found


class Command(OperatorCommand):
    help = (
        "Log improvements of history from a CSV (product_id = SKU, logged_at, optional description). "
        "Each is applied when the gate evaluates its day; one dated on or before the last evaluated "
        "day, or in the future, refuses the whole file."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("improvements", metavar="IMPROVEMENTS.csv", help="product_id, logged_at (+ description)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["improvements"])
        try:
            policy = gate_policy_from_settings()
        except ImproperlyConfigured as error:
            raise bad_input(str(error)) from None
        # A bad row is an InputFileError naming the file and line: OperatorCommand refuses it.
        rows = list(iter_improvements(path, policy.tzinfo))
        descriptions = _descriptions(path)
        items = [
            ImprovementImport(
                sku=row.product_id, logged_at=row.logged_at, description=descriptions.get(row.line, ""), line=row.line
            )
            for row in rows
        ]
        try:
            created = improvement_import(items=items, policy=policy)
        except ImportRefused as error:
            where = f"{path}, line {error.line}" if error.line is not None else str(path)
            raise bad_input(f"{where}: {error.message}") from None
        except DomainError as error:
            raise bad_input(f"{path}: {error.message}") from None
        if int(options["verbosity"]) >= 1:
            products = len({improvement.product_id for improvement in created})
            self.stderr.write(
                f"import_improvements: {len(created):,} improvements of {products:,} products logged; "
                "each is applied when its day is evaluated (gate_evaluate)"
            )
