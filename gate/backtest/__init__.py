"""``gate_backtest``'s engine: the spec's gate replayed over CSV files, streaming.

Reading
-------
The rows are defined below the gate, so that the imports reuse them:
:mod:`reviews.csv_rows` (a review row) and :mod:`gate.improvement_rows` (an improvement
row), over :mod:`core.csv_input` (the header, and :class:`~core.csv_input.RowError` with
``.path``, ``.line`` with the header as line 1, ``.reason``).

Replaying
---------
:func:`run_backtest` (:mod:`gate.backtest.run`) drives :mod:`gate.policy` day by day,
exactly as the scheduled engine does, and hands the events, in the spec's order, to an
:class:`EventSink` (:mod:`gate.backtest.sinks`).

Two engines give the same events and summary. The *row engine* takes any file and is the
reference: :mod:`gate.backtest.scan` reads the file once into per-day batches,
:mod:`gate.backtest.simulation` replays them, and a file not sorted by day is read again
through :mod:`gate.backtest.external_sort`. Large files that are sorted by day and valid
go first to the *columnar engine* (:mod:`gate.backtest.columnar`, pyarrow and numpy), two
to three times faster, which hands anything else back to the row engine (docs/gate.md).
Both share :class:`~gate.backtest.replay.Replay`, the order of days, and
:class:`~gate.backtest.replay.Improvements`.

*Unsorted files.* The first pass assumes the file is sorted by day. On the first row
whose day is earlier than a day already seen, the pass is abandoned (its events are
discarded: a sink can forget them) and the file is read again through an external sort.

This package imports no Django module: ``manage.py gate_backtest`` runs without
``django.setup()``.
"""

from __future__ import annotations

from gate.backtest.run import BacktestSummary, Engine, backtest_events, run_backtest
from gate.backtest.sinks import EventList, EventSink, JsonLinesSink

__all__ = [
    "BacktestSummary",
    "Engine",
    "EventList",
    "EventSink",
    "JsonLinesSink",
    "backtest_events",
    "run_backtest",
]
