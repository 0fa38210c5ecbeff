"""``gate_backtest``'s engine: the spec's gate replayed over CSV files, streaming.

Reading
-------
:func:`read_header`, :func:`parse_review_row`, :func:`iter_reviews` and
:func:`iter_improvements` are the one definition of a valid review or improvement row;
``import_reviews`` and ``import_improvements`` reuse them. A bad row raises
:class:`RowError` (``.path``, ``.line`` with the header as line 1, ``.reason``).

Replaying
---------
:func:`run_backtest` drives :mod:`gate.policy` day by day, exactly as the scheduled engine
does, and hands the events, in the spec's order, to an :class:`EventSink`.

This module is the *row engine*: it takes any file, and is the reference. Large files
that are sorted by day and valid go first to the *columnar engine*
(:mod:`gate.backtest_columnar`, pyarrow and numpy), which gives the same events and
summary two to three times faster, and hands anything else back here (docs/gate.md). Both
share :class:`_Replay`, the order of days; what follows is about the row engine.

*Memory.* Reviews are never kept. Per product the engine holds a running ``count`` and
``sum`` (packed in one int) and, with a window of N days, each day's per-product
figures until they leave the window: memory grows with products x days in the window,
not with reviews. Improvements (a small file) are held whole.

*Speed.* Rows are checked on a fast path (dictionary look-ups: ratings, and a cache of
parsed date strings since dates repeat); only a row that fails it goes through the full
parser, which produces the error. A day evaluates only the products that can change on
it (see :mod:`gate.policy`): new reviews, reviews leaving the window, improvements,
deadlines, and every product on the first evaluated day.

*Unsorted files.* The first pass assumes the file is sorted by day. On the first row
whose day is earlier than a day already seen, the pass is abandoned (its events are
discarded: a sink can forget them) and the file is read again through an external
sort: per-product-per-day figures are written in sorted runs of at most
``_RUN_ENTRIES`` entries to temporary files and merged. That costs a second read of the
file, a sort, and temporary disk of about 24 bytes per product-day (about three times the
work of a sorted file in all, see docs/performance.md), with memory still bounded by the
run size, not the file size.
"""

from __future__ import annotations

import csv
import heapq
import itertools
import tempfile
from abc import ABC, abstractmethod
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import IO, Any, Generic, Literal, Protocol, TypeVar

from gate.policy import (
    ACTIVE,
    DayStats,
    EventKind,
    GateEvent,
    GatePolicy,
    GateState,
    ProductGateState,
    apply_improvement,
    deadline_day,
    evaluate_day,
    event_sort_key,
)

__all__ = [
    "IMPROVEMENT_COLUMNS",
    "REVIEW_COLUMNS",
    "BacktestSummary",
    "CsvHeader",
    "Engine",
    "EventList",
    "EventSink",
    "ImprovementRow",
    "InputFileError",
    "JsonLinesSink",
    "ReviewRow",
    "RowError",
    "backtest_events",
    "iter_improvements",
    "iter_reviews",
    "open_csv",
    "parse_improvement_row",
    "parse_moment",
    "parse_rating",
    "parse_review_row",
    "read_header",
    "run_backtest",
]

REVIEW_COLUMNS = ("product_id", "rating", "created_at")
IMPROVEMENT_COLUMNS = ("product_id", "logged_at")

PROGRESS_EVERY = 100_000

Engine = Literal["auto", "rows", "columnar"]
# "auto" takes the columnar engine for files of this size or more. Below it, importing
# numpy and pyarrow (about 0.15 s) costs more than the columnar engine saves (about 0.8 s
# a million rows; docs/performance.md).
COLUMNAR_MIN_BYTES = 8 << 20

_RATINGS = {str(value): value for value in range(1, 6)}
# A day's figures for a product are packed in one int: count in the low 32 bits, sum above.
_COUNT_BITS = 32
_COUNT_MASK = (1 << _COUNT_BITS) - 1
_INCREMENTS = {text: 1 + (value << _COUNT_BITS) for text, value in _RATINGS.items()}
_DATE_CACHE_LIMIT = 1 << 16
_RUN_ENTRIES = 250_000


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


