"""gate/backtest/ and the CSV rows: reading CSVs, bad rows, and the streaming replay (no database).

Small hand-made files are written to tmp_path. Property tests compare the engine with a
brute-force reading of the spec that evaluates every product on every day.
"""

from __future__ import annotations

import csv
import random
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gate.backtest.external_sort as external_sort_module
from core.csv_input import InputFileError, RowError, parse_moment
from gate.backtest import BacktestSummary, backtest_events
from gate.improvement_rows import iter_improvements
from gate.policy import (
    ACTIVE,
    DayStats,
    EventKind,
    GateEvent,
    GatePolicy,
    apply_improvement,
    evaluate_day,
    event_sort_key,
)
from reviews.csv_rows import iter_reviews, parse_rating

UTC_ZONE = ZoneInfo("UTC")
PARIS_ZONE = ZoneInfo("Europe/Paris")
SMALL = GatePolicy.build(threshold="3.0", grace_days=2, min_reviews=2, window_days=0, timezone="UTC")


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def reviews_csv(tmp_path: Path, rows: Iterable[Sequence[object]], name: str = "reviews.csv") -> Path:
    return write_csv(tmp_path / name, ["product_id", "rating", "created_at"], rows)


def improvements_csv(tmp_path: Path, rows: Iterable[Sequence[object]]) -> Path:
    return write_csv(tmp_path / "improvements.csv", ["product_id", "logged_at"], rows)


def brief(events: Iterable[GateEvent]) -> list[tuple[str, str, str, str | None, int]]:
    return [
        (
            event.day.isoformat(),
            event.product_id,
            event.kind.value,
            None if event.average is None else str(event.average),
            event.count,
        )
        for event in events
    ]


def run(
    reviews: Path, policy: GatePolicy = SMALL, **options: object
) -> tuple[list[tuple[str, str, str, str | None, int]], BacktestSummary]:
    events, summary = backtest_events(reviews, policy=policy, **options)  # type: ignore[arg-type]
    return brief(events), summary


# --- Reading rows ---------------------------------------------------------------------------

RATINGS = [("1", 1), ("5", 5)]
BAD_RATINGS = [
    ("6", "rating must be an integer from 1 to 5, got '6'"),
    ("0", "got '0'"),
    ("3.5", "got '3.5'"),
    ("five", "got 'five'"),
    (" 5", "got ' 5'"),
    ("05", "got '05'"),
    ("", "rating is empty"),
]


@pytest.mark.parametrize(("text", "value"), RATINGS)
def test_a_rating_is_one_digit_from_1_to_5(text: str, value: int) -> None:
    assert parse_rating(text) == value


@pytest.mark.parametrize(("text", "message"), BAD_RATINGS, ids=[repr(row[0]) for row in BAD_RATINGS])
def test_anything_else_is_not_a_rating(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_rating(text)


MOMENTS = [
    ("a date alone is the start of that day in the zone", "2026-03-29", datetime(2026, 3, 28, 23, 0, tzinfo=UTC)),
    ("a naive date-time is read in the zone", "2026-03-29T12:00:00", datetime(2026, 3, 29, 10, 0, tzinfo=UTC)),
    ("an offset is honoured", "2026-03-29T12:00:00+05:00", datetime(2026, 3, 29, 7, 0, tzinfo=UTC)),
    ("Z means UTC", "2026-03-29T23:30:00Z", datetime(2026, 3, 29, 23, 30, tzinfo=UTC)),
    ("a space may separate date and time", "2026-03-29 12:00", datetime(2026, 3, 29, 10, 0, tzinfo=UTC)),
]


@pytest.mark.parametrize(("text", "instant"), [row[1:] for row in MOMENTS], ids=[row[0] for row in MOMENTS])
def test_dates_and_date_times_are_read_as_iso_8601(text: str, instant: datetime) -> None:
    assert parse_moment(text, PARIS_ZONE) == instant


@pytest.mark.parametrize("text", ["", "yesterday", "29/03/2026", "2026-02-30", "2026-03-29T25:00"])
def test_unreadable_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"empty|unreadable"):
        parse_moment(text, PARIS_ZONE)


