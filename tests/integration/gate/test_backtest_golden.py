"""``manage.py gate_backtest`` reproduces every golden file of ../shared/gate-golden exactly,
and refuses bad input with exit status 2, a message naming file, line and reason, and no
traceback.

The options of each golden file are read from the README's table (none is typed here).
No test needs the database. Without ../shared the golden tests skip, except under CI
(``CI`` set) where they fail: see ``tests.conftest.shared_path``.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

import gate.management.commands.gate_backtest as gate_backtest_command
from gate.backtest import Engine, run_backtest
from tests.conftest import SHARED_DIR, shared_path

_README = SHARED_DIR / "gate-golden" / "README.md"
# A table row: | `file.jsonl` | options, each run of them in backticks |
_ROW = re.compile(r"^\|\s*`(?P<file>[^`]+\.jsonl)`\s*\|(?P<options>.*)\|\s*$")
# Options whose value is a file named relative to gate-golden/.
_PATH_OPTIONS = {"--improvements"}


def golden_table(readme: Path) -> dict[str, list[str]]:
    """File name -> gate_backtest options, from the README's table."""
    table: dict[str, list[str]] = {}
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line.strip())
        if match is not None:
            table[match["file"]] = shlex.split(" ".join(re.findall(r"`([^`]*)`", match["options"])))
    return table


_TABLE = golden_table(_README) if _README.exists() else {}


def _golden_options(file: str) -> list[str]:
    readme = shared_path("gate-golden", "README.md")  # skips, or fails under CI, when missing
    options = list(_TABLE[file])
    for position, word in enumerate(options[:-1]):
        if word in _PATH_OPTIONS:
            options[position + 1] = str((readme.parent / options[position + 1]).resolve())
    return options


@pytest.fixture
def spec_defaults(settings: Any) -> None:
    """ "(defaults)" in the table means the spec's defaults, whatever the environment says."""
    settings.GATE_THRESHOLD = "3.0"
    settings.GATE_GRACE_DAYS = 30
    settings.GATE_MIN_REVIEWS = 25
    settings.GATE_WINDOW_DAYS = 365
    settings.TIME_ZONE = "Europe/Paris"


def test_the_golden_table_names_every_golden_file() -> None:
    readme = shared_path("gate-golden", "README.md")

    assert len(_TABLE) == 6
    assert set(_TABLE) == {path.name for path in readme.parent.glob("*.jsonl")}


