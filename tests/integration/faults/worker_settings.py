"""Settings of the worker and beat subprocesses of the fault tests: production's settings
(config.settings) plus test-only hooks, each off unless its environment variable is set.
Production never loads this module.

* FAULTS_EMAIL_DIR: emails written as files there (Django's file-based backend), so every
  email a worker sends can be counted after it is gone.
* FAULTS_DAY_LOG: a line ``<day> <pid>`` appended each time a transaction that advanced the
  gate clock commits: a record of every day evaluated, by whom, that a rolled-back day
  (killed half-way) never reaches.
* FAULTS_SLOW_EVENT_SECONDS: sleep that long after each gate event row is written, inside
  the day's transaction, so a day's evaluation lasts long enough to be killed half-way.
* FAULTS_VISIBILITY_TIMEOUT: seconds after which Redis gives an unacknowledged message (a
  killed worker's task) to another worker; production keeps kombu's hour.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.backends.signals import connection_created

from config.settings import *  # noqa: F403

if os.environ.get("FAULTS_EMAIL_DIR"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["FAULTS_EMAIL_DIR"]

if os.environ.get("FAULTS_VISIBILITY_TIMEOUT"):
    # And look for such messages every second instead of every 100 s (10 s x throttle 10).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ["FAULTS_VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }

_DAY_LOG = os.environ.get("FAULTS_DAY_LOG", "")
_SLOW_EVENT_SECONDS = float(os.environ.get("FAULTS_SLOW_EVENT_SECONDS", "0") or 0)


def _day_logged(day: date) -> None:
    with open(_DAY_LOG, "a", encoding="utf-8") as handle:
        handle.write(f"{day.isoformat()} {os.getpid()}\n")


def _fault_hooks(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    result = execute(sql, params, many, context)
    if _DAY_LOG and sql.startswith('UPDATE "gate_gateclock"'):
        days = [value for value in params or () if type(value) is date]
        if days:
            transaction.on_commit(lambda: _day_logged(days[0]), using=context["connection"].alias)
    if _SLOW_EVENT_SECONDS and sql.startswith('INSERT INTO "gate_gateevent"'):
        time.sleep(_SLOW_EVENT_SECONDS)
    return result


def _install_fault_hooks(sender: Any, connection: Any, **kwargs: Any) -> None:
    # Sent on every (re)connection of the same wrapper: install once.
    if (_DAY_LOG or _SLOW_EVENT_SECONDS) and _fault_hooks not in connection.execute_wrappers:
        connection.execute_wrappers.append(_fault_hooks)


connection_created.connect(_install_fault_hooks, dispatch_uid="faults-worker-hooks")