# --- Reading ------------------------------------------------------------------------------


def parse_rating(text: str) -> int:
    """A rating written exactly as one of the digits 1 to 5; anything else is refused."""
    rating = _RATINGS.get(text)
    if rating is None:
        if text == "":
            raise ValueError("rating is empty")
        raise ValueError(f"rating must be an integer from 1 to 5, got {text!r}")
    return rating


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


def _day_of(moment: datetime, tz: tzinfo) -> date:
    return moment.astimezone(tz).date()


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


def _decoding_error(path: str | Path) -> RowError:
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
        raise _decoding_error(path) from None
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


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """A valid review row. ``created_at`` is aware; ``extra`` holds the optional columns asked for."""

    line: int
    product_id: str
    rating: int
    created_at: datetime
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ImprovementRow:
    line: int
    product_id: str
    logged_at: datetime


def _product_id(row: Sequence[str], header: CsvHeader, line: int) -> str:
    product_id = header.value(row, "product_id", line)
    if not product_id.strip():
        raise RowError(header.path, line, "product_id is empty")
    return product_id


def parse_review_row(
    row: Sequence[str],
    header: CsvHeader,
    *,
    line: int,
    tz: tzinfo,
    extra_columns: Sequence[str] = (),
) -> ReviewRow:
    """Check one review row; raises :class:`RowError` naming the file, line and reason."""
    product_id = _product_id(row, header, line)
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


def parse_improvement_row(row: Sequence[str], header: CsvHeader, *, line: int, tz: tzinfo) -> ImprovementRow:
    product_id = _product_id(row, header, line)
    logged_text = header.value(row, "logged_at", line)
    try:
        logged_at = parse_moment(logged_text, tz, column="logged_at")
    except ValueError as exc:
        raise RowError(header.path, line, str(exc)) from None
    return ImprovementRow(line, product_id, logged_at)


def _checked_rows(
    path: str | Path,
    required: Sequence[str],
    parse: Callable[[list[str], CsvHeader, int], _Row],
    *,
    skip_invalid: bool,
    on_skip: Callable[[RowError], None] | None,
) -> Iterator[_Row]:
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
            raise _decoding_error(path) from None
        except csv.Error as exc:
            raise RowError(path, reader.line_num, f"not a valid CSV row ({exc})") from None


_Row = TypeVar("_Row", ReviewRow, ImprovementRow)


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

    return _checked_rows(path, REVIEW_COLUMNS, parse, skip_invalid=skip_invalid, on_skip=on_skip)


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

    return _checked_rows(path, IMPROVEMENT_COLUMNS, parse, skip_invalid=skip_invalid, on_skip=on_skip)


# --- Events out ---------------------------------------------------------------------------


class EventSink(Protocol):
    """Where the engine puts events, in order. ``discard`` forgets them all (a pass restarts)."""

    def add(self, event: GateEvent) -> None: ...

    def discard(self) -> None: ...


class EventList(list[GateEvent]):
    """Events kept in memory (tests, small runs)."""

    def add(self, event: GateEvent) -> None:
        self.append(event)

    def discard(self) -> None:
        self.clear()