def test_iter_reviews_gives_checked_rows_with_the_optional_columns_asked_for(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        ["review_id", "product_id", "rating", "created_at", "author"],
        [["r1", "P1", "4", "2026-01-01", "ann"], ["r2", "P2", "2", "2026-01-02T10:00:00Z", "bob"]],
    )

    rows = list(iter_reviews(path, UTC_ZONE, extra_columns=("review_id", "author", "language")))

    assert [(row.line, row.product_id, row.rating, row.extra) for row in rows] == [
        (2, "P1", 4, {"review_id": "r1", "author": "ann"}),
        (3, "P2", 2, {"review_id": "r2", "author": "bob"}),
    ]
    assert rows[1].created_at == datetime(2026, 1, 2, 10, tzinfo=UTC)


def test_iter_improvements_reads_product_and_moment(tmp_path: Path) -> None:
    path = improvements_csv(tmp_path, [["P1", "2026-01-01T12:00:00"]])

    (row,) = iter_improvements(path, PARIS_ZONE)

    assert (row.line, row.product_id, row.logged_at) == (2, "P1", datetime(2026, 1, 1, 11, tzinfo=UTC))


# --- Bad input: file, line and reason -------------------------------------------------------

BAD_REVIEW_FILES = [
    # (name, file content, line, reason)
    ("rating 6", "product_id,rating,created_at\nA,5,2026-01-01\nA,6,2026-01-02\n", 3, "got '6'"),
    ("rating 3.5", "product_id,rating,created_at\nA,3.5,2026-01-01\n", 2, "got '3.5'"),
    ("rating five", "product_id,rating,created_at\nA,five,2026-01-01\n", 2, "got 'five'"),
    ("empty rating", "product_id,rating,created_at\nA,,2026-01-01\n", 2, "rating is empty"),
    ("unreadable date", "product_id,rating,created_at\nA,4,2026-01-01\nA,4,01/02/2026\n", 3, "unreadable created_at"),
    ("empty date", "product_id,rating,created_at\nA,4,\n", 2, "created_at is empty"),
    ("empty product", "product_id,rating,created_at\n,4,2026-01-01\n", 2, "product_id: the SKU is empty"),
    ("blank product", "product_id,rating,created_at\n  ,4,2026-01-01\n", 2, "product_id: '  ' is not a valid SKU"),
    ("short row", "product_id,rating,created_at\nA,4\n", 2, "the row has 2 fields, the header 3"),
    ("missing column", "product_id,stars,created_at\nA,4,2026-01-01\n", 1, "missing column rating"),
    ("missing columns", "id,text\n1,hi\n", 1, "missing columns product_id, rating, created_at"),
    ("empty file", "", 1, "the file is empty"),
    ("duplicate column", "product_id,rating,rating,created_at\nA,4,4,2026-01-01\n", 1, "appears twice"),
    (
        "blank lines still count as lines",
        "product_id,rating,created_at\n\nA,4,2026-01-01\n\nA,9,2026-01-02\n",
        5,
        "'9'",
    ),
    (
        "a quoted field over two lines counts two lines",
        'product_id,rating,created_at,text\nA,4,2026-01-01,"two\nlines"\nA,x,2026-01-02,\n',
        4,
        "got 'x'",
    ),
    ("not UTF-8", b"product_id,rating,created_at\nA,4,2026-01-01\n\xff,4,2026-01-02\n".decode("latin-1"), 3, "UTF-8"),
]


def write_bad_file(directory: Path, content: str, reason: str) -> Path:
    """One of BAD_REVIEW_FILES on disk (the "not UTF-8" one as the Latin-1 bytes it holds)."""
    path = directory / "bad.csv"
    if reason == "UTF-8":
        path.write_bytes(content.encode("latin-1"))
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "line", "reason"), [row[1:] for row in BAD_REVIEW_FILES], ids=[row[0] for row in BAD_REVIEW_FILES]
)
def test_a_bad_review_file_stops_the_run_naming_file_line_and_reason(
    tmp_path: Path, content: str, line: int, reason: str
) -> None:
    path = write_bad_file(tmp_path, content, reason)

    with pytest.raises(RowError) as caught:
        backtest_events(path, policy=SMALL)

    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"{path}, line {line}: ")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file") as caught:
        backtest_events(tmp_path / "nope.csv", policy=SMALL)

    assert caught.value.line is None


