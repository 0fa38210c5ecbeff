"""``gate_backtest``'s columnar engine: the replay of the row engine, on arrays.

The row-by-row engine (:mod:`gate.backtest.scan`, :mod:`gate.backtest.simulation`)
spends most of its time in per-row and per-product-day Python. This one reads the reviews
file with pyarrow's CSV reader (C++, in blocks of a few MB, on both cores) and does the
per-row and per-product-day work with numpy: a day's reviews become three arrays (product
number, count, sum of ratings); the running figures of every product are two arrays; the
test "can this product change today?" is one vectorised comparison. Python runs once per
block, once per day, and once per product that can change on a day, which goes through
:func:`gate.policy.evaluate_day`, the same decision as everywhere else.

It gives exactly the events and summary of the row engine (the property tests replay
random files through both and compare them), but it only takes the common case: a file
sorted by day whose rows are all valid and read the same by pyarrow as by Python's
``csv``. Anything else raises :class:`NotColumnar` before an event is kept, and
:func:`gate.backtest.run_backtest` replays the file with the row engine, which produces
the exact error (file, line, reason), skips rows under ``--skip-invalid``, or sorts an
unsorted file. The reasons:

* pyarrow or numpy is not installed;
* the CSV does not parse as a table (a row with more or fewer fields than the header,
  text that is not UTF-8, a header row spread over several lines);
* quoting a strict reader refuses, or a NUL byte (:mod:`gate.backtest.prescan`: pyarrow
  would read them silently);
* a value is not valid (a product id outside the SKU rule, a rating other than the digits
  1 to 5, an unreadable date), or the rows are not in day order;
* a threshold whose exact fraction has terms too large for 64-bit integer arithmetic.

Memory is that of the row engine (per product a running count and sum, per day of the
window that day's per-product figures), plus pyarrow's read-ahead of a few blocks.

The module stays whole at about 500 lines: its reader and its replay share the block and
day layout of the arrays, and reading one without the other explains neither.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from core.csv_input import CsvHeader, parse_moment
from core.skus import is_valid_sku
from gate.backtest.replay import Improvements, Replay
from gate.backtest.sinks import EventSink
from gate.policy import (
    ACTIVE,
    DayStats,
    GateEvent,
    GatePolicy,
    GateState,
    ProductGateState,
    apply_improvement,
    deadline_day,
    evaluate_day,
    event_sort_key,
)

try:  # Optional at import time: without them, run_backtest uses the row engine.
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from gate.backtest.prescan import quoting_problem
except ImportError:  # pragma: no cover (both are dependencies of the project)
    np = pa = pc = pacsv = quoting_problem = None  # type: ignore[assignment]

__all__ = ["ColumnReader", "ColumnarSimulation", "NotColumnar", "ProductNumbers", "replay_columnar"]

_BLOCK_BYTES = 1 << 20
# The "below" test multiplies a product's count and sum by the threshold's terms in int64:
# with terms up to 2**20, a count under 2**36 reviews (a sum under 5 x 2**36) cannot
# overflow. Policies with larger terms ("2.99999999999") take the row engine.
_MAX_THRESHOLD_TERM = 1 << 20
_DATE_CACHE_LIMIT = 1 << 16


class NotColumnar(Exception):
    """This input is not for the columnar engine; ``reason`` says why (for the progress log)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# A day's reviews, per product: product numbers (ascending, distinct), counts, rating sums.
DayFigures = tuple[Any, Any, Any]


class ProductNumbers:
    """Product ids numbered in order of first appearance (the arrays' index)."""

    def __init__(self) -> None:
        self.number_of: dict[str, int] = {}
        self.names: list[str] = []

    def number(self, product_id: str) -> int:
        number = self.number_of.get(product_id)
        if number is None:
            number = self.number_of[product_id] = len(self.names)
            self.names.append(product_id)
        return number

    def __len__(self) -> int:
        return len(self.names)


