"""A review row of a CSV file: the one definition of a valid one.

``gate_backtest`` replays these rows and ``import_reviews`` loads them, so both accept and
refuse the same rows with the same messages. Standard library and :mod:`core.csv_input`
only: the backtest's command line imports it without setting Django up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from core.csv_input import CsvHeader, RowError, checked_rows, parse_moment, sku_value

__all__ = ["RATINGS", "REVIEW_COLUMNS", "ReviewRow", "iter_reviews", "parse_rating", "parse_review_row"]

REVIEW_COLUMNS = ("product_id", "rating", "created_at")

# The texts that are ratings, and their values: exactly one of the digits 1 to 5.
RATINGS: Mapping[str, int] = {str(value): value for value in range(1, 6)}


def parse_rating(text: str) -> int:
    """A rating written exactly as one of the digits 1 to 5; anything else is refused."""
    rating = RATINGS.get(text)
    if rating is None:
        if text == "":
            raise ValueError("rating is empty")
        raise ValueError(f"rating must be an integer from 1 to 5, got {text!r}")
    return rating


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """A valid review row. ``created_at`` is aware; ``extra`` holds the optional columns asked for."""

    line: int
    product_id: str
    rating: int
    created_at: datetime
    extra: dict[str, str] = field(default_factory=dict)


def parse_review_row(
    row: Sequence[str],
    header: CsvHeader,
    *,
    line: int,
    tz: tzinfo,
    extra_columns: Sequence[str] = (),
) -> ReviewRow:
    """Check one review row's values; raises :class:`RowError` naming the file, line and
    reason. The row's shape (its number of fields, no NUL byte) is checked by the reader
    (:func:`core.csv_input.row_shape_check`)."""
    product_id = sku_value(row, header, "product_id", line=line)
    rating_text = header.value(row, "rating", line)
    created_text = header.value(row, "created_at", line)
    try:
        rating = parse_rating(rating_text)
        created_at = parse_moment(created_text, tz, column="created_at")
    except ValueError as exc:
        raise RowError(header.path, line, str(exc)) from None
    extra = {}
    for column in extra_columns:
        value = header.optional(row, column)
        if value is not None:
            extra[column] = value
    return ReviewRow(line, product_id, rating, created_at, extra)


def iter_reviews(
    path: str | Path,
    tz: tzinfo,
    *,
    skip_invalid: bool = False,
    on_skip: Callable[[RowError], None] | None = None,
    extra_columns: Sequence[str] = (),
) -> Iterator[ReviewRow]:
    """Every valid review row of ``path``, in file order.

    A bad row raises :class:`RowError`, or with ``skip_invalid`` is passed to ``on_skip``
    and left out. Blank lines are not rows.
    """

    def parse(row: list[str], header: CsvHeader, line: int) -> ReviewRow:
        return parse_review_row(row, header, line=line, tz=tz, extra_columns=extra_columns)

    return checked_rows(path, REVIEW_COLUMNS, parse, skip_invalid=skip_invalid, on_skip=on_skip)