def test_a_bad_improvement_row_names_the_improvements_file(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 4, "2026-01-01"]])
    improvements = improvements_csv(tmp_path, [["A", "2026-01-01T10:00"], ["A", "soon"]])

    with pytest.raises(RowError) as caught:
        backtest_events(reviews, policy=SMALL, improvements_path=improvements)

    assert (Path(caught.value.path).name, caught.value.line) == ("improvements.csv", 3)
    assert "unreadable logged_at 'soon'" in caught.value.reason


def test_skip_invalid_counts_and_reports_each_bad_row_once(tmp_path: Path) -> None:
    reviews = reviews_csv(
        tmp_path,
        [["A", 1, "2026-01-01"], ["A", 6, "2026-01-01"], ["A", 1, "2026-01-02"], ["", 1, "2026-01-02"]],
    )
    improvements = improvements_csv(tmp_path, [["B", "never"]])
    reported: list[RowError] = []

    events, summary = backtest_events(
        reviews, policy=SMALL, improvements_path=improvements, skip_invalid=True, on_skip=reported.append
    )

    assert [(Path(error.path).name, error.line) for error in reported] == [
        ("improvements.csv", 2),
        ("reviews.csv", 3),
        ("reviews.csv", 5),
    ]
    assert summary.rows_skipped == 3
    assert summary.reviews == 2
    assert brief(events) == [("2026-01-02", "A", "flagged", "1.0000", 2)]


def test_skipped_rows_are_reported_once_even_when_an_unsorted_file_is_read_twice(tmp_path: Path) -> None:
    reviews = reviews_csv(
        tmp_path,
        [["A", 1, "2026-01-05"], ["A", "bad", "2026-01-05"], ["A", 1, "2026-01-01"], ["A", 9, "2026-01-02"]],
    )
    reported: list[RowError] = []

    _, summary = backtest_events(reviews, policy=SMALL, skip_invalid=True, on_skip=reported.append)

    assert not summary.sorted_input
    assert [error.line for error in reported] == [3, 5]
    assert summary.rows_skipped == 2


# --- The replay -----------------------------------------------------------------------------


def test_a_product_is_flagged_then_withdrawn_at_its_deadline(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 2, "2026-01-01"], ["A", 3, "2026-01-01"], ["A", 5, "2026-01-05"]])

    events, summary = run(reviews)

    assert events == [
        ("2026-01-01", "A", "flagged", "2.5000", 2),
        ("2026-01-03", "A", "withdrawn", "2.5000", 2),
    ]
    assert (summary.products_flagged, summary.products_withdrawn, summary.still_withdrawn) == (1, 1, 1)
    assert (summary.first_day, summary.last_day) == (date(2026, 1, 1), date(2026, 1, 5))


def test_reviews_leaving_the_window_are_evaluated_without_new_reviews(tmp_path: Path) -> None:
    policy = GatePolicy.build(threshold="3.0", grace_days=30, min_reviews=1, window_days=3, timezone="UTC")
    # A 5 on the 1st and a 2 on the 2nd average 3.5. The 5 counts on the 1st to the 3rd:
    # on the 4th the 2 is alone (flagged), on the 5th nothing is left (recovered).
    reviews = reviews_csv(tmp_path, [["A", 5, "2026-01-01"], ["A", 2, "2026-01-02"], ["B", 4, "2026-01-06"]])

    events, _ = run(reviews, policy)

    assert events == [
        ("2026-01-04", "A", "flagged", "2.0000", 1),
        ("2026-01-05", "A", "recovered", None, 0),
    ]