class ColumnReader:
    """Reads the reviews file in blocks; yields each day's figures, in day order."""

    def __init__(
        self,
        path: str | Path,
        header: CsvHeader,
        tz: tzinfo,
        improvements: Improvements,
        products: ProductNumbers,
        progress: Callable[[str], None] | None,
        progress_every: int,
    ) -> None:
        self.path = path
        self.header = header
        self.tz = tz
        self.products = products
        self.progress = progress
        self.progress_every = progress_every
        self.rows = 0
        self.superseded = 0
        self.reviewed = np.zeros(0, dtype=np.bool_)  # which product numbers have a review
        self._date_days: dict[str, int] = {}
        self._known: Any = None  # the numbered product ids, as an Arrow array (for index_in)
        self._last_day = -1
        # (day, product number) of each improvement, and the improvement's moment, for the
        # reviews written on an improvement's day before it (a previous revision).
        self._improved_keys = np.zeros(0, dtype=np.int64)
        self._improved_at: dict[tuple[int, int], datetime] = {}
        for day, latest in improvements.last_on_day.items():
            for product_id, moment in latest.items():
                self._improved_at[(day, products.number(product_id))] = moment
        if self._improved_at:
            self._improved_keys = np.array(sorted(_key(day, number) for day, number in self._improved_at))

    def _open(self) -> Any:
        problem = quoting_problem(self.path)
        if problem is not None:
            raise NotColumnar(problem)
        names = [f"column{position}" for position in range(len(self.header.names))]
        wanted = {column: names[self.header.positions[column]] for column in ("product_id", "rating", "created_at")}
        self.columns = wanted
        try:
            return pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=_BLOCK_BYTES),
                parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
                convert_options=pacsv.ConvertOptions(
                    include_columns=list(wanted.values()),
                    column_types={name: pa.string() for name in wanted.values()},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowException, OSError) as exc:
            raise NotColumnar(f"pyarrow cannot read it ({exc})") from None

    def days(self) -> Iterator[tuple[int, DayFigures]]:
        reader = self._open()
        open_day = -1  # the last day of the previous block: more of it may follow
        open_parts: list[DayFigures] = []
        next_progress = self.progress_every
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except (pa.ArrowException, OSError) as exc:
                raise NotColumnar(f"pyarrow cannot read it ({exc})") from None
            if batch.num_rows == 0:
                continue
            self.rows += batch.num_rows
            for day, figures in self._block_days(batch):
                if day == open_day:
                    open_parts.append(figures)
                    continue
                if open_parts:
                    yield open_day, _merged(open_parts)
                open_day, open_parts = day, [figures]
            if self.progress is not None and self.rows >= next_progress:
                self.progress(f"{self.path}: {self.rows:,} rows read")
                next_progress = self.rows + self.progress_every
        if open_parts:
            yield open_day, _merged(open_parts)

    def _block_days(self, batch: Any) -> list[tuple[int, DayFigures]]:
        """One block's rows, checked, as per-day per-product figures (days ascending)."""
        number = self._product_numbers(batch.column(self.columns["product_id"]))
        rating = self._ratings(batch.column(self.columns["rating"]))
        created = pc.dictionary_encode(batch.column(self.columns["created_at"]))
        day_lookup = self._days_of(created.dictionary.to_pylist())
        day = day_lookup[created.indices.to_numpy(zero_copy_only=False)]
        if day[0] < self._last_day or (day.size > 1 and bool((day[1:] < day[:-1]).any())):
            raise NotColumnar("the rows are not in day order")
        self._last_day = int(day[-1])
        if self.reviewed.size < len(self.products):
            self.reviewed = _grown(self.reviewed, len(self.products))
        self.reviewed[number] = True
        if self._improved_keys.size:
            keep = self._not_superseded(number, day, created)
            if keep is not None:
                number, rating, day = number[keep], rating[keep], day[keep]
                if not day.size:
                    return []
        # Group by (day, product): one sort of the block, then sums over the runs.
        first_day = int(day[0])
        width = len(self.products)
        key = (day - first_day) * width + number
        order = np.argsort(key, kind="stable")
        key = key[order]
        starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
        # Kept in int32 (a day's figures wait in memory for the window's length).
        sums = np.add.reduceat(rating[order], starts).astype(np.int32)
        counts = np.diff(np.append(starts, key.size)).astype(np.int32)
        group_key = key[starts]
        group_day = group_key // width + first_day
        group_number = (group_key % width).astype(np.int32)
        day_starts = np.flatnonzero(np.concatenate(([True], group_day[1:] != group_day[:-1])))
        bounds = [*day_starts.tolist(), group_day.size]
        return [
            (int(group_day[start]), (group_number[start:end], counts[start:end], sums[start:end]))
            for start, end in itertools.pairwise(bounds)
        ]

    def _product_numbers(self, column: Any) -> Any:
        """The product number of each row; a product id not seen before is checked and
        numbered (in C: a hash look-up of each row in the ids already numbered)."""
        numbers = pc.index_in(column, value_set=self._known_products())
        if numbers.null_count:
            for product_id in pc.unique(pc.filter(column, pc.is_null(numbers))).to_pylist():
                if not is_valid_sku(product_id):
                    raise NotColumnar("a row has a product_id that is not a valid SKU")
                self.products.number(product_id)
            numbers = pc.index_in(column, value_set=self._known_products())
        return numbers.to_numpy(zero_copy_only=False).astype(np.int64)

    def _known_products(self) -> Any:
        if self._known is None or len(self._known) != len(self.products):
            self._known = pa.array(self.products.names, type=pa.string())
        return self._known

    @staticmethod
    def _ratings(column: Any) -> Any:
        """The ratings; only the digits 1 to 5, each alone, are ratings (not "05", "+3", "3.0")."""
        try:
            lengths = pc.min_max(pc.utf8_length(column)).as_py()
            values = pc.cast(column, pa.int8()).to_numpy(zero_copy_only=False)
        except pa.ArrowInvalid:
            raise NotColumnar("a row has a rating that is not a digit") from None
        if lengths != {"min": 1, "max": 1} or values.min() < 1 or values.max() > 5:
            raise NotColumnar("a row has a rating other than the digits 1 to 5")
        return values.astype(np.int64)

    def _days_of(self, texts: list[str]) -> Any:
        """Day ordinals of date texts, read as the row engine reads them (cached)."""
        cache = self._date_days
        days = np.empty(len(texts), dtype=np.int64)
        for position, text in enumerate(texts):
            day = cache.get(text)
            if day is None:
                try:
                    moment = datetime.fromisoformat(text)
                except ValueError:
                    raise NotColumnar(f"a row has the date {text!r}") from None
                # A date alone, or a date-time without offset, is read in the policy's zone:
                # its day is its own date.
                day = moment.toordinal() if moment.tzinfo is None else moment.astimezone(self.tz).toordinal()
                if len(cache) >= _DATE_CACHE_LIMIT:
                    cache.clear()  # keep memory flat
                cache[text] = day
            days[position] = day
        return days

    def _not_superseded(self, number: Any, day: Any, created: Any) -> Any | None:
        """Which rows to keep: not those written on an improvement's day before it."""
        candidates = np.flatnonzero(np.isin(_key(day, number), self._improved_keys))
        if not candidates.size:
            return None
        texts = created.dictionary.to_pylist()
        text_index = created.indices.to_numpy(zero_copy_only=False)
        keep = np.ones(day.size, dtype=np.bool_)
        for row in candidates.tolist():
            improved_at = self._improved_at[(int(day[row]), int(number[row]))]
            if parse_moment(texts[text_index[row]], self.tz) < improved_at:
                keep[row] = False
                self.superseded += 1
        return keep


