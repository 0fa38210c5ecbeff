"""Orders from a CSV file (``manage.py import_orders``): one row per order line.

Read whole and checked first (core.csv_input: strict UTF-8, the header, a row's shape; then
each value), grouped by order id, then stored through orders.services.order_receive, the
API's one way in, in one transaction: a bad row or a refused order stops the import with
its line, and nothing of the file is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction

from core.batching import chunked
from core.csv_input import CsvHeader, RowError, checked_rows
from core.errors import Conflict, ValidationFailed
from core.skus import sku_problem
from core.strict_numbers import ascii_int
from orders.models import LANGUAGE_CODES, OrderSource
from orders.services import (
    MAX_LINES,
    MAX_QUANTITY,
    LineInput,
    OrderInput,
    offset_moment,
    order_id_problem,
    order_receive,
)
from products.models import Product

ORDER_COLUMNS = (
    "order_id",
    "customer_email",
    "customer_name",
    "language",
    "sku",
    "quantity",
    "purchased_at",
    "delivered_at",
    "cancelled_at",
    "refunded_at",
)
# What every row of one order repeats (all but sku and quantity).
ORDER_FIELDS = (
    "customer_email",
    "customer_name",
    "language",
    "purchased_at",
    "delivered_at",
    "cancelled_at",
    "refunded_at",
)
OPTIONAL_MOMENTS = ("delivered_at", "cancelled_at", "refunded_at")
# Where the service's field names and the file's columns differ.
SERVICE_FIELD_COLUMNS = {"email": "customer_email", "name": "customer_name", "lines": "sku"}


@dataclass(frozen=True)
class OrderRow:
    line: int
    order_id: str
    order: tuple[str, ...]  # the raw ORDER_FIELDS values, compared across an order's rows
    language: str
    sku: str
    quantity: int
    purchased_at: datetime
    delivered_at: datetime | None
    cancelled_at: datetime | None
    refunded_at: datetime | None


@dataclass
class OrderInFile:
    first: OrderRow
    lines: list[LineInput] = field(default_factory=list)
    sku_lines: dict[str, int] = field(default_factory=dict)  # SKU -> the line it is on

    def as_input(self) -> OrderInput:
        row = self.first
        return OrderInput(
            order_id=row.order_id,
            email=row.order[0],
            name=row.order[1],
            language=row.language,
            purchased_at=row.purchased_at,
            delivered_at=row.delivered_at,
            cancelled_at=row.cancelled_at,
            refunded_at=row.refunded_at,
            lines=tuple(self.lines),
            source=OrderSource.IMPORT,
        )


@dataclass
class ImportSummary:
    rows: int = 0
    orders: int = 0
    created: int = 0
    unchanged: int = 0


def _moment(text: str, column: str, path: str, line: int, *, required: bool) -> datetime | None:
    if text == "" and not required:
        return None
    moment = offset_moment(text)
    if moment is None:
        shown = repr(text[:40]) if text else "empty"
        raise RowError(
            path,
            line,
            f"{column}: {shown} is not an ISO 8601 date-time with its offset (e.g. 2026-03-31T14:05:00+02:00)",
        )
    return moment


def parse_order_row(row: list[str], header: CsvHeader, line: int) -> OrderRow:
    """One row's values checked (RowError naming the column); the rules between rows and
    against the database come later."""
    path = header.path
    values = {column: header.value(row, column, line).strip() for column in ORDER_COLUMNS}
    problem = order_id_problem(values["order_id"])
    if problem:
        raise RowError(path, line, f"order_id: {values['order_id'][:40]!r}: {problem}")
    if values["language"] not in LANGUAGE_CODES:
        raise RowError(path, line, f"language: {values['language'][:10]!r}: one of {', '.join(sorted(LANGUAGE_CODES))}")
    quantity = ascii_int(values["quantity"], minimum=1, maximum=MAX_QUANTITY)
    if quantity is None:
        raise RowError(path, line, f"quantity: {values['quantity'][:20]!r}: a whole number from 1 to {MAX_QUANTITY:,}")
    sku_error = sku_problem(values["sku"])
    if sku_error:
        raise RowError(path, line, f"sku: {sku_error}")
    moments = {
        column: _moment(values[column], column, path, line, required=column == "purchased_at")
        for column in ("purchased_at", *OPTIONAL_MOMENTS)
    }
    purchased_at = moments["purchased_at"]
    assert purchased_at is not None  # required above
    return OrderRow(
        line=line,
        order_id=values["order_id"],
        order=tuple(values[column] for column in ORDER_FIELDS),
        language=values["language"],
        sku=values["sku"],
        quantity=quantity,
        purchased_at=purchased_at,
        delivered_at=moments["delivered_at"],
        cancelled_at=moments["cancelled_at"],
        refunded_at=moments["refunded_at"],
    )


def orders_read(path: Path, *, progress: Callable[[int], None]) -> tuple[dict[str, OrderInFile], int]:
    """Every order of the file, in the order of their first rows, and the number of rows.
    Rows of one order need not be next to each other, but must agree on all but the line."""
    orders: dict[str, OrderInFile] = {}
    rows = 0
    for row in checked_rows(path, ORDER_COLUMNS, parse_order_row, skip_invalid=False, on_skip=None):
        rows += 1
        progress(rows)
        order = orders.setdefault(row.order_id, OrderInFile(first=row))
        if row.order != order.first.order:
            differing = [c for c, a, b in zip(ORDER_FIELDS, row.order, order.first.order, strict=True) if a != b]
            raise RowError(
                path,
                row.line,
                f"order {row.order_id}: {', '.join(differing)} {'differs' if len(differing) == 1 else 'differ'} from "
                f"its first row (line {order.first.line}); "
                "the rows of one order repeat everything but sku and quantity",
            )
        if row.sku in order.sku_lines:
            raise RowError(
                path,
                row.line,
                f"order {row.order_id}: product {row.sku} is already on line {order.sku_lines[row.sku]}; "
                "one row per product (add the quantities up)",
            )
        if len(order.lines) >= MAX_LINES:
            raise RowError(path, row.line, f"order {row.order_id}: more than {MAX_LINES} lines")
        order.sku_lines[row.sku] = row.line
        order.lines.append(LineInput(sku=row.sku, quantity=row.quantity))
    return orders, rows


def unknown_product_check(path: Path, orders: Iterable[OrderInFile]) -> None:
    """The first line naming a SKU no product has (checked in bulk, before any write)."""
    first_line: dict[str, int] = {}
    for order in orders:
        for sku, line in order.sku_lines.items():
            first_line[sku] = min(line, first_line.get(sku, line))
    known: set[str] = set()
    for chunk in chunked(sorted(first_line)):
        known.update(Product.objects.filter(sku__in=chunk).values_list("sku", flat=True))
    unknown = sorted((line, sku) for sku, line in first_line.items() if sku not in known)
    if unknown:
        line, sku = unknown[0]
        raise RowError(path, line, f"sku: no product has the SKU {sku!r}")


def _refusal(path: Path, order: OrderInFile, error: ValidationFailed | Conflict) -> RowError:
    if isinstance(error, Conflict) and error.code == "order_exists":
        return RowError(
            path,
            order.first.line,
            f"order {order.first.order_id} is stored already with other content (customer, times or lines); "
            "a delivery, cancellation or refund is recorded through the API's PATCH",
        )
    details = "; ".join(
        f"{SERVICE_FIELD_COLUMNS.get(name, name)}: {' '.join(messages)}" for name, messages in error.fields.items()
    )
    return RowError(path, order.first.line, f"order {order.first.order_id}: {details or error.message}")


def orders_import(
    path: Path, orders: dict[str, OrderInFile], *, progress: Callable[[ImportSummary], None]
) -> ImportSummary:
    """Stores every order, in one transaction: all or nothing. An order stored before,
    identically, is counted unchanged; one stored differently stops the import."""
    unknown_product_check(path, orders.values())
    summary = ImportSummary()
    with transaction.atomic():
        for order in orders.values():
            try:
                received = order_receive(order.as_input())
            except (ValidationFailed, Conflict) as error:
                raise _refusal(path, order, error) from None
            summary.orders += 1
            if received.created:
                summary.created += 1
            else:
                summary.unchanged += 1
            progress(summary)
    return summary
