"""``manage.py gate_evaluate [--through YYYY-MM-DD]``: evaluate every day not yet evaluated."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandParser
from django.utils import timezone

from core.commands import OperatorCommand, bad_input, date_option
from gate.configured import gate_policy_from_settings
from gate.services import DaySummary, gate_evaluate_through, gate_next_day

# At verbosity 1, a progress line every this many days (every day at verbosity 2).
PROGRESS_EVERY_DAYS = 100


def _plain(text: str) -> str:
    return text


class Command(OperatorCommand):
    help = (
        "Evaluate the quality gate, in order, on every day not yet evaluated up to --through "
        "(default: yesterday in TIME_ZONE). What the scheduled task runs; safe to repeat."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--through", metavar="YYYY-MM-DD", help="last day to evaluate (default: yesterday)")

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        try:
            policy = gate_policy_from_settings()
        except ImproperlyConfigured as error:
            raise bad_input(str(error)) from None
        now = timezone.now()
        through = date_option("--through", options["through"]) or policy.day_of(now) - timedelta(days=1)
        first = gate_next_day(policy=policy)
        total_days = (through - first).days + 1 if first is not None and first <= through else 0

        def progress(day: DaySummary) -> None:
            done = (day.day - first).days + 1 if first is not None else 0
            if verbosity >= 2 or (verbosity >= 1 and (done % PROGRESS_EVERY_DAYS == 0 or done == total_days)):
                kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(day.events.items()))
                self.stderr.write(
                    f"{day.day} ({done:,}/{total_days:,}): {day.products_evaluated:,} products evaluated"
                    + (f"; {kinds}" if kinds else "")
                    + (" (every product: first day or new policy)" if day.full else ""),
                    style_func=_plain,
                )

        # A refusal (a day not over yet, say) is bad input: OperatorCommand says it in one line.
        summary = gate_evaluate_through(through=through, now=now, policy=policy, progress=progress)
        if verbosity >= 1:
            if summary.days == 0:
                self.stderr.write(f"gate_evaluate: nothing to evaluate through {through}", style_func=_plain)
            else:
                kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(summary.events.items())) or "none"
                self.stderr.write(
                    f"gate_evaluate: {summary.days:,} days evaluated, {summary.first_day} to {summary.last_day}; "
                    f"events: {kinds}",
                    style_func=_plain,
                )
