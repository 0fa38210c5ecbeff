"""The request id in Celery: a task queued while a request (or another task) is handled
carries that request's id in its message header ``request_id``, and the worker logs the
task's lines under it; a task queued by beat or a command gets an id of its own, so its
lines can be followed too. Workers and beat also log through Django's LOGGING, so their
lines have the same format (LOG_FORMAT) and fields as the web's. docs/logging.md.

Connected when config.celery_app imports this module (in every process that has the Celery
app: web, worker, beat, commands).
"""

from __future__ import annotations

import logging
import logging.config
from contextvars import Token
from typing import Any

from celery import signals
from django.conf import settings

from core.request_id import request_id_current, request_id_is_safe, request_id_new, request_id_var

TASK_HEADER = "request_id"

# The token of each running task's id, to restore what was set before it (nothing in a
# worker; the request's own id for a task run eagerly inside a request).
_tokens: dict[str, Token[str | None]] = {}


def request_id_for_publish() -> str:
    """The id a task queued now carries: the current request's or task's, else a new one."""
    return request_id_current() or request_id_new()


def request_id_of_task(task_request: Any) -> str:
    """The id a task runs under: its message's header when it is a safe token; else the one
    already set (a task run eagerly, inside the request that queued it); else a new one (a
    message from a publisher that adds no header)."""
    carried = getattr(task_request, TASK_HEADER, None)
    if isinstance(carried, str) and request_id_is_safe(carried):
        return carried
    return request_id_for_publish()


@signals.before_task_publish.connect(dispatch_uid="core.task_context.request_id_header_add")
def request_id_header_add(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    # A retry republishes from inside the task: it keeps the task's id, set below.
    if headers is not None and not headers.get(TASK_HEADER):
        headers[TASK_HEADER] = request_id_for_publish()


@signals.task_prerun.connect(dispatch_uid="core.task_context.request_id_task_set")
def request_id_task_set(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    if task_id is None or task is None:
        return
    _tokens[task_id] = request_id_var.set(request_id_of_task(task.request))


@signals.task_postrun.connect(dispatch_uid="core.task_context.request_id_task_reset")
def request_id_task_reset(task_id: str | None = None, **kwargs: Any) -> None:
    token = _tokens.pop(task_id, None) if task_id is not None else None
    if token is None:
        return
    try:
        request_id_var.reset(token)
    except ValueError:
        # Set in another context (a pool that runs prerun and postrun apart): leave none.
        request_id_var.set(None)


@signals.setup_logging.connect(dispatch_uid="core.task_context.worker_logging_setup")
def worker_logging_setup(loglevel: int | str | None = None, **kwargs: Any) -> None:
    """Workers and beat log through settings.LOGGING (its format and request id filter)
    instead of the handler Celery puts on the root logger; ``--loglevel`` still sets the level."""
    logging.config.dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)