def test_an_emptied_window_recovers_a_flagged_product_with_a_null_average(tmp_path: Path) -> None:
    policy = GatePolicy.build(threshold="3.0", grace_days=30, min_reviews=1, window_days=2, timezone="UTC")
    reviews = reviews_csv(tmp_path, [["A", 1, "2026-01-01"], ["B", 4, "2026-01-04"]])

    events, _ = run(reviews, policy)

    assert events == [("2026-01-01", "A", "flagged", "1.0000", 1), ("2026-01-03", "A", "recovered", None, 0)]


def test_an_improvement_drops_earlier_reviews_of_the_day_and_keeps_later_ones(tmp_path: Path) -> None:
    policy = GatePolicy.build(threshold="3.0", grace_days=30, min_reviews=1, window_days=0, timezone="UTC")
    reviews = reviews_csv(
        tmp_path,
        [
            ["A", 1, "2026-01-01"],
            ["A", 1, "2026-01-02"],  # a date alone: the start of the day, before the improvement
            ["A", 1, "2026-01-02T09:00:00Z"],  # before the improvement: previous revision
            ["A", 2, "2026-01-02T12:00:00Z"],  # at the improvement's moment: counts (>=)
            ["A", 3, "2026-01-02T15:00:00Z"],  # after it: counts
        ],
    )
    improvements = improvements_csv(tmp_path, [["A", "2026-01-02T12:00:00Z"]])

    events, summary = run(reviews, policy, improvements_path=improvements)

    assert events == [
        ("2026-01-01", "A", "flagged", "1.0000", 1),
        ("2026-01-02", "A", "improved", None, 0),
        ("2026-01-02", "A", "flagged", "2.5000", 2),  # the 2 and the 3 only
    ]
    assert summary.superseded_reviews == 2


def test_an_improvement_of_a_withdrawn_product_reinstates_it_before_the_day_is_evaluated(tmp_path: Path) -> None:
    policy = GatePolicy.build(threshold="3.0", grace_days=0, min_reviews=1, window_days=0, timezone="UTC")
    reviews = reviews_csv(tmp_path, [["A", 1, "2026-01-01"], ["A", 4, "2026-01-03T18:00:00Z"]])
    improvements = improvements_csv(tmp_path, [["A", "2026-01-03T08:00:00Z"]])

    events, summary = run(reviews, policy, improvements_path=improvements)

    assert events == [
        ("2026-01-01", "A", "flagged", "1.0000", 1),
        ("2026-01-02", "A", "withdrawn", "1.0000", 1),
        ("2026-01-03", "A", "reinstated", None, 0),
    ]
    assert (summary.products_reinstated, summary.still_withdrawn) == (1, 0)


def test_an_improvement_of_a_product_without_reviews_is_fine(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 4, "2026-01-01"]])
    improvements = improvements_csv(tmp_path, [["GHOST", "2026-01-02T10:00:00Z"]])

    events, summary = run(reviews, improvements_path=improvements)

    assert events == [("2026-01-02", "GHOST", "improved", None, 0)]
    assert summary.products_seen == 2
    assert summary.last_day == date(2026, 1, 2)


def test_days_are_cut_in_the_policy_time_zone_across_the_spring_change(tmp_path: Path) -> None:
    # Paris moves to UTC+2 on 29 March 2026. 22:15 UTC on the 29th is already the 30th in
    # Paris, and so is the improvement logged at 22:30 UTC.
    reviews = reviews_csv(
        tmp_path,
        [
            ["A", 1, "2026-03-28T23:30:00Z"],  # 00:30 on the 29th in Paris
            ["A", 1, "2026-03-29T21:59:00Z"],  # 23:59 on the 29th in Paris
            ["A", 1, "2026-03-29T22:15:00Z"],  # 00:15 on the 30th: before the improvement
            ["A", 5, "2026-03-29T23:00:00"],  # naive, read in Paris: 23:00 on the 29th
        ],
    )
    improvements = improvements_csv(tmp_path, [["A", "2026-03-29T22:30:00Z"]])
    paris = GatePolicy.build(threshold="3.0", grace_days=30, min_reviews=2, window_days=0, timezone="Europe/Paris")
    utc = GatePolicy.build(threshold="3.0", grace_days=30, min_reviews=2, window_days=0, timezone="UTC")

    in_paris, _ = run(reviews, paris, improvements_path=improvements)
    in_utc, _ = run(reviews, utc, improvements_path=improvements)

    # Paris: the 29th counts 1, 1 and the naive 5; on the 30th the improvement comes after
    # the 00:15 review, which therefore never counts.
    assert in_paris == [
        ("2026-03-29", "A", "flagged", "2.3333", 3),
        ("2026-03-30", "A", "improved", None, 0),
    ]
    # UTC: one review on the 28th (fewer than min_reviews); on the 29th the improvement at
    # 22:30 leaves only the naive review, read as 23:00 UTC: a 5, not below.
    assert in_utc == [("2026-03-29", "A", "improved", None, 0)]


