"""An improvement row of a CSV file (a product's new revision): the one definition of a
valid one, for ``gate_backtest`` and ``import_improvements``. Standard library and
:mod:`core.csv_input` only: the backtest's command line runs without ``django.setup()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from core.csv_input import CsvHeader, RowError, checked_rows, non_blank_value, parse_moment

__all__ = ["IMPROVEMENT_COLUMNS", "ImprovementRow", "iter_improvements", "parse_improvement_row"]

IMPROVEMENT_COLUMNS = ("product_id", "logged_at")


@dataclass(frozen=True, slots=True)
class ImprovementRow:
    line: int
    product_id: str
    logged_at: datetime


def parse_improvement_row(row: Sequence[str], header: CsvHeader, *, line: int, tz: tzinfo) -> ImprovementRow:
    product_id = non_blank_value(row, header, "product_id", line=line)
    logged_text = header.value(row, "logged_at", line)
    try:
        logged_at = parse_moment(logged_text, tz, column="logged_at")
    except ValueError as exc:
        raise RowError(header.path, line, str(exc)) from None
    return ImprovementRow(line, product_id, logged_at)


def iter_improvements(
    path: str | Path,
    tz: tzinfo,
    *,
    skip_invalid: bool = False,
    on_skip: Callable[[RowError], None] | None = None,
) -> Iterator[ImprovementRow]:
    """Every valid improvement row of ``path``, in file order (same rules as reviews)."""

    def parse(row: list[str], header: CsvHeader, line: int) -> ImprovementRow:
        return parse_improvement_row(row, header, line=line, tz=tz)

    return checked_rows(path, IMPROVEMENT_COLUMNS, parse, skip_invalid=skip_invalid, on_skip=on_skip)
