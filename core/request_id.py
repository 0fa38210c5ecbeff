"""The request id: one token per request, on every log line written while it is handled
(core.log_filters.RequestIdFilter), echoed to the client in ``X-Request-ID``, and carried
into every Celery task the request queues (core.task_context). docs/logging.md.

Standard library only at import: the logging filter reads this module while the settings
are being configured.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

REQUEST_ID_HEADER = "X-Request-ID"
# A load balancer's or client's id is kept only when it cannot forge a log line or a
# header: letters, digits, dot, underscore, hyphen, at most 64 (contracts20.md).
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# None outside a request or task: the log lines of start-up, beat's ticks, a command.
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


def request_id_new() -> str:
    return uuid.uuid4().hex


def request_id_is_safe(value: str) -> bool:
    return _SAFE_REQUEST_ID.fullmatch(value) is not None


def request_id_from_header(value: str | None, *, new_id: Callable[[], str] = request_id_new) -> str:
    """The id a request is logged under: the incoming header's when it is a safe token,
    else a new one (absent, empty, too long, or with spaces, quotes, newlines...)."""
    if value is not None and request_id_is_safe(value):
        return value
    return new_id()


def request_id_current() -> str | None:
    return request_id_var.get()


def _reset_quietly(token: Token[str | None]) -> None:
    try:
        request_id_var.reset(token)
    except ValueError:
        # Closed in another context than the one that set it (an ASGI server closes the
        # response in a thread of its own): no request id for what runs there next.
        request_id_var.set(None)


class RequestIdMiddleware:
    """Sets the request id for the request's duration and echoes it in ``X-Request-ID``.

    The id stays set until the response is closed, not only until this middleware
    returns: Django writes its ``django.request`` line for a 4xx/5xx answer after the
    middleware chain (BaseHandler.get_response), and that line must carry the id too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from_header(request.headers.get(REQUEST_ID_HEADER))
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        except BaseException:
            _reset_quietly(token)
            raise
        response[REQUEST_ID_HEADER] = request_id
        # Run by response.close(), which the WSGI server (or the test client) calls once
        # the body is sent: the same hook Django uses to close the request's files.
        response._resource_closers.append(lambda: _reset_quietly(token))  # type: ignore[attr-defined]
        return response