def test_days_before_from_are_not_evaluated_but_their_reviews_and_improvements_count(tmp_path: Path) -> None:
    reviews = reviews_csv(
        tmp_path,
        [
            ["A", 1, "2026-01-01"],
            ["A", 1, "2026-01-02"],
            ["B", 1, "2026-01-02T10:00:00Z"],
            ["B", 1, "2026-01-03"],
            ["A", 1, "2026-01-04"],
        ],
    )
    # B's improvement before --from gives no event but drops its first review: B then has
    # one counted review on the 3rd (fewer than min_reviews = 2) and is not flagged.
    improvements = improvements_csv(tmp_path, [["B", "2026-01-02T12:00:00Z"]])

    events, summary = run(reviews, improvements_path=improvements, from_day=date(2026, 1, 3))

    # A's reviews of the 1st and 2nd count on the 3rd, the first evaluated day.
    assert events == [("2026-01-03", "A", "flagged", "1.0000", 2)]
    assert (summary.first_day, summary.last_day) == (date(2026, 1, 3), date(2026, 1, 4))


def test_days_after_the_data_are_evaluated_up_to_to(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 1, "2026-01-01"], ["A", 2, "2026-01-01"]])

    events, summary = run(reviews, to_day=date(2026, 1, 10))

    assert events == [("2026-01-01", "A", "flagged", "1.5000", 2), ("2026-01-03", "A", "withdrawn", "1.5000", 2)]
    assert summary.last_day == date(2026, 1, 10)


def test_reviews_after_to_are_read_and_checked_but_not_replayed(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 1, "2026-01-01"], ["A", 1, "2026-01-01"], ["A", 7, "2026-02-01"]])

    with pytest.raises(RowError, match="got '7'"):
        run(reviews, to_day=date(2026, 1, 5))


def test_from_after_to_is_refused(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [["A", 1, "2026-01-01"]])

    with pytest.raises(ValueError, match="after"):
        run(reviews, from_day=date(2026, 2, 1), to_day=date(2026, 1, 1))


def test_a_header_only_file_gives_no_event(tmp_path: Path) -> None:
    reviews = reviews_csv(tmp_path, [])

    events, summary = run(reviews)

    assert events == []
    assert (summary.reviews, summary.first_day) == (0, None)


def test_extra_columns_are_ignored_and_columns_may_come_in_any_order(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        ["created_at", "note", "rating", "product_id"],
        [["2026-01-01", "x", 1, "A"], ["2026-01-01", "y", 2, "A"]],
    )

    events, _ = run(path)

    assert events == [("2026-01-01", "A", "flagged", "1.5000", 2)]


def test_events_of_a_day_are_ordered_by_product_id_as_text(tmp_path: Path) -> None:
    policy = GatePolicy.build(threshold="3.0", grace_days=30, min_reviews=1, window_days=0, timezone="UTC")
    reviews = reviews_csv(tmp_path, [["b", 1, "2026-01-01"], ["B10", 1, "2026-01-01"], ["B9", 1, "2026-01-01"]])

    events, _ = run(reviews, policy)

    assert [event[1] for event in events] == ["B10", "B9", "b"]