def _key(day: Any, number: Any) -> Any:
    return day * (1 << 32) + number


def _grown(array: Any, size: int) -> Any:
    grown = np.zeros(max(size, 2 * array.size), dtype=array.dtype)
    grown[: array.size] = array
    return grown


def _merged(parts: list[DayFigures]) -> DayFigures:
    """One day's figures from the pieces of it found in consecutive blocks."""
    if len(parts) == 1:
        return parts[0]
    numbers = np.concatenate([part[0] for part in parts])
    distinct, inverse = np.unique(numbers, return_inverse=True)
    counts = np.bincount(inverse, weights=np.concatenate([part[1] for part in parts])).astype(np.int32)
    sums = np.bincount(inverse, weights=np.concatenate([part[2] for part in parts])).astype(np.int32)
    return distinct, counts, sums


class _Figures:
    """Per product number: running figures of the counted reviews, revision day, state."""

    def __init__(self) -> None:
        self.count = np.zeros(0, dtype=np.int64)
        self.total = np.zeros(0, dtype=np.int64)
        # The day the product's current revision began (0: none logged). A review written
        # before it no longer counts, so its window exit must not be subtracted.
        self.revision_day = np.zeros(0, dtype=np.int64)
        # Which products an evaluation can change: the active ones (if below) and the
        # flagged ones. A withdrawn product waits for an improvement.
        self.flagged = np.zeros(0, dtype=np.bool_)
        self.withdrawn = np.zeros(0, dtype=np.bool_)

    def fit(self, size: int) -> None:
        if self.count.size < size:
            self.count = _grown(self.count, size)
            self.total = _grown(self.total, size)
            self.revision_day = _grown(self.revision_day, size)
            self.flagged = _grown(self.flagged, size)
            self.withdrawn = _grown(self.withdrawn, size)


