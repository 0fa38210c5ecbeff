"""Logging filters named in settings.LOGGING (loaded before the apps: standard library and
core.request_id only)."""

from __future__ import annotations

import logging

from core.request_id import request_id_current


class NoTracebackForClientErrors(logging.Filter):
    """On ``django.request``: a 4xx answer (a refused permission, a bad request) is logged as
    the one-line warning Django writes, without the traceback it attaches; a 5xx keeps it."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class RequestIdFilter(logging.Filter):
    """On the handlers: puts the current request's id (core.request_id) on every record,
    whichever logger wrote it; a task run by a worker has its request's id (core.task_context).
    Outside both the record gets none: the plain format shows "-", JSON null."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = request_id_current()
        if request_id is not None:
            record.request_id = request_id
        return True
