"""What every management command of ours shares: one exit code for bad input.

A command that refuses its input (a malformed file, an unknown option value) exits with
``BAD_INPUT`` and a message naming the file, line and reason; an unexpected failure keeps
Django's exit code 1 and its traceback, so scripts can tell the two apart.
"""

from __future__ import annotations

from django.core.management.base import CommandError

BAD_INPUT = 2


def bad_input(message: str) -> CommandError:
    """The error to raise for input the command refuses: exit code ``BAD_INPUT``, no traceback."""
    return CommandError(message, returncode=BAD_INPUT)