class ColumnarSimulation(Replay[DayFigures]):
    """:class:`gate.backtest.simulation.RowSimulation`'s replay with per-product figures in arrays.

    The agenda, the day order, ``--from``/``--to`` and the event bookkeeping are the row
    engine's (inherited); a day's replay is the same four steps on arrays.
    """

    def __init__(
        self,
        policy: GatePolicy,
        improvements: Improvements,
        sink: EventSink,
        from_day: int | None,
        to_day: int | None,
        products: ProductNumbers,
    ) -> None:
        super().__init__(policy, improvements, sink, from_day, to_day)
        self.products = products
        self.improved_numbers = {
            day: [products.number(product_id) for product_id in product_ids]
            for day, product_ids in improvements.by_day.items()
        }
        self.figures = _Figures()
        self.number_states: dict[int, ProductGateState] = {}  # products not active, only
        self.exits_at: dict[int, tuple[DayFigures, int]] = {}  # day -> (figures, day written)
        self.deadlines_at: dict[int, list[int]] = {}

    def replay_day(self, day: int, batch: DayFigures | None) -> None:
        if day <= self.last_day:
            return  # already replayed (a day can be on the agenda more than once)
        self.last_day = day
        evaluated = self.from_day is not None and day >= self.from_day
        self.figures.fit(len(self.products.names))
        the_day = date.fromordinal(day)
        events: list[GateEvent] = []
        # 1. Improvements: a new revision (nothing counted yet), in logged_at order.
        self._apply_improvements(day, the_day, events, evaluated=evaluated)
        # 2. The day's reviews, and those leaving the window (unless a later revision began).
        candidates = self._count(day, batch)  # arrays of product numbers whose evaluation may change them
        if not evaluated:
            return

        # 3. Which products can change: those touched today, those whose deadline is
        # today, and on the first evaluated day every product; of these, the active ones
        # that are below and the flagged ones.
        deadlines = self.deadlines_at.pop(day, None)
        if deadlines:
            candidates.append(np.array(deadlines, dtype=np.int64))
        if not self.started:
            self.started = True
            candidates.append(np.flatnonzero(self.figures.count))
        changing: set[int] = set()
        for numbers in candidates:
            changing.update(self._may_change(numbers).tolist())

        # 4. Evaluate them, through the one decision of the spec.
        for number in changing:
            self._evaluate(number, the_day, events)

        events.sort(key=event_sort_key)
        for event in events:
            self._record(event)

    def _apply_improvements(self, day: int, the_day: date, events: list[GateEvent], *, evaluated: bool) -> None:
        figures = self.figures
        names = self.products.names
        for number in self.improved_numbers.pop(day, ()):
            figures.count[number] = 0
            figures.total[number] = 0
            figures.revision_day[number] = day
            if evaluated:
                figures.flagged[number] = figures.withdrawn[number] = False
                _, improvement = apply_improvement(
                    self.number_states.pop(number, ACTIVE), day=the_day, product_id=names[number]
                )
                events.append(improvement)

    def _count(self, day: int, batch: DayFigures | None) -> list[Any]:
        """Add the day's reviews and take away those leaving the window (unless a later
        revision began); returns the product numbers touched, as arrays."""
        figures = self.figures
        candidates: list[Any] = []
        leaving = self.exits_at.pop(day, None)
        if batch is not None:
            numbers, counts, sums = batch
            if self.policy.window_days:
                leaves = day + self.policy.window_days
                self.exits_at[leaves] = (batch, day)
                heapq.heappush(self.agenda, leaves)
            figures.count[numbers] += counts
            figures.total[numbers] += sums
            candidates.append(numbers)
        if leaving is not None:
            (numbers, counts, sums), written = leaving
            current = figures.revision_day[numbers] <= written
            if not current.all():
                numbers, counts, sums = numbers[current], counts[current], sums[current]
            figures.count[numbers] -= counts
            figures.total[numbers] -= sums
            candidates.append(numbers)
        return candidates

    def _may_change(self, numbers: Any) -> Any:
        """Those of ``numbers`` whose evaluation today can give an event: the flagged ones,
        and the active ones that are below (:meth:`GatePolicy.is_below`, vectorised in
        int64: the threshold's terms are bounded by :data:`_MAX_THRESHOLD_TERM`)."""
        figures = self.figures
        policy = self.policy
        count = figures.count[numbers]
        threshold = policy.threshold
        below = (count >= policy.min_reviews) & (
            figures.total[numbers] * threshold.denominator < threshold.numerator * count
        )
        return numbers[(below & ~figures.withdrawn[numbers]) | figures.flagged[numbers]]

    def _evaluate(self, number: int, the_day: date, events: list[GateEvent]) -> None:
        figures = self.figures
        states = self.number_states
        policy = self.policy
        new_state, event = evaluate_day(
            states.get(number, ACTIVE),
            DayStats(int(figures.count[number]), int(figures.total[number])),
            day=the_day,
            product_id=self.products.names[number],
            policy=policy,
        )
        if event is None:
            return
        events.append(event)
        figures.flagged[number] = new_state.state is GateState.FLAGGED
        figures.withdrawn[number] = new_state.state is GateState.WITHDRAWN
        if new_state.state is GateState.ACTIVE:
            states.pop(number, None)
        else:
            states[number] = new_state
        deadline = deadline_day(new_state, policy)
        if deadline is not None:
            self.deadlines_at.setdefault(deadline.toordinal(), []).append(number)
            heapq.heappush(self.agenda, deadline.toordinal())

    def final_states(self) -> list[ProductGateState]:
        return list(self.number_states.values())


def replay_columnar(
    path: str | Path,
    header: CsvHeader,
    *,
    policy: GatePolicy,
    improvements: Improvements,
    sink: EventSink,
    from_day: int | None,
    to_day: int | None,
    progress: Callable[[str], None] | None,
    progress_every: int,
) -> tuple[ColumnarSimulation, ColumnReader]:
    """Replay the reviews file (its header already checked); returns the simulation, not
    yet finished, and the reader (for the summary). Raises :class:`NotColumnar`, after
    ``sink.discard()``, when the row engine must take the file instead."""
    if np is None:
        raise NotColumnar("pyarrow and numpy are not installed")
    threshold = policy.threshold
    if max(threshold.numerator, threshold.denominator) > _MAX_THRESHOLD_TERM:
        raise NotColumnar(f"the threshold {threshold} has terms too large for 64-bit arithmetic")
    products = ProductNumbers()
    reader = ColumnReader(path, header, policy.tzinfo, improvements, products, progress, progress_every)
    simulation = ColumnarSimulation(policy, improvements, sink, from_day, to_day, products)
    try:
        for day, day_figures in reader.days():
            simulation.feed(day, day_figures)
    except NotColumnar:
        sink.discard()
        raise
    return simulation, reader
