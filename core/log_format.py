"""How log lines are written: ``LOG_FORMAT=plain`` (the default, for people) or ``json``
(one object per line, for a log collector). Named in settings.LOGGING; docs/logging.md.

Loaded while the settings are configured: no app and no Django setting is imported here.
"""

from __future__ import annotations

import copy
import logging
import time
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.json import JsonFormatter

LOG_FORMATS = ("plain", "json")

# The plain line: what the project always wrote, with the request id in brackets ("-"
# outside a request or task; core.log_filters.RequestIdFilter sets it inside).
PLAIN_FORMAT = "%(asctime)s.%(msecs)03dZ %(levelname)s %(name)s [%(request_id)s] %(message)s"
NO_REQUEST_ID = "-"

# The formatters by LOG_FORMAT's names, and the filter that stamps every record with the
# request id: shared by Django's LOGGING and gunicorn's own (core.gunicorn_logging).
FORMATTERS: dict[str, dict[str, str]] = {
    "plain": {"()": "core.log_format.plain_formatter"},
    "json": {"()": "core.log_format.JsonLineFormatter"},
}
REQUEST_ID_FILTER = {"()": "core.log_filters.RequestIdFilter"}


def logging_config(log_format: str, *, level: str) -> dict[str, Any]:
    """settings.LOGGING: one console handler writing ``log_format`` lines at ``level``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": copy.deepcopy(FORMATTERS),  # dictConfig takes its entries apart
        "filters": {
            # A 403 or 400 is an answer, not a fault: its one-line warning without the
            # traceback Django attaches (core/log_filters.py).
            "no_traceback_for_client_errors": {"()": "core.log_filters.NoTracebackForClientErrors"},
            # On the handler, not a logger: a handler sees every logger's records.
            "request_id": dict(REQUEST_ID_FILTER),
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "django.request": {"filters": ["no_traceback_for_client_errors"]},
        },
    }


def log_format_checked(value: object) -> str:
    """``value`` when it is one of LOG_FORMATS; anything else stops start-up (a typo must not
    leave a deployment writing lines its collector cannot parse)."""
    if isinstance(value, str) and value in LOG_FORMATS:
        return value
    accepted = ", ".join(repr(name) for name in LOG_FORMATS)
    raise ImproperlyConfigured(f"LOG_FORMAT must be one of {accepted}, not {value!r}")


def plain_formatter() -> logging.Formatter:
    # UTC, said so: processes that loaded Django run in TIME_ZONE and those that did not
    # (gunicorn's master) in the machine's zone, which made one log's times go backwards.
    formatter = logging.Formatter(PLAIN_FORMAT, datefmt="%Y-%m-%dT%H:%M:%S", defaults={"request_id": NO_REQUEST_ID})
    formatter.converter = time.gmtime
    return formatter


class JsonLineFormatter(JsonFormatter):
    """One JSON object per line: ``timestamp`` (ISO 8601, UTC), ``level``, ``logger``,
    ``message``, ``request_id`` (null outside a request or task), ``exception`` (the
    traceback's text, when there is one), then every ``extra=`` field the caller passed."""

    def __init__(self) -> None:
        super().__init__(
            "{levelname}{name}{message}{request_id}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger", "exc_info": "exception"},
        )

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        # First, so a person reading the raw line sees when before what.
        log_data["timestamp"] = (
            datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        )
        super().add_fields(log_data, record, message_dict)
        # Django's request lines (django.request) carry the request object: its text would be
        # the full URL with its query string (a signed link's token); keep method and path.
        request = log_data.pop("request", None)
        if request is not None and hasattr(request, "method") and hasattr(request, "path"):
            log_data["method"] = request.method
            log_data["path"] = request.path