class JsonLinesSink:
    """Events written as JSON Lines to a seekable text stream (a spooled temporary file)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def add(self, event: GateEvent) -> None:
        self.stream.write(event.to_json())
        self.stream.write("\n")

    def discard(self) -> None:
        self.stream.seek(0)
        self.stream.truncate()


# --- The replay ---------------------------------------------------------------------------


@dataclass
class BacktestSummary:
    """What a run read and did; the command prints it on standard error."""

    reviews: int = 0
    improvements: int = 0
    rows_skipped: int = 0
    superseded_reviews: int = 0
    products_seen: int = 0
    first_day: date | None = None
    last_day: date | None = None
    events: int = 0
    events_by_kind: dict[str, int] = field(default_factory=dict)
    products_flagged: int = 0
    products_withdrawn: int = 0
    products_reinstated: int = 0
    still_flagged: int = 0
    still_withdrawn: int = 0
    sorted_input: bool = True


# A day's reviews as an engine holds them: {product id: packed figures} in the row engine,
# three arrays (product numbers, counts, sums) in the columnar one.
_Batch = TypeVar("_Batch")


class _Unsorted(Exception):
    """A review day earlier than one already replayed: the file is not sorted by day."""


class _SkipReporter:
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


@dataclass
class _Improvements:
    """The improvements file, grouped by day (ordinal) in ``logged_at`` order."""

    by_day: dict[int, list[str]] = field(default_factory=dict)
    # The latest improvement of a product on a day: reviews of that day written before it
    # belong to a revision that is never evaluated again, so they are dropped on reading.
    last_on_day: dict[int, dict[str, datetime]] = field(default_factory=dict)
    products: set[str] = field(default_factory=set)
    count: int = 0


def _load_improvements(rows: Iterable[ImprovementRow], tz: tzinfo) -> _Improvements:
    improvements = _Improvements()
    # Sorted by instant; equal instants keep file order (the sort is stable).
    for row in sorted(rows, key=lambda row: row.logged_at):
        day = _day_of(row.logged_at, tz).toordinal()
        improvements.by_day.setdefault(day, []).append(row.product_id)
        improvements.last_on_day.setdefault(day, {})[row.product_id] = row.logged_at
        improvements.products.add(row.product_id)
        improvements.count += 1
    return improvements


class _ReviewScanner:
    """Reads the reviews file once, yielding ``(day, {product: packed figures})`` batches.

    Consecutive rows of one day form one batch, so a sorted file gives each day once, in
    order. Rows are checked on a fast path; the full parser only sees rows that fail it,
    and decides whether they are errors.
    """

    def __init__(
        self,
        path: str | Path,
        tz: tzinfo,
        improvements: _Improvements,
        skip: _SkipReporter,
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

    def _slow_row(
        self, row: list[str], header: CsvHeader, line: int, cache: dict[str, int]
    ) -> tuple[str, int, str] | None:
        """The full check of a row the fast path did not accept: an error, a skip, or the
        row's (product, packed figures, date text), with the date text now cached."""
        if not row:
            self.not_reviews += 1
            return None  # a blank line is not a row
        try:
            review = parse_review_row(row, header, line=line, tz=self.tz)
        except RowError as error:
            self._bad_row(error)
            return None
        if len(cache) >= _DATE_CACHE_LIMIT:
            cache.clear()  # keep memory flat
        created_text = row[header.positions["created_at"]]
        cache[created_text] = _day_of(review.created_at, self.tz).toordinal()
        self.products.add(review.product_id)
        return review.product_id, _INCREMENTS[row[header.positions["rating"]]], created_text

    def _bad_row(self, error: RowError) -> None:
        if not self.skip.skip_invalid:
            raise error
        self.skip(error)
        self.not_reviews += 1

    def batches(self) -> Generator[tuple[int, dict[str, int]], None, None]:
        # The hot loop: about a million rows a second. Each row costs three subscripts,
        # two dictionary look-ups (rating, cached date) and one update of the day's batch.
        path, tz = self.path, self.tz
        last_on_day = self.improvements.last_on_day
        increment_of = _INCREMENTS.get
        cache: dict[str, int] = {}
        cached_day = cache.get
        from_iso = datetime.fromisoformat
        products = self.products
        with open_csv(path) as handle:
            reader = csv.reader(handle)
            header = read_header(reader, path, REVIEW_COLUMNS)
            product_at = header.positions["product_id"]
            rating_at = header.positions["rating"]
            created_at = header.positions["created_at"]
            batch: dict[str, int] = {}
            current = -1
            current_text = None  # rows are grouped on the date text: a string compare
            superseding: dict[str, datetime] | None = None
            rows = 0
            next_progress = PROGRESS_EVERY
            try:
                for row in reader:
                    rows += 1
                    try:
                        product_id = row[product_at]
                        increment = increment_of(row[rating_at], 0)  # 0: not a rating
                        created_text = row[created_at]
                    except IndexError:
                        increment = 0
                    if not increment or product_id not in products or created_text != current_text:
                        # Off the common path: a new date text, or a row to check in full.
                        day = -1
                        if increment and product_id in products:
                            day = cached_day(created_text, -1)
                            if day < 0:
                                # parse_moment's reading, inlined: date-times rarely repeat.
                                try:
                                    moment = from_iso(created_text)
                                except ValueError:
                                    pass  # the full check names the error
                                else:
                                    day = (
                                        moment.toordinal()
                                        if moment.tzinfo is None
                                        else moment.astimezone(tz).toordinal()
                                    )
                                    if len(cache) >= _DATE_CACHE_LIMIT:
                                        cache.clear()  # keep memory flat
                                    cache[created_text] = day
                        if day < 0:
                            checked = self._slow_row(row, header, reader.line_num, cache)
                            if checked is None:
                                continue
                            product_id, increment, created_text = checked
                            day = cache[created_text]
                        if created_text != current_text:
                            current_text = created_text
                            if day != current:
                                if batch:
                                    yield current, batch
                                    batch = {}
                                current = day
                                superseding = last_on_day.get(day)
                                if rows >= next_progress and self.progress is not None:
                                    self.progress(f"{path}: {rows:,} rows read{self.note}")
                                    next_progress = rows + PROGRESS_EVERY
                    if superseding is not None:
                        improved_at = superseding.get(product_id)
                        if improved_at is not None and parse_moment(created_text, tz) < improved_at:
                            self.superseded += 1
                            continue
                    batch[product_id] = batch.get(product_id, 0) + increment
            except UnicodeDecodeError:
                raise _decoding_error(path) from None
            except csv.Error as exc:
                raise RowError(path, reader.line_num, f"not a valid CSV row ({exc})") from None
        self.reviews = rows - self.not_reviews
        if batch:
            yield current, batch


