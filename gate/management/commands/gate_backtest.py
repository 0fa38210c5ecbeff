"""``manage.py gate_backtest``: try a gate policy on past reviews (``../shared/GATE_SPEC.md``)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandParser

from core.commands import OperatorCommand, bad_input
from gate.configured import gate_policy_settings

# The columnar engine imports numpy, whose OpenBLAS starts a thread per core at import
# and spins them: CPU and start-up time for linear algebra the backtest never does.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from core.csv_input import InputFileError, RowError
from gate.backtest import BacktestSummary, JsonLinesSink, run_backtest
from gate.policy import GatePolicy, PolicyError, fraction_text

# Events are spooled (in memory up to this size, then on disk) and written out at the end,
# so a failed run leaves no half-written file and an unsorted input can restart cleanly.
_SPOOL_BYTES = 8 * 1024 * 1024
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _plain(text: str) -> str:
    return text


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _integer_option(name: str, value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if not _INTEGER.fullmatch(text):
        raise bad_input(f"{name} must be a whole number, got {value!r}")
    return int(text)


def _day_option(name: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise bad_input(f"{name} must be a date written YYYY-MM-DD, got {value!r}") from None


class Command(OperatorCommand):
    help = (
        "Replay the quality gate over past reviews (CSV) under a policy and print its events "
        "as JSON Lines; a summary goes to standard error. Policy options default to the "
        "GATE_* settings and TIME_ZONE."
    )
    # A replay of CSV files touches no model, URL or database: the project's system checks
    # (which import every URLconf) would only add start-up time and unrelated failures.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        # Values are taken as text and checked in handle(), so that every bad value gives
        # the same kind of message and exit status 2, from the shell or from call_command.
        parser.add_argument("reviews", metavar="REVIEWS.csv", help="product_id, rating, created_at (+ any)")
        parser.add_argument("--improvements", metavar="IMPROVEMENTS.csv", help="product_id, logged_at (+ any)")
        parser.add_argument("--threshold", help="below when the average is under this (GATE_THRESHOLD)")
        parser.add_argument("--grace-days", help="days a flagged product may stay below (GATE_GRACE_DAYS)")
        parser.add_argument("--min-reviews", help="fewer counted reviews are never below (GATE_MIN_REVIEWS)")
        parser.add_argument("--window-days", help="count the last N days; 0: all (GATE_WINDOW_DAYS)")
        parser.add_argument("--from", dest="from_day", metavar="YYYY-MM-DD", help="first evaluated day")
        parser.add_argument("--to", dest="to_day", metavar="YYYY-MM-DD", help="last evaluated day")
        parser.add_argument("--tz", metavar="ZONE", help="time zone that cuts days (TIME_ZONE)")
        parser.add_argument("--events", metavar="OUT.jsonl", help="write events here instead of stdout")
        parser.add_argument("--skip-invalid", action="store_true", help="skip, count and report malformed rows")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        verbosity = int(options["verbosity"])
        policy = self._policy(options)
        from_day = _day_option("--from", options["from_day"])
        to_day = _day_option("--to", options["to_day"])
        if from_day is not None and to_day is not None and from_day > to_day:
            raise bad_input(f"--from {from_day} is after --to {to_day}")
        reviews = Path(options["reviews"])
        improvements = Path(options["improvements"]) if options["improvements"] else None
        events_path = Path(options["events"]) if options["events"] else None
        if events_path is not None:
            self._check_writable(events_path, reviews, improvements)

        show_progress = verbosity >= 2 or (verbosity >= 1 and self.stderr.isatty())

        def report_skip(error: RowError) -> None:
            if verbosity >= 1:
                self.stderr.write(f"skipped {error}", style_func=_plain)

        def report_progress(message: str) -> None:
            self.stderr.write(message, style_func=_plain)

        with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES, mode="w+", encoding="utf-8", newline="\n") as spool:
            try:
                summary = run_backtest(
                    reviews,
                    policy=policy,
                    sink=JsonLinesSink(spool),
                    improvements_path=improvements,
                    from_day=from_day,
                    to_day=to_day,
                    skip_invalid=bool(options["skip_invalid"]),
                    on_skip=report_skip,
                    progress=report_progress if show_progress else None,
                )
            except InputFileError as error:
                raise bad_input(str(error)) from None
            self._write_events(spool, events_path)
        self._report(summary, policy, verbosity=verbosity, started=started)

    def _write_events(self, spool: IO[str], events_path: Path | None) -> None:
        """The spooled events, to standard output or to ``--events``."""
        spool.seek(0)
        if events_path is None:
            while chunk := spool.read(1 << 16):
                self.stdout.write(chunk, ending="")
            return
        try:
            with open(events_path, "w", encoding="utf-8", newline="\n") as out:
                shutil.copyfileobj(spool, out)
        except OSError as error:
            raise bad_input(f"{events_path}: cannot write the events ({error.strerror or error})") from None

    def _report(self, summary: BacktestSummary, policy: GatePolicy, *, verbosity: int, started: float) -> None:
        if verbosity >= 1:
            for line in self._summary_lines(summary, policy):
                self.stderr.write(line, style_func=_plain)
        if verbosity >= 2:
            elapsed = time.perf_counter() - started
            self.stderr.write(f"done in {elapsed:.2f} s (Django start-up not included)", style_func=_plain)
        elif summary.rows_skipped:
            self.stderr.write(f"skipped rows: {summary.rows_skipped:,}", style_func=_plain)

    def _policy(self, options: dict[str, Any]) -> GatePolicy:
        """The settings' policy (gate.configured), with the options given on top."""
        configured = gate_policy_settings()

        def pick(option: str, key: str) -> object:
            value = options[option]
            return value if value is not None else configured[key]

        try:
            return GatePolicy.build(
                threshold=str(pick("threshold", "threshold")),
                grace_days=_integer_option("--grace-days", pick("grace_days", "grace_days")),
                min_reviews=_integer_option("--min-reviews", pick("min_reviews", "min_reviews")),
                window_days=_integer_option("--window-days", pick("window_days", "window_days")),
                timezone=str(pick("tz", "timezone")),
            )
        except PolicyError as error:
            raise bad_input(f"invalid policy: {error}") from None

    def _check_writable(self, events: Path, reviews: Path, improvements: Path | None) -> None:
        """Refuse an unusable --events path before a long run rather than after it."""
        if events.is_dir():
            raise bad_input(f"{events}: is a directory; --events needs a file name")
        parent = events.parent
        if not parent.is_dir():
            raise bad_input(f"{events}: cannot write the events (no directory {parent})")
        for source in (reviews, improvements):
            if source is not None and source.exists() and events.resolve() == source.resolve():
                raise bad_input(f"{events}: --events would overwrite an input file")

    def _summary_lines(self, summary: BacktestSummary, policy: GatePolicy) -> list[str]:
        window = f"last {policy.window_days} days" if policy.window_days else "all time"
        lines = [
            f"gate_backtest: {_count(summary.reviews, 'review')}, {_count(summary.improvements, 'improvement')}, "
            f"{_count(summary.products_seen, 'product')} seen",
            f"policy: below {fraction_text(policy.threshold)} with at least {_count(policy.min_reviews, 'review')} "
            f"({window}), {_count(policy.grace_days, 'grace day')}, days cut in {policy.timezone}",
        ]
        if summary.first_day is not None:
            lines.append(f"days evaluated: {summary.first_day} to {summary.last_day}")
        else:
            lines.append("days evaluated: none (no review or improvement in the range)")
        lines.append(
            f"products flagged: {summary.products_flagged:,}, withdrawn: {summary.products_withdrawn:,}, "
            f"reinstated: {summary.products_reinstated:,}; still withdrawn at the end: "
            f"{summary.still_withdrawn:,} (still flagged: {summary.still_flagged:,})"
        )
        kinds = ", ".join(f"{kind} {count:,}" for kind, count in sorted(summary.events_by_kind.items()))
        lines.append(f"events: {summary.events:,}" + (f" ({kinds})" if kinds else ""))
        if summary.superseded_reviews:
            lines.append(
                f"reviews written on an improvement's day before it (previous revision, "
                f"never counted): {summary.superseded_reviews:,}"
            )
        if not summary.sorted_input:
            lines.append("the reviews file is not sorted by day: it was read twice, through a sort")
        if summary.rows_skipped:
            lines.append(f"skipped rows (--skip-invalid): {summary.rows_skipped:,}")
        for name, columns in summary.ignored_columns.items():
            if columns:
                lines.append(f"ignored columns of the {name} file: {', '.join(columns)}")
        return lines
