"""The request id and the log formats (issue 20, item 4; docs/logging.md), without a
database: which incoming ids are kept, LOG_FORMAT's check, the JSON and plain lines, and
the Celery signal handlers that carry the id into tasks."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from core.log_filters import RequestIdFilter
from core.log_format import JsonLineFormatter, log_format_checked, plain_formatter
from core.request_id import RequestIdMiddleware, request_id_current, request_id_from_header, request_id_var
from core.task_context import (
    TASK_HEADER,
    request_id_header_add,
    request_id_task_reset,
    request_id_task_set,
    worker_logging_setup,
)
from tests.conftest import REPO_ROOT

NEW = "new-id"


@pytest.fixture(autouse=True)
def _no_request_id_leaks() -> Iterator[None]:
    token = request_id_var.set(None)
    yield
    request_id_var.reset(token)


@pytest.mark.parametrize(
    "incoming",
    ["a", "abc-123", "A.b_c-9", "0f" * 16, "x" * 64, "7b2d0c2e-4c5e-4f59-9d1a-2a7d6d8c1f00"],
)
def test_a_safe_incoming_id_is_kept(incoming: str) -> None:
    assert request_id_from_header(incoming, new_id=lambda: NEW) == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        None,
        "",
        "x" * 65,
        "has space",
        "line\nbreak",
        "trailing-newline\n",
        'quote"d',
        "semi;colon",
        "slash/ed",
        "café",
        "tab\there",
        "{json}",
    ],
)
def test_an_absent_or_unsafe_incoming_id_is_replaced(incoming: str | None) -> None:
    assert request_id_from_header(incoming, new_id=lambda: NEW) == NEW


def test_a_new_id_is_a_uuid4_in_hex_and_differs_each_time() -> None:
    first, second = request_id_from_header(None), request_id_from_header(None)
    assert first != second
    assert len(first) == 32
    assert int(first, 16) >= 0


@pytest.mark.parametrize("value", ["plain", "json"])
def test_log_format_accepts_plain_and_json(value: str) -> None:
    assert log_format_checked(value) == value


@pytest.mark.parametrize("value", ["JSON", "jsn", "text", "", None, 1])
def test_any_other_log_format_is_a_configuration_error_naming_the_choices(value: object) -> None:
    with pytest.raises(ImproperlyConfigured, match=r"LOG_FORMAT must be one of 'plain', 'json'"):
        log_format_checked(value)


def _record(message: str = "review %s held", *args: object, **extra: object) -> logging.LogRecord:
    record = logging.getLogger("reviews.bursts").makeRecord(
        "reviews.bursts", logging.WARNING, __file__, 1, message, args or (7,), None, extra=extra or None
    )
    RequestIdFilter().filter(record)
    return record


def test_a_json_line_has_the_fields_and_the_callers_extras() -> None:
    request_id_var.set("req-1")
    line = JsonLineFormatter().format(_record(product_id=3, sku="P1"))
    assert "\n" not in line
    data = json.loads(line)
    assert data == {
        "timestamp": data["timestamp"],
        "level": "WARNING",
        "logger": "reviews.bursts",
        "message": "review 7 held",
        "request_id": "req-1",
        "product_id": 3,
        "sku": "P1",
    }
    assert data["timestamp"].endswith("Z")
    stamp = datetime.fromisoformat(data["timestamp"])
    assert stamp.utcoffset() == UTC.utcoffset(None)
    assert abs((datetime.now(UTC) - stamp).total_seconds()) < 60
    assert list(data)[:5] == ["timestamp", "level", "logger", "message", "request_id"]


def test_a_json_line_outside_a_request_has_a_null_request_id() -> None:
    assert json.loads(JsonLineFormatter().format(_record()))["request_id"] is None


def test_a_json_line_carries_the_exception_text() -> None:
    try:
        raise ValueError("no such review")
    except ValueError:
        record = logging.getLogger("x").makeRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    data = json.loads(JsonLineFormatter().format(record))
    assert data["exception"].startswith("Traceback (most recent call last)")
    assert "ValueError: no such review" in data["exception"]


def test_a_django_request_line_keeps_method_and_path_but_not_the_query_string() -> None:
    request = RequestFactory().get("/invitations/open/", {"token": "secret-token"})
    record = _record("Not Found: %s", "/invitations/open/", request=request, status_code=404)
    line = JsonLineFormatter().format(record)
    data = json.loads(line)
    assert (data["method"], data["path"], data["status_code"]) == ("GET", "/invitations/open/", 404)
    assert "request" not in data
    assert "secret-token" not in line


def test_the_plain_line_shows_the_request_id_in_brackets_or_a_dash() -> None:
    formatter = plain_formatter()
    assert " WARNING reviews.bursts [-] review 7 held" in formatter.format(_record())
    request_id_var.set("req-2")
    assert formatter.format(_record()).endswith(" WARNING reviews.bursts [req-2] review 7 held")


def test_the_filter_is_on_the_settings_handler_and_the_format_follows_log_format() -> None:
    config: dict[str, Any] = settings.LOGGING
    console = config["handlers"]["console"]
    assert "request_id" in console["filters"]
    assert config["filters"]["request_id"]["()"] == "core.log_filters.RequestIdFilter"
    assert console["formatter"] == settings.LOG_FORMAT


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_an_invalid_log_format_stops_start_up_with_a_clear_message() -> None:
    result = _python("import django; django.setup()", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be one of 'plain', 'json', not 'xml'" in result.stderr


def test_log_format_json_makes_every_line_of_the_process_a_json_object() -> None:
    code = (
        "import django, logging; django.setup()\n"
        "from core.request_id import request_id_var\n"
        "logging.getLogger('demo').info('before')\n"
        "request_id_var.set('abc')\n"
        "logging.getLogger('demo.child').warning('during %s', 1, extra={'order_id': 9})\n"
    )
    result = _python(code, LOG_FORMAT="json", LOG_LEVEL="INFO")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["logger"], line["message"], line["request_id"]) for line in lines] == [
        ("demo", "before", None),
        ("demo.child", "during 1", "abc"),
    ]
    assert lines[1]["order_id"] == 9


def test_the_default_format_stays_plain_with_the_request_id() -> None:
    code = "import django, logging; django.setup()\nlogging.getLogger('demo').warning('hello')\n"
    result = _python(code, LOG_FORMAT="")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("WARNING demo [-] hello")


# --- Celery: the signal handlers of core.task_context ------------------------------------


def test_a_task_queued_during_a_request_carries_its_id_in_the_header() -> None:
    request_id_var.set("req-3")
    headers: dict[str, object] = {"id": "t1"}
    request_id_header_add(headers=headers)
    assert headers[TASK_HEADER] == "req-3"


def test_a_task_queued_outside_a_request_gets_a_fresh_id_of_its_own() -> None:
    first: dict[str, object] = {}
    second: dict[str, object] = {}
    request_id_header_add(headers=first)
    request_id_header_add(headers=second)
    assert isinstance(first[TASK_HEADER], str)
    assert len(str(first[TASK_HEADER])) == 32
    assert first[TASK_HEADER] != second[TASK_HEADER]


def test_an_id_already_in_the_headers_is_kept() -> None:
    request_id_var.set("req-4")
    headers: dict[str, object] = {TASK_HEADER: "given"}
    request_id_header_add(headers=headers)
    assert headers[TASK_HEADER] == "given"


def _task(**request: object) -> SimpleNamespace:
    return SimpleNamespace(request=SimpleNamespace(**request))


def test_prerun_sets_the_tasks_id_from_its_header_and_postrun_resets_it() -> None:
    request_id_task_set(task_id="t2", task=_task(request_id="req-5"))
    assert request_id_current() == "req-5"
    request_id_task_reset(task_id="t2")
    assert request_id_current() is None


def test_an_unsafe_header_is_not_logged_as_the_tasks_id() -> None:
    request_id_task_set(task_id="t3", task=_task(request_id="bad id\n"))
    try:
        current = request_id_current()
        assert current is not None
        assert current != "bad id\n"
        assert len(current) == 32
    finally:
        request_id_task_reset(task_id="t3")
    assert request_id_current() is None


def test_a_task_run_eagerly_inside_a_request_keeps_the_requests_id_and_gives_it_back() -> None:
    request_id_var.set("req-6")
    request_id_task_set(task_id="t4", task=_task())
    assert request_id_current() == "req-6"
    request_id_task_reset(task_id="t4")
    assert request_id_current() == "req-6"


def test_a_task_without_a_header_outside_a_request_runs_under_a_fresh_id() -> None:
    request_id_task_set(task_id="t5", task=_task())
    try:
        current = request_id_current()
        assert current is not None
        assert len(current) == 32
    finally:
        request_id_task_reset(task_id="t5")
    assert request_id_current() is None


def test_worker_logging_goes_through_the_settings_logging_at_celerys_level() -> None:
    root = logging.getLogger()
    level = root.level
    try:
        worker_logging_setup(loglevel=logging.WARNING)
        assert root.level == logging.WARNING
        (handler,) = root.handlers
        assert any(isinstance(each, RequestIdFilter) for each in handler.filters)
        stream = io.StringIO()
        handler.setStream(stream)  # type: ignore[attr-defined]
        request_id_var.set("req-7")
        logging.getLogger("celery.app.trace").warning("Task x[1] failed")
        assert "[req-7] Task x[1] failed" in stream.getvalue() or '"request_id": "req-7"' in stream.getvalue()
    finally:
        logging.config.dictConfig(settings.LOGGING)
        root.setLevel(level)


# --- The middleware, called directly --------------------------------------------------


# Closing a response sends request_finished, whose handler looks at the database connection
# another test in this process may have opened.
@pytest.mark.django_db
def test_the_middleware_sets_the_id_for_the_view_echoes_it_and_resets_it_when_the_response_closes() -> None:
    seen: list[str | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(request_id_current())
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", headers={"X-Request-ID": "lb-1"}))
    assert seen == ["lb-1"]
    assert response["X-Request-ID"] == "lb-1"
    # Still set for Django's own line about the answer, written after the middleware chain.
    assert request_id_current() == "lb-1"
    response.close()
    assert request_id_current() is None


def test_the_middleware_resets_the_id_when_an_exception_leaves_the_chain() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("escaped")

    with pytest.raises(RuntimeError):
        RequestIdMiddleware(view)(RequestFactory().get("/", headers={"X-Request-ID": "lb-2"}))
    assert request_id_current() is None


def test_plain_lines_are_stamped_in_utc_and_say_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Processes that loaded Django run in TIME_ZONE, gunicorn's master in the machine's zone:
    one log's times must not jump between them (found by a try from outside)."""
    import logging
    import time

    from core.log_format import plain_formatter

    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: a local stamp could not pass
    time.tzset()
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
        record.created = 0.25
        record.msecs = 250.0
        line = plain_formatter().format(record)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert line.startswith("1970-01-01T00:00:00.250Z INFO x [-] hello")