def _spill(run: list[tuple[int, int, int]], stack: ExitStack) -> IO[bytes]:
    run.sort()
    spill = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (the stack closes it)
    array("q", itertools.chain.from_iterable(run)).tofile(spill)
    spill.seek(0)
    return spill


def _read_run(spill: IO[bytes]) -> Iterator[tuple[int, int, int]]:
    while True:
        block = array("q")
        # A last, shorter block raises EOFError but is read into ``block`` all the same.
        with suppress(EOFError):
            block.fromfile(spill, 3 * 8192)
        if not block:
            return
        values = iter(block)
        yield from zip(values, values, values, strict=True)


def _externally_sorted(
    batches: Iterable[tuple[int, dict[str, int]]], stack: ExitStack
) -> Iterator[tuple[int, dict[str, int]]]:
    """The same batches, merged by day: sorted runs on disk, then a k-way merge."""
    index: dict[str, int] = {}
    names: list[str] = []
    run: list[tuple[int, int, int]] = []
    spills: list[IO[bytes]] = []
    for day, incoming in batches:
        for product_id, figures in incoming.items():
            number = index.get(product_id)
            if number is None:
                number = index[product_id] = len(names)
                names.append(product_id)
            run.append((day, number, figures))
        if len(run) >= _RUN_ENTRIES:
            spills.append(_spill(run, stack))
            run = []
    run.sort()
    merged = heapq.merge(*(_read_run(spill) for spill in spills), iter(run))
    current = -1
    batch: dict[str, int] = {}
    for day, number, figures in merged:
        if day != current:
            if batch:
                yield current, batch
                batch = {}
            current = day
        product_id = names[number]
        batch[product_id] = batch.get(product_id, 0) + figures
    if batch:
        yield current, batch