def test_an_unsorted_file_gives_the_same_events_through_an_external_sort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(3)
    rows = [
        [f"P{rng.randrange(8)}", rng.choice([1, 2, 3, 3, 4]), f"2026-01-{1 + rng.randrange(28):02d}"]
        for _ in range(400)
    ]
    rows.sort(key=lambda row: str(row[2]))
    shuffled = rows[:]
    rng.shuffle(shuffled)
    policy = GatePolicy.build(threshold="3.0", grace_days=3, min_reviews=3, window_days=5, timezone="UTC")
    monkeypatch.setattr(external_sort_module, "_RUN_ENTRIES", 16)  # many runs on disk, merged

    in_order, sorted_summary = run(reviews_csv(tmp_path, rows, "sorted.csv"), policy)
    out_of_order, shuffled_summary = run(reviews_csv(tmp_path, shuffled, "shuffled.csv"), policy)

    assert in_order
    assert out_of_order == in_order
    assert sorted_summary.sorted_input and not shuffled_summary.sorted_input
    assert shuffled_summary.reviews == sorted_summary.reviews == 400


# --- Properties: any stream of reviews -------------------------------------------------------

START = date(2026, 3, 20)  # the spring change in Paris falls inside the generated days
PRODUCTS = ("A", "B", "b", "C10", "C9")


@dataclass(frozen=True)
class Stream:
    reviews: list[tuple[str, int, str]]  # product, rating, created_at text
    improvements: list[tuple[str, str]]
    policy: GatePolicy


def moment_text(day_offset: int, minute: int, style: int) -> str:
    day = START + timedelta(days=day_offset)
    if style == 0:
        return day.isoformat()  # a date alone
    moment = datetime.combine(day, time()) + timedelta(minutes=minute)
    if style == 1:
        return moment.isoformat()  # naive: read in the policy's zone
    return moment.replace(tzinfo=UTC).isoformat()  # with an offset


@st.composite
def streams(draw: st.DrawFn) -> Stream:
    review = st.tuples(
        st.sampled_from(PRODUCTS),
        st.integers(1, 5),
        st.integers(0, 20),
        st.integers(0, 24 * 60 - 1),
        st.integers(0, 2),
    )
    reviews = [
        (p, rating, moment_text(day, minute, style))
        for p, rating, day, minute, style in draw(st.lists(review, max_size=60))
    ]
    improvement = st.tuples(
        st.sampled_from(PRODUCTS), st.integers(0, 20), st.integers(0, 24 * 60 - 1), st.integers(1, 2)
    )
    improvements = [
        (p, moment_text(day, minute, style)) for p, day, minute, style in draw(st.lists(improvement, max_size=4))
    ]
    policy = GatePolicy.build(
        threshold=draw(st.sampled_from(["2.5", "3.0", "3.5", "10/3"])),
        grace_days=draw(st.integers(0, 4)),
        min_reviews=draw(st.integers(1, 4)),
        window_days=draw(st.integers(0, 6)),
        timezone=draw(st.sampled_from(["UTC", "Europe/Paris"])),
    )
    return Stream(reviews, improvements, policy)


def write_stream(directory: Path, stream: Stream, order: list[int] | None = None) -> tuple[Path, Path]:
    rows = [stream.reviews[index] for index in order] if order is not None else stream.reviews
    reviews = reviews_csv(directory, rows, f"reviews-{'sorted' if order is None else 'shuffled'}.csv")
    improvements = write_csv(directory / "improvements.csv", ["product_id", "logged_at"], stream.improvements)
    return reviews, improvements


def sorted_by_day(stream: Stream) -> Stream:
    tz = stream.policy.tzinfo

    def day(row: tuple[str, int, str]) -> date:
        return parse_moment(row[2], tz).astimezone(tz).date()

    return Stream(sorted(stream.reviews, key=day), stream.improvements, stream.policy)


