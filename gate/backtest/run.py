"""The backtest's entry point: which engine replays the file, and the summary of the run."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from core.csv_input import PROGRESS_EVERY, RowError, csv_reader, file_header, open_csv, read_header
from gate.backtest.external_sort import externally_sorted
from gate.backtest.replay import Improvements, Replay, Unsorted, load_improvements
from gate.backtest.scan import ReviewScanner, SkipReporter
from gate.backtest.simulation import RowSimulation
from gate.backtest.sinks import EventList, EventSink
from gate.improvement_rows import IMPROVEMENT_COLUMNS, IMPROVEMENT_ROW_COLUMNS, iter_improvements
from gate.policy import GateEvent, GatePolicy, GateState
from reviews.csv_rows import REVIEW_COLUMNS

if TYPE_CHECKING:
    from gate.backtest.columnar import ColumnarSimulation, ColumnReader

__all__ = ["COLUMNAR_MIN_BYTES", "BacktestSummary", "Engine", "backtest_events", "run_backtest"]

Engine = Literal["auto", "rows", "columnar"]
# "auto" takes the columnar engine for files of this size or more. Below it, importing
# numpy and pyarrow (about 0.15 s) costs more than the columnar engine saves (about 0.8 s
# a million rows; docs/performance.md).
COLUMNAR_MIN_BYTES = 8 << 20


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
    # Per file ("reviews", "improvements"): the header's columns the backtest does not read.
    ignored_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)


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

    ``engine``: ``"auto"`` replays with the columnar engine (:mod:`gate.backtest.columnar`)
    when the file is large enough to gain from it (:data:`COLUMNAR_MIN_BYTES`) and it can
    take the file, and with the row engine otherwise; both give the same events and
    summary. ``"rows"`` and ``"columnar"`` force one (``"columnar"`` raises
    ``NotColumnar`` when it cannot take the file): for tests and benchmarks.
    """
    if from_day is not None and to_day is not None and from_day > to_day:
        raise ValueError(f"--from {from_day} is after --to {to_day}")
    tz = policy.tzinfo
    improvement_skips = SkipReporter(skip_invalid, on_skip)
    improvements = Improvements()
    summary = BacktestSummary()
    if improvements_path is not None:
        header = file_header(improvements_path, IMPROVEMENT_COLUMNS)
        # The optional columns are read too: the backtest refuses a row an import would refuse.
        summary.ignored_columns["improvements"] = header.ignored(IMPROVEMENT_ROW_COLUMNS)
        improvements = load_improvements(
            iter_improvements(improvements_path, tz, skip_invalid=skip_invalid, on_skip=improvement_skips),
            tz,
        )
    first = from_day.toordinal() if from_day is not None else None
    last = to_day.toordinal() if to_day is not None else None
    summary.ignored_columns["reviews"] = file_header(reviews_path, REVIEW_COLUMNS).ignored(REVIEW_COLUMNS)

    if engine == "columnar" or (engine == "auto" and _file_size(reviews_path) >= COLUMNAR_MIN_BYTES):
        columnar = _replay_columnar(
            reviews_path, policy, improvements, sink, first, last, progress, required=engine == "columnar"
        )
        if columnar is not None:
            columnar_simulation, reader = columnar
            evaluated = columnar_simulation.finish()
            reviewed = {reader.products.names[number] for number in reader.reviewed.nonzero()[0].tolist()}
            summary.reviews = reader.rows
            summary.superseded_reviews = reader.superseded
            return _summarised(summary, columnar_simulation, evaluated, improvements, improvement_skips.count, reviewed)

    review_skips = SkipReporter(skip_invalid, on_skip)
    simulation, scanner = _replay_rows(
        reviews_path, policy, improvements, sink, first, last, progress, review_skips, summary
    )
    evaluated = simulation.finish()
    summary.reviews = scanner.reviews
    summary.superseded_reviews = scanner.superseded
    skipped = improvement_skips.count + review_skips.count
    return _summarised(summary, simulation, evaluated, improvements, skipped, scanner.products)


def _replay_rows(
    reviews_path: str | Path,
    policy: GatePolicy,
    improvements: Improvements,
    sink: EventSink,
    first: int | None,
    last: int | None,
    progress: Callable[[str], None] | None,
    skips: SkipReporter,
    summary: BacktestSummary,
) -> tuple[RowSimulation, ReviewScanner]:
    """The row engine's replay, not yet finished: one pass over a file sorted by day; on
    the first row out of order the pass is abandoned (its events discarded) and the file
    read again through an external sort (:mod:`gate.backtest.external_sort`)."""
    tz = policy.tzinfo
    scanner = ReviewScanner(reviews_path, tz, improvements, skips, progress)
    simulation = RowSimulation(policy, improvements, sink, first, last)
    batches = scanner.batches()
    try:
        for day, batch in batches:
            simulation.feed(day, batch)
    except Unsorted:
        batches.close()
        sink.discard()
        summary.sorted_input = False
        skips.restart()
        if progress is not None:
            progress(f"{reviews_path}: not sorted by day; reading it again through a sort")
        scanner = ReviewScanner(reviews_path, tz, improvements, skips, progress, " (second pass)")
        simulation = RowSimulation(policy, improvements, sink, first, last)
        with ExitStack() as stack:
            for day, batch in externally_sorted(scanner.batches(), stack):
                simulation.feed(day, batch)
    return simulation, scanner


def _file_size(path: str | Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # the row engine names the problem


def _replay_columnar(
    reviews_path: str | Path,
    policy: GatePolicy,
    improvements: Improvements,
    sink: EventSink,
    first: int | None,
    last: int | None,
    progress: Callable[[str], None] | None,
    *,
    required: bool,
) -> tuple[ColumnarSimulation, ColumnReader] | None:
    """The columnar engine's replay, or ``None`` when the row engine must take the file
    (then nothing was kept in ``sink``). With ``required``, that raises instead."""
    with open_csv(reviews_path) as handle:
        reader = csv_reader(handle)
        header = read_header(reader, reviews_path, REVIEW_COLUMNS)
        header_lines = reader.line_num
    try:
        # Late on purpose: numpy and pyarrow take about 0.15 s to import, more than the
        # columnar engine saves on a small file (which the row engine replays).
        from gate.backtest.columnar import NotColumnar, replay_columnar  # noqa: PLC0415 - see above
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
    simulation: Replay[Any],
    evaluated: tuple[int | None, int | None],
    improvements: Improvements,
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