class _Replay(ABC, Generic[_Batch]):
    """The day order of a replay, shared by both engines: which days are replayed, from
    ``--from`` to ``--to``, and what is recorded of the events. An engine subclasses it
    with ``_replay_day`` (one day: improvements, reviews, evaluation) and ``final_states``.
    """

    def __init__(
        self,
        policy: GatePolicy,
        improvements: _Improvements,
        sink: EventSink,
        from_day: int | None,
        to_day: int | None,
    ) -> None:
        self.policy = policy
        self.sink = sink
        self.from_day = from_day
        self.to_day = to_day
        self.first_improvement_day = min(improvements.by_day, default=None)
        self.last_improvement_day = max(improvements.by_day, default=None)
        self.agenda: list[int] = list(improvements.by_day)  # days with work, as a heap
        heapq.heapify(self.agenda)
        if from_day is not None:
            heapq.heappush(self.agenda, from_day)
        self.last_fed = -1
        self.last_day = -1
        self.started = False
        self.events_by_kind: dict[str, int] = {}
        self.flagged: set[str] = set()
        self.withdrawn: set[str] = set()
        self.reinstated: set[str] = set()

    def feed(self, day: int, batch: _Batch) -> None:
        if day <= self.last_fed:
            raise _Unsorted
        self.last_fed = day
        if self.from_day is None:
            # Default --from: the earliest review or improvement day.
            first = day
            if self.first_improvement_day is not None:
                first = min(first, self.first_improvement_day)
            self.from_day = first
            heapq.heappush(self.agenda, first)
        if self.to_day is not None and day > self.to_day:
            return  # read (and checked) but after the last evaluated day
        self._run_agenda(through=day - 1)
        self._replay_day(day, batch)

    def finish(self) -> tuple[int | None, int | None]:
        """Replay the remaining days; returns the evaluated range (ordinals), if any."""
        if self.from_day is None:
            # No review at all: the days start with the first improvement, if any.
            self.from_day = self.first_improvement_day
            if self.from_day is not None:
                heapq.heappush(self.agenda, self.from_day)
        end = self.to_day
        if end is None:
            # Default --to: the latest review or improvement day.
            last_days = [self.last_improvement_day]
            if self.last_fed >= 0:
                last_days.append(self.last_fed)
            end = max((day for day in last_days if day is not None), default=None)
        if self.from_day is None or end is None:
            return None, None
        self._run_agenda(through=end)
        if self.from_day > end:
            return None, None
        return self.from_day, end

    def _run_agenda(self, *, through: int) -> None:
        agenda = self.agenda
        while agenda and agenda[0] <= through:
            self._replay_day(heapq.heappop(agenda), None)

    @abstractmethod
    def _replay_day(self, day: int, batch: _Batch | None) -> None:
        """Replay one day (``batch``: its reviews, if any), at most once."""

    @abstractmethod
    def final_states(self) -> list[ProductGateState]:
        """The states of the products not active at the end."""

    def _record(self, event: GateEvent) -> None:
        self.sink.add(event)
        kind = event.kind
        self.events_by_kind[kind.value] = self.events_by_kind.get(kind.value, 0) + 1
        if kind is EventKind.FLAGGED:
            self.flagged.add(event.product_id)
        elif kind is EventKind.WITHDRAWN:
            self.withdrawn.add(event.product_id)
        elif kind is EventKind.REINSTATED:
            self.reinstated.add(event.product_id)


