#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

from __future__ import annotations

import os
import sys
from importlib import import_module

# Cheap for the commands below: theirs import django.core.management.base, which runs
# this package's __init__ all the same; no app is imported until django.setup().
from django.core.management import execute_from_command_line

# Commands that read files and settings only (no model, no database, no template), run
# without django.setup(): setting up imports every app (Celery, DRF, the API schema...),
# which costs more CPU than gate_backtest needs to read a million reviews
# (docs/performance.md). They still run as Django commands (same options, same errors).
NO_SETUP_COMMANDS = {"gate_backtest": "gate.management.commands.gate_backtest"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command in NO_SETUP_COMMANDS:
        import_module(NO_SETUP_COMMANDS[command]).Command().run_from_argv(sys.argv)
        return
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
