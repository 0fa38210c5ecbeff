"""``manage.py send_team_digests [--day YYYY-MM-DD]``: write a day's team digests now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from core.commands import OperatorCommand, bad_input, date_option
from core.strict_dates import EARLIEST_PERIOD_DAY
from topics.digests import team_digests_send


class Command(OperatorCommand):
    help = (
        "Write each team member's digest of --day (default: today in TIME_ZONE): the reviews "
        "published the day before (those still untagged are tagged first), in the outbox. What the "
        "08:00 task runs; safe to repeat "
        "(a member gets one digest a day). Exit code 2 for a malformed or future day, or one "
        f"before {EARLIEST_PERIOD_DAY}."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", metavar="YYYY-MM-DD", help="the digest's day (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        day = date_option("--day", options["day"]) or today
        if day > today:
            # Its window (the day before it) is not over: a digest now would miss what is
            # published later, and the day's real run would then find it already written.
            raise bad_input(f"--day {day} is in the future: a digest is written once the day before it is over")
        if day < EARLIEST_PERIOD_DAY:
            # The window starts at the day before's local midnight: before year 1 (and, in
            # some time zones, near it) Python's datetime cannot hold it. No review is that old.
            raise bad_input(f"--day {day} is too early: give a day from {EARLIEST_PERIOD_DAY} on")
        run = team_digests_send(day=day, now=now)
        if int(options["verbosity"]) >= 1:
            tagged = f" ({run.tagged} untagged review(s) of the day tagged first)" if run.tagged else ""
            self.stdout.write(
                f"send_team_digests {run.day}: {run.sent} digest(s) written, "
                f"{run.already} already written by an earlier run{tagged}"
            )