class _Simulation(_Replay[dict[str, int]]):
    """The row engine's replay, over packed per-product figures (see the module doc)."""

    def __init__(
        self,
        policy: GatePolicy,
        improvements: _Improvements,
        sink: EventSink,
        from_day: int | None,
        to_day: int | None,
    ) -> None:
        super().__init__(policy, improvements, sink, from_day, to_day)
        self.improvements_by_day = dict(improvements.by_day)
        self.totals: dict[str, int] = {}  # product -> packed figures of the counted reviews
        self.states: dict[str, ProductGateState] = {}  # products not active, only
        self.exits: dict[int, dict[str, int]] = {}  # day -> the batch leaving the window then
        self.deadlines: dict[int, list[str]] = {}

    def final_states(self) -> list[ProductGateState]:
        return list(self.states.values())

    def _start_revision(self, product_id: str, day: int) -> None:
        """An improvement on ``day``: nothing counted, and no pending window exit of the old
        revision may be subtracted from the new one."""
        self.totals.pop(product_id, None)
        window = self.policy.window_days
        for leaving_day in range(day, day + window):
            leaving = self.exits.get(leaving_day)
            if leaving is not None:
                leaving.pop(product_id, None)

    def _replay_day(self, day: int, batch: dict[str, int] | None) -> None:
        """Replay one day: improvements, reviews leaving the window, the day's reviews, then
        the evaluation of the products that can change (see :mod:`gate.policy`)."""
        if day <= self.last_day:
            return  # already replayed (a day can be on the agenda more than once)
        self.last_day = day
        evaluated = self.from_day is not None and day >= self.from_day
        policy = self.policy
        totals = self.totals
        states = self.states
        the_day = date.fromordinal(day)
        events: list[GateEvent] = []
        # Products whose evaluation can give an event; others provably give none.
        pending: set[str] = set()

        # 1. Improvements: a new revision (nothing counted yet), in logged_at order.
        for product_id in self.improvements_by_day.pop(day, ()):
            self._start_revision(product_id, day)
            if evaluated:
                _, improvement = apply_improvement(states.pop(product_id, ACTIVE), day=the_day, product_id=product_id)
                events.append(improvement)
                pending.add(product_id)

        # 2. The day's reviews (any written before a same-day improvement were dropped) and
        # those leaving the window (written on day - window_days).
        leaving = self.exits.pop(day, None)
        if batch and policy.window_days:
            leaves = day + policy.window_days
            self.exits[leaves] = batch
            heapq.heappush(self.agenda, leaves)
        if not evaluated:
            if batch:
                for product_id, figures in batch.items():
                    totals[product_id] = totals.get(product_id, 0) + figures
            if leaving:
                for product_id, figures in leaving.items():
                    totals[product_id] -= figures
            return

        # 3. Which products can change. An active product that is not below cannot, nor can
        # a withdrawn one (only an improvement ends a withdrawal): the
        # test below is GatePolicy.is_below unrolled for the hot loop (the property tests
        # compare the whole replay with one calling evaluate_day for every product, every
        # day). A product both reviewed and leaving is looked at twice, the first time
        # before its exit: that can only add it to ``pending`` needlessly, never miss it.
        numerator = policy.threshold.numerator
        denominator = policy.threshold.denominator
        min_reviews = policy.min_reviews
        if batch:
            for product_id, figures in batch.items():
                figures += totals.get(product_id, 0)
                totals[product_id] = figures
                state = states.get(product_id)
                if state is None:
                    count = figures & _COUNT_MASK
                    if count >= min_reviews and (figures >> _COUNT_BITS) * denominator < numerator * count:
                        pending.add(product_id)
                elif state.state is GateState.FLAGGED:
                    pending.add(product_id)
        if leaving:
            for product_id, figures in leaving.items():
                figures = totals[product_id] - figures
                totals[product_id] = figures
                state = states.get(product_id)
                if state is None:
                    count = figures & _COUNT_MASK
                    if count >= min_reviews and (figures >> _COUNT_BITS) * denominator < numerator * count:
                        pending.add(product_id)
                elif state.state is GateState.FLAGGED:
                    pending.add(product_id)
        pending.update(self.deadlines.pop(day, ()))
        if not self.started:
            # The first evaluated day: every product is active by decree, not by evaluation.
            self.started = True
            pending.update(product_id for product_id, figures in totals.items() if figures)

        # 4. Evaluate them, through the one decision of the spec.
        for product_id in pending:
            figures = totals.get(product_id, 0)
            new_state, event = evaluate_day(
                states.get(product_id, ACTIVE),
                DayStats(figures & _COUNT_MASK, figures >> _COUNT_BITS),
                day=the_day,
                product_id=product_id,
                policy=policy,
            )
            if event is None:
                continue
            events.append(event)
            if new_state.state is GateState.ACTIVE:
                states.pop(product_id, None)
            else:
                states[product_id] = new_state
            deadline = deadline_day(new_state, policy)
            if deadline is not None:
                self.deadlines.setdefault(deadline.toordinal(), []).append(product_id)
                heapq.heappush(self.agenda, deadline.toordinal())

        events.sort(key=event_sort_key)
        for event in events:
            self._record(event)


