"""``manage.py gate_events [--since YYYY-MM-DD] [--format jsonl|csv] [--output FILE]``."""

from __future__ import annotations

import csv
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import IO, Any

from django.core.management.base import CommandParser

from core.commands import OperatorCommand, bad_input, date_option
from gate.selectors import gate_events_in_spec_order

COLUMNS = ("day", "product_id", "event", "average", "count")


def _csv_values(line: str) -> list[str]:
    # The CSV cells are the JSON line's values, read back as text: one serialiser
    # (gate.policy.GateEvent.to_json) decides how every number is written.
    values = json.loads(line, parse_float=str, parse_int=str)
    return ["" if values[column] is None else str(values[column]) for column in COLUMNS]


class Command(OperatorCommand):
    help = "Print the stored gate events in the spec's order, as JSON Lines (default) or CSV."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="only events of this day and later")
        parser.add_argument("--format", default="jsonl", help="jsonl (default) or csv")
        parser.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        since = date_option("--since", options["since"])
        form = str(options["format"]).strip().lower()
        if form not in ("jsonl", "csv"):
            raise bad_input(f"--format must be jsonl or csv, got {options['format']!r}")
        output = Path(options["output"]) if options["output"] else None
        if output is None:
            self._write(self.stdout, form, since)
            return
        if output.is_dir():
            raise bad_input(f"{output}: is a directory; --output needs a file name")
        if not output.parent.is_dir():
            raise bad_input(f"{output}: no directory {output.parent}")
        # Written beside the target and renamed at the end: never a half-written file.
        try:
            handle, temporary = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".part")
            try:
                with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                    count = self._write(stream, form, since)
                os.replace(temporary, output)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise bad_input(f"{output}: cannot write ({error.strerror or error})") from None
        if int(options["verbosity"]) >= 1:
            self.stderr.write(f"gate_events: {count:,} events written to {output}")

    def _write(self, stream: Any, form: str, since: date | None) -> int:
        count = 0
        out: IO[str] = stream
        if form == "csv":
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(COLUMNS)
            for event in gate_events_in_spec_order(since=since):
                writer.writerow(_csv_values(event.to_json()))
                count += 1
        else:
            for event in gate_events_in_spec_order(since=since):
                out.write(event.to_json() + "\n")
                count += 1
        return count
