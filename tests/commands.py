"""Helpers for testing the operators' commands as a person runs them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.commands import BAD_INPUT


def csv_file(path: Path, text: str) -> Path:
    """Write ``text`` (leading blank lines dropped, so a triple-quoted table reads well) to ``path``."""
    path.write_text(text.lstrip(), encoding="utf-8")
    return path


def command_refused(*args: str) -> CommandError:
    """Run a command that must refuse its input: the error it exits with (code BAD_INPUT)."""
    with pytest.raises(CommandError) as refused:
        call_command(*args, verbosity=0, stderr=io.StringIO())
    assert refused.value.returncode == BAD_INPUT
    return refused.value