def run_backtest(
    reviews_path: str | Path,
    *,
    policy: GatePolicy,
    sink: EventSink,
    improvements_path: str | Path | None = None,
    from_day: date | None = None,
    to_day: date | None = None,
    skip_invalid: bool = False,
    on_skip: Callable[[RowError], None] | None = None,
    progress: Callable[[str], None] | None = None,
    engine: Engine = "auto",
) -> BacktestSummary:
    """Replay the gate over a reviews CSV (and improvements CSV); events go to ``sink``.

    Days run from ``from_day`` (default: the earliest review or improvement day) to
    ``to_day`` (default: the latest), every product ``active`` on ``from_day``; earlier
    days are replayed silently (their reviews count, their improvements set the revision).
    Raises :class:`InputFileError` / :class:`RowError` on bad input (unless
    ``skip_invalid``: then each bad row goes to ``on_skip`` once and is counted), and
    ``ValueError`` when ``from_day`` is after ``to_day``.

    ``engine``: ``"auto"`` replays with the columnar engine (:mod:`gate.backtest_columnar`)
    when the file is large enough to gain from it (:data:`COLUMNAR_MIN_BYTES`) and it can
    take the file, and with the row engine otherwise; both give the same events and
    summary. ``"rows"`` and ``"columnar"`` force one (``"columnar"`` raises
    ``NotColumnar`` when it cannot take the file): for tests and benchmarks.
    """
    if from_day is not None and to_day is not None and from_day > to_day:
        raise ValueError(f"--from {from_day} is after --to {to_day}")
    tz = policy.tzinfo
    improvement_skips = _SkipReporter(skip_invalid, on_skip)
    improvements = _Improvements()
    if improvements_path is not None:
        improvements = _load_improvements(
            iter_improvements(improvements_path, tz, skip_invalid=skip_invalid, on_skip=improvement_skips),
            tz,
        )
    review_skips = _SkipReporter(skip_invalid, on_skip)
    first = from_day.toordinal() if from_day is not None else None
    last = to_day.toordinal() if to_day is not None else None
    summary = BacktestSummary()

    if engine == "columnar" or (engine == "auto" and _file_size(reviews_path) >= COLUMNAR_MIN_BYTES):
        columnar = _replay_columnar(
            reviews_path, policy, improvements, sink, first, last, progress, required=engine == "columnar"
        )
        if columnar is not None:
            simulation, reader = columnar
            evaluated = simulation.finish()
            reviewed = {reader.products.names[number] for number in reader.reviewed.nonzero()[0].tolist()}
            summary.reviews = reader.rows
            summary.superseded_reviews = reader.superseded
            return _summarised(summary, simulation, evaluated, improvements, improvement_skips.count, reviewed)

    scanner = _ReviewScanner(reviews_path, tz, improvements, review_skips, progress)
    simulation = _Simulation(policy, improvements, sink, first, last)
    batches = scanner.batches()
    try:
        for day, batch in batches:
            simulation.feed(day, batch)
    except _Unsorted:
        batches.close()
        sink.discard()
        summary.sorted_input = False
        review_skips.restart()
        if progress is not None:
            progress(f"{reviews_path}: not sorted by day; reading it again through a sort")
        scanner = _ReviewScanner(reviews_path, tz, improvements, review_skips, progress, " (second pass)")
        simulation = _Simulation(policy, improvements, sink, first, last)
        with ExitStack() as stack:
            for day, batch in _externally_sorted(scanner.batches(), stack):
                simulation.feed(day, batch)
    evaluated = simulation.finish()
    summary.reviews = scanner.reviews
    summary.superseded_reviews = scanner.superseded
    skipped = improvement_skips.count + review_skips.count
    return _summarised(summary, simulation, evaluated, improvements, skipped, scanner.products)


