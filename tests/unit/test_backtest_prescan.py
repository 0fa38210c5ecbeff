"""gate.backtest.prescan: the columnar engine reads a file only if a strict reader would.

Sound: whenever the prescan finds nothing, Python's csv in strict mode reads the file
without error (and pyarrow, given the same file, reads the same values). Useful: every file
Python's csv writer writes passes, so real exports keep the fast engine."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gate.backtest.prescan as prescan
from gate.backtest.prescan import quoting_problem

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _strict_rows(text: str) -> list[list[str]] | None:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None


@SETTINGS
@given(text=st.text(alphabet='ab,"\n\r', max_size=40))
def test_what_the_prescan_passes_a_strict_reader_reads(tmp_path: Path, text: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode())

    if quoting_problem(path) is None:
        assert _strict_rows(text) is not None, text


@SETTINGS
@given(rows=st.lists(st.lists(st.text(alphabet='ab ,"\n\ré', max_size=8), min_size=1, max_size=4), max_size=6))
def test_every_file_pythons_csv_writer_writes_passes(tmp_path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "f.csv"
    path.write_bytes(buffer.getvalue().encode())

    assert quoting_problem(path) is None, buffer.getvalue()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('a,"open\nb,c\n', "a quoted field is still open at the end of the file"),
        ('a,"x"y\n', "a quote in the middle of a field"),
        ('a,"x" \n', "a quote in the middle of a field"),
        ('a,5" wide\n', "a quote in the middle of a field"),
        ("a,b\0c\n", "a NUL byte"),
    ],
)
def test_what_a_strict_reader_refuses_is_found(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode())

    assert quoting_problem(path) == problem


def test_a_quote_split_across_blocks_is_read_as_one_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prescan, "_BLOCK_BYTES", 3)
    good = 'a,"x""y",b\r\n"q,\nr",""\n'
    bad = 'a,"x""y",b\r\n"q,\nr"s\n'
    (tmp_path / "good.csv").write_bytes(good.encode())
    (tmp_path / "bad.csv").write_bytes(bad.encode())

    assert quoting_problem(tmp_path / "good.csv") is None
    assert quoting_problem(tmp_path / "bad.csv") == "a quote in the middle of a field"
