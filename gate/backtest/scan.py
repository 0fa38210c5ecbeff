"""The row engine's reading: the reviews file once, as ``(day, {product: packed figures})``.

*Packed figures.* A day's figures for a product are packed in one int: the count of
reviews in the low :data:`COUNT_BITS` bits, the sum of their ratings above. Adding two
packed ints adds counts and sums at once.

*Speed.* Rows are checked on a fast path (dictionary look-ups: ratings, and a cache of
parsed date strings since dates repeat); only a row that fails it goes through the full
parser (:func:`reviews.csv_rows.parse_review_row`), which produces the error.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Generator, Iterator
from datetime import datetime, tzinfo
from pathlib import Path

from core.csv_input import (
    PROGRESS_EVERY,
    CsvHeader,
    CsvRows,
    RowError,
    contains_nul,
    csv_error,
    csv_reader,
    day_of,
    decoding_error,
    last_row_start,
    open_csv,
    parse_moment,
    read_header,
    row_shape_check,
    row_start_line,
)
from gate.backtest.replay import Improvements
from reviews.csv_rows import RATINGS, REVIEW_COLUMNS, parse_review_row

__all__ = ["COUNT_BITS", "COUNT_MASK", "INCREMENTS", "ReviewScanner", "SkipReporter"]

COUNT_BITS = 32
COUNT_MASK = (1 << COUNT_BITS) - 1
# The packed figures of one review, by rating text.
INCREMENTS = {text: 1 + (value << COUNT_BITS) for text, value in RATINGS.items()}
_DATE_CACHE_LIMIT = 1 << 16


class SkipReporter:
    """Counts skipped rows and reports each once, even when an unsorted file is read twice."""

    def __init__(self, skip_invalid: bool, on_skip: Callable[[RowError], None] | None) -> None:
        self.skip_invalid = skip_invalid
        self.on_skip = on_skip
        self.count = 0
        self.reported_through = 0

    def __call__(self, error: RowError) -> None:
        self.count += 1
        if error.line > self.reported_through:
            self.reported_through = error.line
            if self.on_skip is not None:
                self.on_skip(error)

    def restart(self) -> None:
        self.count = 0


class ReviewScanner:
    """Reads the reviews file once, yielding ``(day, {product: packed figures})`` batches.

    Consecutive rows of one day form one batch, so a sorted file gives each day once, in
    order. Rows are checked on a fast path; the full parser only sees rows that fail it,
    and decides whether they are errors.
    """

    def __init__(
        self,
        path: str | Path,
        tz: tzinfo,
        improvements: Improvements,
        skip: SkipReporter,
        progress: Callable[[str], None] | None,
        note: str = "",
    ) -> None:
        self.path = path
        self.tz = tz
        self.improvements = improvements
        self.skip = skip
        self.progress = progress
        self.note = note
        self.reviews = 0
        self.superseded = 0
        self.not_reviews = 0  # blank lines and skipped rows
        self.products: set[str] = set()  # product ids already checked (not blank)
        self._day_of_text: dict[str, int] = {}  # date text -> day ordinal (a bounded cache)
        self._next_progress = PROGRESS_EVERY
        self._nul_possible = False

    def batches(self) -> Generator[tuple[int, dict[str, int]], None, None]:
        path = self.path
        # A NUL byte is rare: only a file that has one pays for checking every row for it.
        self._nul_possible = contains_nul(path)
        with open_csv(path) as handle:
            reader = csv_reader(handle)
            header = read_header(reader, path, REVIEW_COLUMNS)
            rows: CsvRows = reader if not self.skip.skip_invalid else _SkippingReader(reader, path, self.skip)
            try:
                yield from self._batches(rows, header)
            except UnicodeDecodeError:
                raise decoding_error(path) from None
            except csv.Error as exc:
                # Strict mode only (with --skip-invalid, _SkippingReader reported it).
                start = last_row_start(path) if "end of data" in str(exc) else reader.line_num
                raise csv_error(path, exc, start_line=start, end_line=reader.line_num) from None

    def _batches(  # noqa: C901, PLR0915 - the hot loop, kept whole for speed (see below)
        self, reader: CsvRows, header: CsvHeader
    ) -> Iterator[tuple[int, dict[str, int]]]:
        # The hot loop: about a million rows a second. Each row costs three subscripts,
        # two dictionary look-ups (rating, cached date) and one update of the day's batch.
        # A new date text is read inline, not in a call: in a file with times, date texts
        # rarely repeat, and a call per row costs 10 to 15% (measured). The full check of
        # a row and the start of a new day are calls: they are rare.
        increment_of = INCREMENTS.get
        day_of_text = self._day_of_text
        cached_day = day_of_text.get
        from_iso = datetime.fromisoformat
        tz = self.tz
        products = self.products
        product_at, rating_at, created_at = (header.positions[column] for column in REVIEW_COLUMNS)
        # A row of another width, or any row of a file with a NUL byte, takes the full check.
        width = -1 if self._nul_possible else len(header.names)
        batch: dict[str, int] = {}
        current = -1
        current_text = None  # rows are grouped on the date text: a string compare
        superseding: dict[str, datetime] | None = None
        rows = 0
        product_id = created_text = ""
        for rows, row in enumerate(reader, start=1):  # rows: read after the loop too
            try:
                product_id = row[product_at]
                increment = increment_of(row[rating_at], 0) if len(row) == width else 0  # 0: to check
                created_text = row[created_at]
            except IndexError:
                increment = 0
            if not increment or product_id not in products or created_text != current_text:
                # Off the common path: a new date text, or a row to check in full.
                day = -1
                if increment and product_id in products:
                    day = cached_day(created_text, -1)
                    if day < 0:
                        # parse_moment's reading, inlined: in a file with times, date texts
                        # rarely repeat, so this runs for nearly every row.
                        try:
                            moment = from_iso(created_text)
                        except ValueError:
                            pass  # the full check names the error
                        else:
                            day = moment.toordinal() if moment.tzinfo is None else moment.astimezone(tz).toordinal()
                            if len(day_of_text) >= _DATE_CACHE_LIMIT:
                                day_of_text.clear()  # keep memory flat
                            day_of_text[created_text] = day
                if day < 0:
                    checked = self._checked_row(row, header, reader.line_num)
                    if checked is None:
                        continue
                    product_id, increment, created_text, day = checked
                if created_text != current_text:
                    current_text = created_text
                    if day != current:
                        if batch:
                            yield current, batch
                            batch = {}
                        current = day
                        superseding = self._enter_day(day, rows)
            if superseding is not None and self._superseded(superseding, product_id, created_text):
                continue
            batch[product_id] = batch.get(product_id, 0) + increment
        self.reviews = rows - self.not_reviews
        if batch:
            yield current, batch

    def _checked_row(self, row: list[str], header: CsvHeader, line: int) -> tuple[str, int, str, int] | None:
        """The full check of a row the fast path did not accept: an error, a skip (then
        ``None``, as for a blank line), or the row's (product, packed figures, date text,
        day), with the date text now cached."""
        if not row:
            self.not_reviews += 1
            return None  # a blank line is not a row
        line = row_start_line(row, line)
        try:
            row_shape_check(row, header, line, nul_possible=self._nul_possible)
            review = parse_review_row(row, header, line=line, tz=self.tz)
        except RowError as error:
            self._bad_row(error)
            return None
        created_text = row[header.positions["created_at"]]
        day = day_of(review.created_at, self.tz).toordinal()
        self._remember_day(created_text, day)
        self.products.add(review.product_id)
        return review.product_id, INCREMENTS[row[header.positions["rating"]]], created_text, day

    def _remember_day(self, created_text: str, day: int) -> None:
        cache = self._day_of_text
        if len(cache) >= _DATE_CACHE_LIMIT:
            cache.clear()  # keep memory flat
        cache[created_text] = day

    def _bad_row(self, error: RowError) -> None:
        if not self.skip.skip_invalid:
            raise error
        self.skip(error)
        self.not_reviews += 1

    def _superseded(self, superseding: dict[str, datetime], product_id: str, created_text: str) -> bool:
        """Written on an improvement's day before it: a previous revision, never counted."""
        improved_at = superseding.get(product_id)
        if improved_at is not None and parse_moment(created_text, self.tz) < improved_at:
            self.superseded += 1
            return True
        return False

    def _enter_day(self, day: int, rows: int) -> dict[str, datetime] | None:
        """A new day's batch begins (``rows`` read so far): report progress; returns the
        day's improvements (product -> when), whose earlier reviews of the day are dropped."""
        if rows >= self._next_progress and self.progress is not None:
            self.progress(f"{self.path}: {rows:,} rows read{self.note}")
            self._next_progress = rows + PROGRESS_EVERY
        return self.improvements.last_on_day.get(day)


class _SkippingReader:
    """A strict ``csv`` reader for ``--skip-invalid``: a row the reader itself refuses (a
    quote left open at the end of the file, text after a closing quote) is reported and
    counted through ``refuse``, read as a blank line, and the reading goes on at the next
    line. Only used with ``--skip-invalid``: it costs a generator step per row."""

    def __init__(self, reader: CsvRows, path: str | Path, refuse: Callable[[RowError], None]) -> None:
        self.reader = reader
        self.path = path
        self.refuse = refuse
        self._rows = self._read()

    @property
    def line_num(self) -> int:
        return self.reader.line_num

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        return next(self._rows)

    def _read(self) -> Iterator[list[str]]:
        reader = self.reader
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                self.refuse(csv_error(self.path, exc, start_line=start, end_line=reader.line_num))
                yield []  # not a review, like a blank line
                continue
            yield row
