"""``manage.py import_orders ORDERS.csv``: the shop's orders from a file (orders.csv_import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from core.commands import OperatorCommand, bad_input
from core.csv_input import PROGRESS_EVERY, InputFileError, file_header
from orders.csv_import import ORDER_COLUMNS, ImportSummary, orders_import, orders_read

HELP = """Import the shop's orders from a CSV file (UTF-8, comma-separated, a header row), one row
per order line, with the columns:

  order_id        the shop's order id: 1 to 100 ASCII letters, digits, ".", "_", "-",
                  starting with a letter or digit
  customer_email  the customer's address (stored once, shown nowhere)
  customer_name   how the invitation greets them (may be empty)
  language        the invitation's language: en or fr
  sku             a product's SKU, known to reviewgate
  quantity        a whole number from 1 to 10000
  purchased_at    ISO 8601 date-time with its offset, e.g. 2026-03-31T14:05:00+02:00
  delivered_at    the same, or empty
  cancelled_at    the same, or empty (never with delivered_at)
  refunded_at     the same, or empty (only with delivered_at)

The rows of one order repeat everything but sku and quantity, one row per product. The
same rules as the API apply. An order stored before identically is skipped (counted
"unchanged"); one stored with other content is an error (record deliveries, cancellations
and refunds through the API's PATCH). Other columns are ignored and named. The first bad
row stops the import with "FILE, line N: reason" and exit status 2, and nothing of the file
is written (one transaction). Progress goes to stderr, and a summary line at the end."""


class Command(OperatorCommand):
    help = HELP
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        from argparse import RawDescriptionHelpFormatter  # noqa: PLC0415 - only for --help

        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = RawDescriptionHelpFormatter
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("orders", metavar="ORDERS.csv", help=", ".join(ORDER_COLUMNS))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["orders"])
        verbosity = int(options["verbosity"])
        show_progress = verbosity >= 2 or (verbosity >= 1 and self.stderr.isatty())

        def rows_read(rows: int) -> None:
            if show_progress and rows % PROGRESS_EVERY == 0:
                self.stderr.write(f"checked {rows:,} rows")

        try:
            ignored = file_header(path, ORDER_COLUMNS).ignored(ORDER_COLUMNS)
            if ignored and verbosity >= 1:
                self.stderr.write(f"{path}: ignored columns: {', '.join(ignored)}")
            orders, rows = orders_read(path, progress=rows_read)
            total = len(orders)
            every = max(1, min(PROGRESS_EVERY // 10, total // 10 or 1))

            def stored(summary: ImportSummary) -> None:
                if show_progress and (summary.orders % every == 0 or summary.orders == total):
                    self.stderr.write(f"stored {summary.orders:,} of {total:,} orders")

            summary = orders_import(path, orders, progress=stored)
        except InputFileError as error:
            raise bad_input(str(error)) from None
        if verbosity >= 1:
            self.stderr.write(
                f"import_orders: {rows:,} rows, {summary.orders:,} orders: {summary.created:,} added, "
                f"{summary.unchanged:,} unchanged"
            )
