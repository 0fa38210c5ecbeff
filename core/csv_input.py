"""Reading CSV input files row by row: errors that name the file and line, the header.

Pure (standard library only, no Django): ``manage.py gate_backtest`` runs without
``django.setup()`` and reads its files through this module. The rows themselves are
defined where their meaning lives: :mod:`reviews.csv_rows` and :mod:`gate.improvement_rows`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import IO, TypeVar

__all__ = [
    "PROGRESS_EVERY",
    "CsvHeader",
    "InputFileError",
    "RowError",
    "checked_rows",
    "day_of",
    "decoding_error",
    "non_blank_value",
    "open_csv",
    "parse_moment",
    "read_header",
]

# Commands that read a large file report their progress every this many rows.
PROGRESS_EVERY = 100_000


# --- Errors -------------------------------------------------------------------------------


class InputFileError(ValueError):
    """A CSV input cannot be used; ``line`` is ``None`` when the file itself is the problem."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path = str(path)
        self.line = line
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.path}: {self.reason}"
        return f"{self.path}, line {self.line}: {self.reason}"


class RowError(InputFileError):
    """One row (or the header row, line 1) is malformed."""

    line: int

    def __init__(self, path: str | Path, line: int, reason: str) -> None:
        super().__init__(path, line, reason)


# --- Values -------------------------------------------------------------------------------


def parse_moment(text: str, tz: tzinfo, *, column: str = "date") -> datetime:
    """An ISO 8601 date or date-time as an aware date-time.

    A date alone is the start of that day in ``tz``; a date-time without offset is read
    in ``tz`` (in a repeated autumn hour, the first occurrence).
    """
    if text == "":
        raise ValueError(f"{column} is empty")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"unreadable {column} {text!r}: expected an ISO 8601 date (2024-03-31) "
            f"or date-time (2024-03-31T14:05:00+02:00)"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=tz)
    return moment


def day_of(moment: datetime, tz: tzinfo) -> date:
    """The day of ``moment`` in ``tz`` (the gate's days are cut in the policy's zone)."""
    return moment.astimezone(tz).date()


# --- Files and header ---------------------------------------------------------------------


@contextmanager
def open_csv(path: str | Path) -> Iterator[IO[str]]:
    """``path`` opened for ``csv`` (UTF-8, a byte-order mark tolerated); errors name the file."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 (closed below)
    except FileNotFoundError:
        raise InputFileError(path, None, "no such file") from None
    except IsADirectoryError:
        raise InputFileError(path, None, "is a directory, not a CSV file") from None
    except OSError as exc:
        raise InputFileError(path, None, f"cannot be read ({exc.strerror or exc})") from None
    with handle:
        yield handle


def decoding_error(path: str | Path) -> RowError:
    """The first line that is not UTF-8: the text layer decodes in blocks, so find it again."""
    with open(path, "rb") as raw:
        for number, line in enumerate(raw, start=1):
            try:
                line.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                return RowError(path, number, f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    return RowError(path, 1, "not UTF-8 text")


@dataclass(frozen=True, slots=True)
class CsvHeader:
    """Where each named column is in a file's rows (header names are stripped of spaces)."""

    path: str
    names: tuple[str, ...]
    positions: dict[str, int]

    def value(self, row: Sequence[str], column: str, line: int) -> str:
        position = self.positions[column]
        if position >= len(row):
            raise RowError(
                self.path,
                line,
                f"missing value for column {column!r}: the row has {len(row)} "
                f"field{'s' if len(row) != 1 else ''}, the header {len(self.names)}",
            )
        return row[position]

    def ignored(self, used: Sequence[str]) -> tuple[str, ...]:
        """The header's column names a reader does not use, in file order: every command
        names them in its output, so a misspelt optional column (``tittle``) is seen at once."""
        wanted = set(used)
        return tuple(name for name in self.names if name not in wanted)

    def optional(self, row: Sequence[str], column: str) -> str | None:
        position = self.positions.get(column)
        if position is None or position >= len(row):
            return None
        return row[position]


def read_header(reader: Iterator[list[str]], path: str | Path, required: Sequence[str]) -> CsvHeader:
    """Read line 1 and check it names every ``required`` column (others are kept, unused)."""
    expected = ", ".join(required)
    try:
        row = next(reader)
    except StopIteration:
        raise RowError(path, 1, f"the file is empty: expected a header row naming {expected}") from None
    except UnicodeDecodeError:
        raise decoding_error(path) from None
    except csv.Error as exc:
        raise RowError(path, 1, f"not a valid CSV header ({exc})") from None
    names = tuple(name.strip() for name in row)
    positions: dict[str, int] = {}
    for position, name in enumerate(names):
        if name in positions and name in required:
            raise RowError(path, 1, f"column {name!r} appears twice in the header")
        positions.setdefault(name, position)
    missing = [column for column in required if column not in positions]
    if missing:
        found = ", ".join(repr(name) for name in names if name) or "no column names"
        raise RowError(
            path,
            1,
            f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} in the "
            f"header (expected {expected}; found {found})",
        )
    return CsvHeader(str(path), names, positions)


def non_blank_value(row: Sequence[str], header: CsvHeader, column: str, *, line: int) -> str:
    """The row's value of ``column``, refused when it is empty or only spaces."""
    value = header.value(row, column, line)
    if not value.strip():
        raise RowError(header.path, line, f"{column} is empty")
    return value


# --- Rows ---------------------------------------------------------------------------------

Row = TypeVar("Row")


def checked_rows(
    path: str | Path,
    required: Sequence[str],
    parse: Callable[[list[str], CsvHeader, int], Row],
    *,
    skip_invalid: bool,
    on_skip: Callable[[RowError], None] | None,
) -> Iterator[Row]:
    """Every row of ``path`` that ``parse`` accepts, in file order (the header is line 1).

    ``parse`` raises :class:`RowError` for a bad row: that stops the reading, or with
    ``skip_invalid`` the row is passed to ``on_skip`` and left out. Blank lines are not rows.
    """
    with open_csv(path) as handle:
        reader = csv.reader(handle)
        header = read_header(reader, path, required)
        try:
            for row in reader:
                if not row:
                    continue  # a blank line is not a row
                try:
                    yield parse(row, header, reader.line_num)
                except RowError as error:
                    if not skip_invalid:
                        raise
                    if on_skip is not None:
                        on_skip(error)
        except UnicodeDecodeError:
            raise decoding_error(path) from None
        except csv.Error as exc:
            raise RowError(path, reader.line_num, f"not a valid CSV row ({exc})") from None
