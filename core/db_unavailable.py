"""A database that cannot be reached answers 503 at once, never a 500 or a hung request.

While PostgreSQL restarts (or fails over, or refuses connections), every request that
needs it raises django.db.OperationalError or InterfaceError. Two places turn that into
"try again in a few seconds":

- :class:`DatabaseUnavailableMiddleware` catches it from a view, the API's included (DRF
  passes an exception it does not know on to Django), and answers without a traceback in
  the log: the outage is logged once per process, not once per request;
- :func:`server_error` (``handler500`` in config/urls.py) catches it from anywhere else (a
  middleware that loads the session or the user, a response that saves the session) and
  leaves every other error to Django's own handler (the usual 500 page).

The site gets templates/503.html (rendered without the database: no user, no messages);
the API gets its error shape (core.api_errors.error_body), code ``database_unavailable``.
Both carry ``Retry-After``. How long a request may wait for a connection is bounded by
``DATABASE_CONNECT_TIMEOUT`` (config/settings.py), so "at once" means within seconds even
when the database host does not answer at all.

Celery tasks retry the same errors with back-off: :data:`TASK_RETRY_ON_DATABASE_ERRORS`.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connection, connections
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import server_error as django_server_error

from core.api_errors import error_body

logger = logging.getLogger(__name__)

DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
# What a client is told to wait: about a restart's length.
RETRY_AFTER_SECONDS = 10
# The outage is logged at most once per this many seconds per process.
LOG_EVERY_SECONDS = 30.0

# For Celery tasks that need the database (notifications.tasks, gate.tasks): a task that
# meets a database restart is retried with exponential back-off (2 s, 4 s, ... capped at
# 5 minutes, with jitter) instead of failing for good. Each task is idempotent, so a retry
# of one that had half-run changes nothing twice.
TASK_RETRY_ON_DATABASE_ERRORS: dict[str, Any] = {
    "autoretry_for": DATABASE_ERRORS,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 10,
}

_last_logged = 0.0
_log_lock = threading.Lock()

T = TypeVar("T")
# The pauses between tries of until_the_database_answers: 47.5 s in all, a restart's length.
DATABASE_WAIT_PAUSES: Sequence[float] = (0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0, 8.0)


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Django's OperationalError or InterfaceError, or the driver's own: a few code paths
    raise psycopg's unwrapped (a server-side cursor closed after the server shut down:
    ``AdminShutdown``, seen in test_postgres_restart_under_load). Also when it is the
    cause of the error raised."""
    driver = getattr(connection, "Database", None)
    errors = DATABASE_ERRORS + tuple(
        error for error in (getattr(driver, "OperationalError", None), getattr(driver, "InterfaceError", None)) if error
    )
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, errors):
            return True
        exc, seen = exc.__cause__, seen + 1
    return False


def until_the_database_answers(
    call: Callable[[], T],
    *,
    deadline: float,
    what: str,
    pause: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """``call()``, tried again while the database is unavailable (a restart) until the
    ``clock`` reaches ``deadline`` (a time.monotonic() value), the tries' own time
    counted; then its error is raised. No pause would end past the deadline, but a last
    try may (by up to DATABASE_CONNECT_TIMEOUT): a caller that must stop at it checks.

    For a worker that holds something only it knows, such as whether a message went out:
    retrying the whole task would lose it. Not inside a transaction (a broken connection
    inside one cannot be replaced), where the first error is raised at once."""
    database = connections[DEFAULT_DB_ALIAS]
    pauses = iter(DATABASE_WAIT_PAUSES)
    while True:
        try:
            return call()
        except Exception as exc:
            seconds = next(pauses, None)
            if seconds is None or clock() + seconds > deadline or database.in_atomic_block:
                raise
            if not is_database_unavailable(exc):
                raise
            logger.warning("database unavailable while %s; trying again in %.1f s: %s", what, seconds, exc)
        # The broken connection is closed (we are in no transaction), so that the next try
        # opens a new one; closing a dead one may fail too, and it is gone either way.
        if database.connection is not None:
            with contextlib.suppress(DatabaseError):
                database.close()
        pause(seconds)


def _log_outage(request: HttpRequest, exc: BaseException) -> None:
    global _last_logged
    with _log_lock:
        now = time.monotonic()
        if now - _last_logged < LOG_EVERY_SECONDS and _last_logged:
            return
        _last_logged = now
    logger.warning("database unavailable, answering 503 (%s %s): %s", request.method, request.path, exc)


def wants_api_error(request: HttpRequest) -> bool:
    """The API's paths, and any client that asked for JSON, get the API's error shape."""
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the API's JSON error, or the site's page. Touches no database."""
    message = _("The service is briefly unavailable. Please try again in a few seconds.")
    response: HttpResponse
    if wants_api_error(request):
        response = JsonResponse(error_body("database_unavailable", message), status=503)
    else:
        # No request in the context: context processors would load the user from the database.
        html = loader.render_to_string("503.html", {"message": message, "retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that meets an unreachable database answers 503 (see the module)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_unavailable(exception):
            return None
        _log_outage(request, exception)
        return database_unavailable_response(request)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """handler500: Django calls it inside the ``except`` of an uncaught exception, so the
    exception is at hand; a database error there gets the 503, anything else the 500."""
    exc = sys.exc_info()[1]
    if exc is not None and is_database_unavailable(exc):
        _log_outage(request, exc)
        return database_unavailable_response(request)
    response = django_server_error(request, template_name)
    return response if isinstance(response, HttpResponse) else HttpResponseServerError()
