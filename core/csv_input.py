"""Reading CSV input files row by row: errors that name the file and line, the header.

Strict, for every reader (both backtest engines, both imports): what is not a well-formed
table is refused with the file, the line where the row starts (the header is line 1) and
the reason, never read some other way. Malformed are:

* a quoted field still open at the end of the file (it would swallow every row after it),
  or a closing quote followed by other text (``"a"b``): Python's ``csv`` in strict mode;
* a row with more or fewer fields than the header (an unquoted comma cuts a text short);
* a NUL byte anywhere (no text contains one, and PostgreSQL cannot store it);
* a value the row's definition refuses (:mod:`reviews.csv_rows`, :mod:`gate.improvement_rows`):
  a SKU outside :mod:`core.skus`' rule, a rating, a date, a field too long to store.

Unknown columns are ignored, as the spec says, and each command names them
(:meth:`CsvHeader.ignored`), so a misspelt optional column is seen at once.

Pure (standard library only, no Django): ``manage.py gate_backtest`` runs without
``django.setup()`` and reads its files through this module.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import IO, Protocol, TypeVar

from core.skus import sku_problem

__all__ = [
    "PROGRESS_EVERY",
    "CsvHeader",
    "CsvRows",
    "InputFileError",
    "RowError",
    "checked_rows",
    "contains_nul",
    "csv_error",
    "csv_reader",
    "day_of",
    "decoding_error",
    "file_header",
    "last_row_start",
    "open_csv",
    "parse_moment",
    "read_header",
    "row_shape_check",
    "row_start_line",
    "sku_value",
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


class CsvRows(Protocol):
    """A ``csv.reader``: rows, and the line the last one ended on."""

    @property
    def line_num(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...


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


def csv_reader(handle: IO[str]) -> CsvRows:
    """Python's ``csv`` reader in strict mode: a quote left open at the end of the file, or
    a closing quote followed by other text, is an error rather than a silently read field."""
    return csv.reader(handle, strict=True)


def csv_error(path: str | Path, error: csv.Error, *, start_line: int, end_line: int) -> RowError:
    """A ``csv.Error`` of the strict reader, in words: ``start_line`` is where the row that
    failed starts, ``end_line`` where the reader stopped."""
    text = str(error)
    if "unexpected end of data" in text:
        return RowError(
            path,
            start_line,
            f"a quoted field opened in this row is still open at the end of the file (line {end_line:,}), "
            "so it would swallow every row after it: close the quote (a quote inside a quoted field is "
            'written twice, "")',
        )
    if "expected after" in text:
        return RowError(
            path,
            end_line,
            'a closing quote is followed by other text: a quote inside a quoted field is written twice ("")',
        )
    return RowError(path, end_line, f"not a valid CSV row ({text})")


def last_row_start(path: str | Path) -> int:
    """The line where the file's last row starts (read leniently): where a quote left open
    at the end of the file was opened, for the error message."""
    start = previous_end = 0
    with open_csv(path) as handle:
        reader = csv.reader(handle)
        for _row in reader:
            start, previous_end = previous_end + 1, reader.line_num
    return max(start, 1)


def row_start_line(row: Sequence[str], end_line: int) -> int:
    """The line a row starts on, from the line it ended on (``csv``'s ``line_num``): a line
    break inside a quoted field (``\r\n``, ``\n`` or ``\r``) is one more line."""
    breaks = 0
    for value in row:
        if "\n" in value or "\r" in value:
            breaks += value.count("\n") + value.count("\r") - value.count("\r\n")
    return end_line - breaks


_NUL_SCAN_BYTES = 1 << 20


def contains_nul(path: str | Path) -> bool:
    """Whether the file has a NUL byte anywhere (a fast scan: then each row is checked)."""
    with open(path, "rb") as raw:
        while block := raw.read(_NUL_SCAN_BYTES):
            if b"\x00" in block:
                return True
    return False


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
        return tuple(
            name or f"(column {position + 1}, unnamed)"
            for position, name in enumerate(self.names)
            if name not in wanted
        )

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
    if any("\x00" in name for name in names):
        raise RowError(path, 1, "a NUL byte in the header: not a CSV text file")
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


def row_shape_check(row: Sequence[str], header: CsvHeader, line: int, *, nul_possible: bool) -> None:
    """Refuse a row whose number of fields is not the header's, or (when the file has one
    somewhere: ``nul_possible``) a row holding a NUL byte."""
    width = len(header.names)
    if len(row) != width:
        hint = (
            "a value with a comma in it must be quoted"
            if len(row) > width
            else "a value is missing, or the row is cut by a line break"
        )
        raise RowError(
            header.path,
            line,
            f"the row has {len(row)} field{'s' if len(row) != 1 else ''}, the header {width} ({hint})",
        )
    if nul_possible:
        for position, value in enumerate(row):
            if "\x00" in value:
                raise RowError(header.path, line, f"a NUL byte in column {header.names[position]!r}: not text")


def sku_value(row: Sequence[str], header: CsvHeader, column: str, *, line: int) -> str:
    """The row's value of ``column``, refused unless it is a valid SKU (:mod:`core.skus`)."""
    value = header.value(row, column, line)
    problem = sku_problem(value)
    if problem is not None:
        raise RowError(header.path, line, f"{column}: {problem}")
    return value


def file_header(path: str | Path, required: Sequence[str]) -> CsvHeader:
    """The header of the file at ``path`` (checked as :func:`read_header` does)."""
    with open_csv(path) as handle:
        return read_header(csv_reader(handle), path, required)


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

    A malformed row (see the module's docstring) or one ``parse`` refuses (it raises
    :class:`RowError`) stops the reading, or with ``skip_invalid`` the row is passed to
    ``on_skip`` and left out. Blank lines are not rows. ``parse`` gets the line the row
    starts on.
    """
    nul_possible = contains_nul(path)

    def refuse(error: RowError) -> None:
        if not skip_invalid:
            raise error
        if on_skip is not None:
            on_skip(error)

    with open_csv(path) as handle:
        reader = csv_reader(handle)
        header = read_header(reader, path, required)
        rows = iter(reader)
        while True:
            start = reader.line_num + 1
            try:
                row = next(rows)
            except StopIteration:
                return
            except UnicodeDecodeError:
                raise decoding_error(path) from None  # the text layer is lost: never skipped
            except csv.Error as exc:
                refuse(csv_error(path, exc, start_line=start, end_line=reader.line_num))
                continue  # the reader goes on at the next line
            if not row:
                continue  # a blank line is not a row
            try:
                row_shape_check(row, header, start, nul_possible=nul_possible)
                parsed = parse(row, header, start)
            except RowError as error:
                refuse(error)
                continue
            yield parsed