def _file_size(path: str | Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # the row engine names the problem


def _replay_columnar(
    reviews_path: str | Path,
    policy: GatePolicy,
    improvements: _Improvements,
    sink: EventSink,
    first: int | None,
    last: int | None,
    progress: Callable[[str], None] | None,
    *,
    required: bool,
) -> tuple[Any, Any] | None:
    """The columnar engine's replay, or ``None`` when the row engine must take the file
    (then nothing was kept in ``sink``). With ``required``, that raises instead."""
    with open_csv(reviews_path) as handle:
        reader = csv.reader(handle)
        header = read_header(reader, reviews_path, REVIEW_COLUMNS)
        header_lines = reader.line_num
    try:
        from gate.backtest_columnar import NotColumnar, replay_columnar
    except ImportError as exc:
        if required:
            raise
        if progress is not None:
            progress(f"{reviews_path}: the columnar engine is not available ({exc}); reading it row by row")
        return None
    try:
        if header_lines != 1:
            raise NotColumnar("its header row spans several lines")
        return replay_columnar(
            reviews_path,
            header,
            policy=policy,
            improvements=improvements,
            sink=sink,
            from_day=first,
            to_day=last,
            progress=progress,
            progress_every=PROGRESS_EVERY,
        )
    except NotColumnar as why:
        if required:
            raise
        if progress is not None:
            progress(f"{reviews_path}: {why.reason}; reading it row by row")
        return None


def _summarised(
    summary: BacktestSummary,
    simulation: _Replay[Any],
    evaluated: tuple[int | None, int | None],
    improvements: _Improvements,
    rows_skipped: int,
    reviewed_products: set[str],
) -> BacktestSummary:
    evaluated_from, evaluated_to = evaluated
    summary.improvements = improvements.count
    summary.rows_skipped = rows_skipped
    summary.products_seen = len(reviewed_products | improvements.products)
    if evaluated_from is not None and evaluated_to is not None:
        summary.first_day = date.fromordinal(evaluated_from)
        summary.last_day = date.fromordinal(evaluated_to)
    summary.events_by_kind = dict(simulation.events_by_kind)
    summary.events = sum(summary.events_by_kind.values())
    summary.products_flagged = len(simulation.flagged)
    summary.products_withdrawn = len(simulation.withdrawn)
    summary.products_reinstated = len(simulation.reinstated)
    final_states = simulation.final_states()
    summary.still_flagged = sum(1 for state in final_states if state.state is GateState.FLAGGED)
    summary.still_withdrawn = sum(1 for state in final_states if state.state is GateState.WITHDRAWN)
    return summary


def backtest_events(
    reviews_path: str | Path,
    *,
    policy: GatePolicy,
    improvements_path: str | Path | None = None,
    from_day: date | None = None,
    to_day: date | None = None,
    skip_invalid: bool = False,
    on_skip: Callable[[RowError], None] | None = None,
    engine: Engine = "auto",
) -> tuple[list[GateEvent], BacktestSummary]:
    """:func:`run_backtest` with the events kept in a list (tests, small files)."""
    events = EventList()
    summary = run_backtest(
        reviews_path,
        policy=policy,
        sink=events,
        improvements_path=improvements_path,
        from_day=from_day,
        to_day=to_day,
        skip_invalid=skip_invalid,
        on_skip=on_skip,
        engine=engine,
    )
    return list(events), summary