def spec_reference(stream: Stream) -> list[GateEvent]:
    """The spec read literally: every day, every product, counted reviews recomputed."""
    policy = stream.policy
    tz = policy.tzinfo
    reviews = [(p, rating, parse_moment(text, tz)) for p, rating, text in stream.reviews]
    improvements = sorted(((parse_moment(text, tz), p) for p, text in stream.improvements), key=lambda item: item[0])

    def day_of(moment: datetime) -> date:
        return moment.astimezone(tz).date()

    days = [day_of(moment) for _, _, moment in reviews] + [day_of(moment) for moment, _ in improvements]
    if not days:
        return []
    products = sorted({p for p, _, _ in reviews} | {p for _, p in improvements})
    revision_start: dict[str, datetime] = {}
    states = dict.fromkeys(products, ACTIVE)
    events: list[GateEvent] = []
    day = min(days)
    while day <= max(days):
        for moment, product in improvements:
            if day_of(moment) == day:
                revision_start[product] = moment
                states[product], event = apply_improvement(states[product], day=day, product_id=product)
                events.append(event)
        for product in products:
            counted = [
                rating
                for p, rating, moment in reviews
                if p == product
                and (product not in revision_start or moment >= revision_start[product])
                and day_of(moment) <= day
                and (policy.window_days == 0 or day_of(moment) > day - timedelta(days=policy.window_days))
            ]
            states[product], evaluation = evaluate_day(
                states[product], DayStats(len(counted), sum(counted)), day=day, product_id=product, policy=policy
            )
            if evaluation is not None:
                events.append(evaluation)
        day += timedelta(days=1)
    return sorted(events, key=event_sort_key)


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(stream=streams(), data=st.data())
def test_a_shuffled_file_gives_the_same_events_as_the_sorted_file(stream: Stream, data: st.DataObject) -> None:
    stream = sorted_by_day(stream)
    order = data.draw(st.permutations(range(len(stream.reviews))))
    with tempfile.TemporaryDirectory() as scratch:
        sorted_reviews, improvements = write_stream(Path(scratch), stream)
        shuffled_reviews, _ = write_stream(Path(scratch), stream, list(order))

        in_order, _ = backtest_events(sorted_reviews, policy=stream.policy, improvements_path=improvements)
        shuffled, _ = backtest_events(shuffled_reviews, policy=stream.policy, improvements_path=improvements)

    assert shuffled == in_order


@PROPERTY_SETTINGS
@given(stream=streams())
def test_the_streaming_replay_equals_the_spec_read_literally(stream: Stream) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        reviews, improvements = write_stream(Path(scratch), sorted_by_day(stream))
        events, _ = backtest_events(reviews, policy=stream.policy, improvements_path=improvements)

    assert events == spec_reference(stream)


ALLOWED = {
    # state before -> {event kind: state after}
    "active": {EventKind.FLAGGED: "flagged", EventKind.IMPROVED: "active"},
    "flagged": {
        EventKind.RECOVERED: "active",
        EventKind.WITHDRAWN: "withdrawn",
        EventKind.IMPROVED: "active",
    },
    "withdrawn": {EventKind.REINSTATED: "active"},
}


@PROPERTY_SETTINGS
@given(stream=streams())
def test_a_products_events_never_break_the_state_machine(stream: Stream) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        reviews, improvements = write_stream(Path(scratch), sorted_by_day(stream))
        events, _ = backtest_events(reviews, policy=stream.policy, improvements_path=improvements)

    assert events == sorted(events, key=event_sort_key)
    states: dict[str, str] = {}
    flagged_on: dict[str, date] = {}
    evaluated: set[tuple[str, date]] = set()
    for event in events:
        before = states.get(event.product_id, "active")
        assert event.kind in ALLOWED[before], f"{event.kind} after {before}: {event}"
        states[event.product_id] = ALLOWED[before][event.kind]
        if event.kind.is_improvement:
            assert (event.average, event.count) == (None, 0)
            assert (event.product_id, event.day) not in evaluated  # improvements come first
            continue
        assert (event.product_id, event.day) not in evaluated  # one evaluation event a day
        evaluated.add((event.product_id, event.day))
        if event.kind is EventKind.FLAGGED:
            flagged_on[event.product_id] = event.day
            assert event.count >= stream.policy.min_reviews
        if event.kind is EventKind.WITHDRAWN:
            assert event.day >= stream.policy.withdrawal_date(flagged_on[event.product_id])