@pytest.mark.usefixtures("spec_defaults")
@pytest.mark.parametrize("engine", ["columnar", "rows"])
@pytest.mark.parametrize("file", sorted(_TABLE) or ["gate-golden-missing"])
def test_gate_backtest_reproduces_the_golden_file(
    file: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each engine on its own: "columnar" raises rather than fall back to the rows engine.
    monkeypatch.setattr(gate_backtest_command, "run_backtest", functools.partial(run_backtest, engine=engine))
    options = _golden_options(file)
    reviews = shared_path("data", "yelpchi_reviews.csv")
    golden = shared_path("gate-golden", file)
    out = tmp_path / "events.jsonl"
    stderr = io.StringIO()

    call_command("gate_backtest", str(reviews), *options, "--events", str(out), stdout=io.StringIO(), stderr=stderr)

    produced = out.read_text(encoding="utf-8").splitlines()
    expected = golden.read_text(encoding="utf-8").splitlines()
    assert len(produced) == len(expected)
    for number, (line, golden_line) in enumerate(zip(produced, expected, strict=True), start=1):
        assert json.loads(line) == json.loads(golden_line), f"{file}, line {number}"
        assert list(json.loads(line)) == ["day", "product_id", "event", "average", "count"]
    assert "products seen" in stderr.getvalue()


@pytest.mark.usefixtures("spec_defaults")
def test_events_go_to_standard_output_without_events_option() -> None:
    reviews = shared_path("data", "yelpchi_reviews.csv")
    golden = shared_path("gate-golden", "yelpchi__default.jsonl")
    stdout, stderr = io.StringIO(), io.StringIO()

    call_command("gate_backtest", str(reviews), "--tz", "UTC", stdout=stdout, stderr=stderr)

    assert [json.loads(line) for line in stdout.getvalue().splitlines()] == [
        json.loads(line) for line in golden.read_text(encoding="utf-8").splitlines()
    ]
    summary = stderr.getvalue()
    assert "201 products seen" in summary
    assert "still withdrawn at the end" in summary
    assert "{" not in summary  # events never leak into the summary


# --- Bad input -----------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "product_id,rating,created_at\nA,4,2026-01-01\n"

BAD_INPUTS = [
    # (name, reviews content or None for a missing file, extra options, expected message)
    ("missing column", "product_id,created_at\nA,2026-01-01\n", [], "{reviews}, line 1: missing column rating"),
    ("empty file", "", [], "{reviews}, line 1: the file is empty"),
    ("rating 6", GOOD + "A,6,2026-01-02\n", [], "{reviews}, line 3: rating must be an integer from 1 to 5, got '6'"),
    (
        "rating 3.5",
        GOOD + "A,3.5,2026-01-02\n",
        [],
        "{reviews}, line 3: rating must be an integer from 1 to 5, got '3.5'",
    ),
    (
        "rating five",
        GOOD + "A,five,2026-01-02\n",
        [],
        "{reviews}, line 3: rating must be an integer from 1 to 5, got 'five'",
    ),
    ("unreadable date", GOOD + "A,4,2026-13-01\n", [], "{reviews}, line 3: unreadable created_at '2026-13-01'"),
    ("missing file", None, [], "{reviews}: no such file"),
    ("unknown time zone", GOOD, ["--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
    (
        "from after to",
        GOOD,
        ["--from", "2026-02-01", "--to", "2026-01-01"],
        "--from 2026-02-01 is after --to 2026-01-01",
    ),
    ("negative grace days", GOOD, ["--grace-days", "-1"], "grace_days must be at least 0, got -1"),
    ("grace days not a number", GOOD, ["--grace-days", "a month"], "--grace-days must be a whole number"),
    ("threshold out of range", GOOD, ["--threshold", "6"], "threshold must be above 1 and at most 5"),
    ("zero min reviews", GOOD, ["--min-reviews", "0"], "min_reviews must be at least 1"),
    ("negative window", GOOD, ["--window-days", "-7"], "window_days must be at least 0"),
    ("bad from date", GOOD, ["--from", "01/02/2026"], "--from must be a date written YYYY-MM-DD"),
    ("events in a missing directory", GOOD, ["--events", "/nonexistent/dir/out.jsonl"], "cannot write the events"),
]


@pytest.mark.parametrize(
    ("content", "options", "message"), [row[1:] for row in BAD_INPUTS], ids=[row[0] for row in BAD_INPUTS]
)
def test_bad_input_stops_with_status_2_and_a_clear_message(
    tmp_path: Path, content: str | None, options: list[str], message: str
) -> None:
    reviews = tmp_path / "reviews.csv"
    if content is not None:
        _write(reviews, content)

    with pytest.raises(CommandError) as caught:
        call_command("gate_backtest", str(reviews), *options, stdout=io.StringIO(), stderr=io.StringIO())

    assert caught.value.returncode == 2
    assert message.format(reviews=reviews) in str(caught.value)


def test_a_bad_events_path_leaves_no_file_and_a_failed_run_writes_none(tmp_path: Path) -> None:
    reviews = _write(tmp_path / "reviews.csv", GOOD + "A,9,2026-01-02\n")
    out = tmp_path / "events.jsonl"

    with pytest.raises(CommandError):
        call_command("gate_backtest", str(reviews), "--events", str(out), stdout=io.StringIO(), stderr=io.StringIO())

    assert not out.exists()


def test_skip_invalid_reports_each_skipped_row_and_counts_them(tmp_path: Path) -> None:
    reviews = _write(tmp_path / "reviews.csv", GOOD + "A,9,2026-01-02\nA,4,\n")
    stderr = io.StringIO()

    call_command("gate_backtest", str(reviews), "--skip-invalid", stdout=io.StringIO(), stderr=stderr)

    report = stderr.getvalue()
    assert f"skipped {reviews}, line 3: rating must be an integer from 1 to 5, got '9'" in report
    assert f"skipped {reviews}, line 4: created_at is empty" in report
    assert "skipped rows (--skip-invalid): 2" in report


def test_an_improvements_file_for_a_product_without_reviews_is_fine(tmp_path: Path) -> None:
    reviews = _write(tmp_path / "reviews.csv", GOOD)
    improvements = _write(tmp_path / "improvements.csv", "product_id,logged_at,description\nNEW,2026-01-02T09:00,x\n")
    stdout = io.StringIO()

    call_command(
        "gate_backtest",
        str(reviews),
        "--improvements",
        str(improvements),
        "--tz",
        "UTC",
        stdout=stdout,
        stderr=io.StringIO(),
    )

    assert [json.loads(line) for line in stdout.getvalue().splitlines()] == [
        {"day": "2026-01-02", "product_id": "NEW", "event": "improved", "average": None, "count": 0}
    ]


def test_progress_is_shown_at_verbosity_2_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gate.backtest.scan.PROGRESS_EVERY", 2)
    rows = "".join(f"A,4,2026-01-{day:02d}\n" for day in range(1, 8))
    reviews = _write(tmp_path / "reviews.csv", "product_id,rating,created_at\n" + rows)
    quiet, chatty = io.StringIO(), io.StringIO()

    call_command("gate_backtest", str(reviews), stdout=io.StringIO(), stderr=quiet)
    call_command("gate_backtest", str(reviews), "--verbosity", "2", stdout=io.StringIO(), stderr=chatty)

    assert "rows read" not in quiet.getvalue()
    assert "rows read" in chatty.getvalue()


def test_the_command_line_exits_2_with_the_message_and_no_traceback(tmp_path: Path) -> None:
    reviews = _write(tmp_path / "reviews.csv", GOOD + "A,6,2026-01-02\n")
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}

    result = subprocess.run(
        [sys.executable, "manage.py", "gate_backtest", str(reviews)],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 2, result.stderr
    assert f"{reviews}, line 3: rating must be an integer from 1 to 5, got '6'" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def _command_line(*args: str, python_flags: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *python_flags, "manage.py", "gate_backtest", *args],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_line_gives_the_events_of_the_django_command(tmp_path: Path) -> None:
    # manage.py runs gate_backtest without django.setup(): the same command, the same output.
    rows = "".join(f"A,{1 + day % 2},2026-01-{day:02d}\nB,5,2026-01-{day:02d}\n" for day in range(1, 9))
    reviews = _write(tmp_path / "reviews.csv", "product_id,rating,created_at\n" + rows)
    options = ["--min-reviews", "2", "--grace-days", "3", "--tz", "UTC"]
    in_process = io.StringIO()
    call_command("gate_backtest", str(reviews), *options, stdout=in_process, stderr=io.StringIO())

    result = _command_line(str(reviews), *options)

    assert result.returncode == 0, result.stderr
    assert result.stdout == in_process.getvalue()
    assert '"event": "flagged"' in result.stdout
    assert "2 products seen" in result.stderr


def test_the_command_line_starts_without_the_apps(tmp_path: Path) -> None:
    # Its start-up budget (docs/performance.md): the settings and the command, not Celery,
    # DRF or the models.
    reviews = _write(tmp_path / "reviews.csv", GOOD)

    result = _command_line(str(reviews), python_flags=("-X", "importtime"))

    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "gate.backtest" in imported
    assert not {"celery", "rest_framework", "django.contrib.auth.models", "reviews.models"} & imported


def test_the_command_lines_help_names_its_options() -> None:
    result = _command_line("--help")

    assert result.returncode == 0, result.stderr
    assert "REVIEWS.csv" in result.stdout
    assert "--window-days" in result.stdout
    assert "--verbosity" in result.stdout
