"""gate/backtest/columnar.py: the columnar engine gives the row engine's events and summary,
and hands every file it must not take back to the row engine (no database).

The random streams, the literal reading of the spec and the CSV helpers are those of
test_backtest_engine.py. Small blocks (a few rows each) make days and products straddle
the blocks, as they do in a large file.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

import gate.backtest.columnar as columnar_module
import gate.backtest.run as run_module
from core.csv_input import RowError
from gate.backtest import BacktestSummary, EventList, backtest_events, run_backtest
from gate.backtest.columnar import NotColumnar
from gate.policy import GateEvent, GatePolicy
from tests.unit.test_backtest_engine import (
    BAD_REVIEW_FILES,
    PROPERTY_SETTINGS,
    SMALL,
    Stream,
    brief,
    improvements_csv,
    reviews_csv,
    sorted_by_day,
    spec_reference,
    streams,
    write_bad_file,
    write_csv,
    write_stream,
)

TINY_BLOCKS = 96  # bytes: three or four rows a block


@pytest.fixture(autouse=True, scope="module")
def columnar_whatever_the_size() -> Iterator[None]:
    """"auto" tries the columnar engine on these small files too (it hands them back)."""
    with mock.patch.object(run_module, "COLUMNAR_MIN_BYTES", 0):
        yield


@pytest.fixture
def tiny_blocks() -> Iterator[None]:
    with mock.patch.object(columnar_module, "_BLOCK_BYTES", TINY_BLOCKS):
        yield


Run = tuple[list[GateEvent], BacktestSummary]


def both_engines(reviews: Path, policy: GatePolicy = SMALL, **options: object) -> tuple[Run, Run]:
    """The same run through each engine; the columnar one may not fall back."""
    columnar = backtest_events(reviews, policy=policy, engine="columnar", **options)  # type: ignore[arg-type]
    rows = backtest_events(reviews, policy=policy, engine="rows", **options)  # type: ignore[arg-type]
    return columnar, rows


# --- Equal to the row engine and to the spec --------------------------------------------------


@PROPERTY_SETTINGS
@given(stream=streams(), block=st.sampled_from([TINY_BLOCKS, 4 << 20]), data=st.data())
def test_the_columnar_engine_gives_the_row_engines_events_and_summary(
    stream: Stream, block: int, data: st.DataObject
) -> None:
    stream = sorted_by_day(stream)
    window = data.draw(st.sampled_from([None, (0, 20), (3, 12), (8, 8), (15, 40)]))
    options: dict[str, object] = {}
    if window is not None:
        first = date(2026, 3, 20).toordinal()
        options = {"from_day": date.fromordinal(first + window[0]), "to_day": date.fromordinal(first + window[1])}
    with tempfile.TemporaryDirectory() as scratch, mock.patch.object(columnar_module, "_BLOCK_BYTES", block):
        reviews, improvements = write_stream(Path(scratch), stream)
        columnar, rows = both_engines(reviews, stream.policy, improvements_path=improvements, **options)

    assert columnar == rows


@PROPERTY_SETTINGS
@given(stream=streams())
def test_the_columnar_engine_equals_the_spec_read_literally(stream: Stream) -> None:
    with tempfile.TemporaryDirectory() as scratch, mock.patch.object(columnar_module, "_BLOCK_BYTES", TINY_BLOCKS):
        reviews, improvements = write_stream(Path(scratch), sorted_by_day(stream))
        events, _ = backtest_events(reviews, policy=stream.policy, improvements_path=improvements, engine="columnar")

    assert events == spec_reference(stream)


@pytest.mark.usefixtures("tiny_blocks")
def test_a_day_spread_over_several_blocks_is_one_day(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 1, "2026-01-01"]] * 20 + [["A", 5, "2026-01-02"]] * 30)

    (events, summary), rows = both_engines(reviews)

    assert brief(events) == [
        ("2026-01-01", "A", "flagged", "1.0000", 20),
        ("2026-01-02", "A", "recovered", "3.4000", 50),
    ]
    assert (events, summary) == rows


@pytest.mark.usefixtures("tiny_blocks")
def test_quoted_fields_commas_and_line_breaks_in_other_columns_are_read_as_csv_reads_them(tmp_path: Path) -> None:
    reviews = write_csv(
        tmp_path / "reviews.csv",
        ["text", "product_id", "rating", "created_at", "author"],
        [
            ['Bad, "really"\nbad', "A", 1, "2026-01-01", "x"],
            ["", "A", 2, "2026-01-01", 'a "quoted" name'],
            ["two\r\nlines", "A.B", 1, "2026-01-02", ""],
            ["ok, fine", "A.B", 1, "2026-01-02", "é"],
        ],
    )

    (events, summary), rows = both_engines(reviews)

    assert [event.product_id for event in events] == ["A", "A.B"]
    assert (events, summary) == rows


def test_crlf_line_ends_a_byte_order_mark_and_blank_lines_are_read_as_csv_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    path.write_bytes(b"\xef\xbb\xbfproduct_id,rating,created_at\r\nA,1,2026-01-01\r\n\r\nA,2,2026-01-01\r\n")

    (events, summary), rows = both_engines(path)

    assert summary.reviews == 2
    assert brief(events) == [("2026-01-01", "A", "flagged", "1.5000", 2)]
    assert (events, summary) == rows


def test_reviews_written_before_a_same_day_improvement_are_dropped_as_by_the_row_engine(tmp_path: Path) -> None:
    reviews = reviews_csv(
        tmp_path,
        [["A", 1, "2026-01-01T08:00"], ["A", 1, "2026-01-02T08:00"], ["A", 1, "2026-01-02T11:00"]],
    )
    improvements = improvements_csv(tmp_path, [["A", "2026-01-02T10:00"], ["B", "2026-01-02T09:00"]])

    (events, summary), rows = both_engines(reviews, improvements_path=improvements)

    assert summary.superseded_reviews == 1
    assert summary.products_seen == 2
    assert (events, summary) == rows


def test_dates_with_offsets_are_cut_in_the_policy_time_zone(tmp_path: Path) -> None:
    paris = GatePolicy.build(threshold="3.0", grace_days=1, min_reviews=1, window_days=0, timezone="Europe/Paris")
    reviews = reviews_csv(
        tmp_path,
        # 00:30 on the 29th in Paris (UTC+1); 00:30 on the 30th (UTC+2 since the change);
        # a time without offset is read in Paris.
        [["A", 1, "2026-03-28T23:30:00+00:00"], ["A", 5, "2026-03-29T22:30:00Z"], ["A", 5, "2026-03-30T23:30"]],
    )

    (events, summary), rows = both_engines(reviews, paris)

    assert [event.day for event in events] == [date(2026, 3, 29), date(2026, 3, 30)]
    assert (events, summary) == rows


# --- What it hands back to the row engine -----------------------------------------------------


ROW_ENGINE_FILES = [
    (name, content, reason)
    for name, content, _line, reason in BAD_REVIEW_FILES
    # Header problems are found before either engine starts; the others are rows.
    if _line > 1
]


@pytest.mark.parametrize(
    ("content", "reason"), [row[1:] for row in ROW_ENGINE_FILES], ids=[row[0] for row in ROW_ENGINE_FILES]
)
def test_a_bad_row_is_not_for_the_columnar_engine_and_the_row_engine_names_it(
    tmp_path: Path, content: str, reason: str
) -> None:
    path = write_bad_file(tmp_path, content, reason)

    # (In so small a file, reading the header decodes the whole text: a byte that is not
    # UTF-8 is found there, by either engine.)
    with pytest.raises(RowError if reason == "UTF-8" else NotColumnar):
        backtest_events(path, policy=SMALL, engine="columnar")
    with pytest.raises(RowError) as caught:
        backtest_events(path, policy=SMALL)  # "auto"

    assert reason in caught.value.reason


def test_text_that_is_not_utf8_far_into_the_file_is_named_by_the_row_engine(tmp_path: Path) -> None:
    path = tmp_path / "reviews.csv"
    good_rows = b"".join(b"P%d,4,2026-01-01\n" % number for number in range(20_000))
    path.write_bytes(b"product_id,rating,created_at\n" + good_rows + b"\xff,4,2026-01-02\n")

    with pytest.raises(NotColumnar, match="pyarrow cannot read it"):
        backtest_events(path, policy=SMALL, engine="columnar")
    with pytest.raises(RowError) as caught:
        backtest_events(path, policy=SMALL)

    assert caught.value.line == 20_002
    assert "not UTF-8" in caught.value.reason


@pytest.mark.parametrize("rating", ["05", "+3", "3.0", " 3", "٣", "0", "6"])
def test_only_the_digits_1_to_5_alone_are_ratings(tmp_path: Path, rating: str) -> None:
    reviews = reviews_csv(tmp_path, [["A", 4, "2026-01-01"], ["A", rating, "2026-01-02"]])

    with pytest.raises(NotColumnar, match="rating"):
        backtest_events(reviews, policy=SMALL, engine="columnar")
    with pytest.raises(RowError, match="line 3"):
        backtest_events(reviews, policy=SMALL)


def test_skip_invalid_gives_the_row_engines_report(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 1, "2026-01-01"], ["A", 6, "2026-01-01"], ["A", 1, "2026-01-02"]])
    reported: list[RowError] = []

    events, summary = backtest_events(reviews, policy=SMALL, skip_invalid=True, on_skip=reported.append)

    assert [error.line for error in reported] == [3]
    assert summary.rows_skipped == 1
    assert brief(events) == [("2026-01-02", "A", "flagged", "1.0000", 2)]


def test_an_unsorted_file_is_sorted_by_the_row_engine(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 1, "2026-01-05"], ["A", 1, "2026-01-01"], ["A", 1, "2026-01-03"]])
    progress: list[str] = []

    with pytest.raises(NotColumnar, match="not in day order"):
        backtest_events(reviews, policy=SMALL, engine="columnar")
    events, summary = backtest_events(reviews, policy=SMALL)
    run_backtest(reviews, policy=SMALL, sink=EventList(), progress=progress.append)

    assert not summary.sorted_input
    assert brief(events) == [("2026-01-03", "A", "flagged", "1.0000", 2), ("2026-01-05", "A", "withdrawn", "1.0000", 3)]
    assert any("not in day order; reading it row by row" in message for message in progress)


@pytest.mark.usefixtures("tiny_blocks")
def test_an_unsorted_later_block_discards_what_the_columnar_engine_had_found(tmp_path: Path) -> None:
    # The first blocks are in order (the columnar engine replays them and finds events),
    # the last goes back in time: everything restarts in the row engine, nothing twice.
    rows = [["A", 1, f"2026-01-{day:02d}"] for day in range(1, 20)] + [["B", 1, "2026-01-02"]] * 3
    reviews = reviews_csv(tmp_path, rows)

    events, summary = backtest_events(reviews, policy=SMALL)

    assert not summary.sorted_input
    assert brief(events) == [
        ("2026-01-02", "A", "flagged", "1.0000", 2),
        ("2026-01-02", "B", "flagged", "1.0000", 3),
        ("2026-01-04", "A", "withdrawn", "1.0000", 4),
        ("2026-01-04", "B", "withdrawn", "1.0000", 3),
    ]


HANDED_BACK = [
    # (name, file content, policy, why the columnar engine stops, the row engine's events)
    (
        "a quote inside an unquoted field (csv reads it as text)",
        'product_id,rating,created_at,note\nA,1,2026-01-01,5" wide\nA,1,2026-01-02,x\n',
        SMALL,
        "a quote in the middle of a field",
        [("2026-01-02", "A", "flagged", "1.0000", 2)],
    ),
    (
        "a header over two lines",
        'product_id,rating,created_at,"a\nnote"\nA,1,2026-01-01,x\nA,1,2026-01-01,y\n',
        SMALL,
        "header",
        [("2026-01-01", "A", "flagged", "1.0000", 2)],
    ),
    (
        "a threshold too fine for 64-bit arithmetic",
        "product_id,rating,created_at\nA,3,2026-01-01\nA,3,2026-01-01\nA,2,2026-01-02\n",
        GatePolicy.build(threshold="2.99999999999", grace_days=2, min_reviews=2, window_days=0, timezone="UTC"),
        "threshold",
        [("2026-01-02", "A", "flagged", "2.6667", 3)],
    ),
]


@pytest.mark.parametrize(
    ("content", "policy", "why", "expected"), [row[1:] for row in HANDED_BACK], ids=[row[0] for row in HANDED_BACK]
)
def test_what_the_columnar_engine_cannot_take_the_row_engine_replays(
    tmp_path: Path, content: str, policy: GatePolicy, why: str, expected: list[tuple[object, ...]]
) -> None:
    path = tmp_path / "reviews.csv"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(NotColumnar, match=why):
        backtest_events(path, policy=policy, engine="columnar")
    events, _ = backtest_events(path, policy=policy)

    assert brief(events) == expected


def test_auto_takes_the_row_engine_for_a_file_too_small_to_gain_from_columns(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 1, "2026-01-01"], ["A", 1, "2026-01-02"]])
    small = reviews.stat().st_size + 1

    with (
        mock.patch.object(run_module, "COLUMNAR_MIN_BYTES", small),
        mock.patch.object(columnar_module, "replay_columnar", side_effect=AssertionError("columnar")),
    ):
        events, _ = backtest_events(reviews, policy=SMALL)
    with (
        mock.patch.object(run_module, "COLUMNAR_MIN_BYTES", small - 1),
        mock.patch.object(columnar_module, "replay_columnar", side_effect=AssertionError("columnar")),
        pytest.raises(AssertionError, match="columnar"),
    ):
        backtest_events(reviews, policy=SMALL)

    assert brief(events) == [("2026-01-02", "A", "flagged", "1.0000", 2)]
