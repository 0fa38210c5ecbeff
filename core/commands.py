"""What every management command of ours shares: one exit code for bad input, and a small
base that keeps refusals from ever becoming tracebacks.

A command that refuses its input (a malformed file, an unknown option value, a service's
refusal) exits with ``BAD_INPUT`` and a message naming the file, line and reason; an
unexpected failure keeps Django's exit code 1 and its traceback, so scripts can tell the
two apart.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.csv_input import InputFileError
from core.errors import DomainError

BAD_INPUT = 2


def bad_input(message: str) -> CommandError:
    """The error to raise for input the command refuses: exit code ``BAD_INPUT``, no traceback."""
    return CommandError(message, returncode=BAD_INPUT)


def date_option(name: str, raw: str | None) -> date | None:
    """An optional ``YYYY-MM-DD`` option (``--since``, ``--through``): None when absent."""
    if not raw:
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise bad_input(f"{name} must be a date written YYYY-MM-DD, got {raw!r}") from None


class OperatorCommand(BaseCommand):
    """The base of the operators' commands (imports, the gate's commands, the demo).

    A refusal that escapes ``handle`` is bad input, said in one line with ``BAD_INPUT``:
    an ``InputFileError`` (its message names the file and line) or a ``DomainError`` (a
    service's refusal, in words a person understands). A command that wants to add the
    file's name to a refusal catches it itself first.
    """

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except BrokenPipeError:
            # The reader of our output went away (`gate_events | head -1`): what it asked
            # for is written, so end quietly, as a Unix filter does, with no traceback.
            _stdout_discarded()
            return None
        except InputFileError as error:
            raise bad_input(str(error)) from None
        except DomainError as error:
            raise bad_input(error.message) from None


def _stdout_discarded() -> None:
    """Point standard output at /dev/null, so that the interpreter's last flush of what is
    still buffered does not raise BrokenPipeError again on the way out (Python's advice,
    https://docs.python.org/3/library/signal.html#note-on-sigpipe)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass  # no real standard output (a test's StringIO): nothing will be flushed
