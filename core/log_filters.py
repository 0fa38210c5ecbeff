"""Logging filters named in settings.LOGGING (loaded before the apps: standard library only)."""

from __future__ import annotations

import logging


class NoTracebackForClientErrors(logging.Filter):
    """On ``django.request``: a 4xx answer (a refused permission, a bad request) is logged as
    the one-line warning Django writes, without the traceback it attaches; a 5xx keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
