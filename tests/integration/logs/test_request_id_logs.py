"""Issue 20, item 4: every request has an id (the client's X-Request-ID when it is a safe
token, else a new one), echoed in the answer, on every JSON log line written while it is
handled, Django's own request line included, and on the lines of the tasks it queues."""

from __future__ import annotations

import copy
import io
import json
import logging.config
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.roles import SHOPPER
from config.celery_app import app as celery_app
from core.request_id import request_id_current
from tests.clients import api_as
from tests.factories import product_create, user_create

LOG_URLS = "tests.integration.logs.log_urls"
HEX_ID = r"[0-9a-f]{32}"

JsonLines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def json_lines() -> Iterator[JsonLines]:
    """The project's LOGGING as LOG_FORMAT=json configures it (its handler, filters and
    formatter), writing to a buffer: returns the lines written so far, each parsed."""
    buffer = io.StringIO()
    config: dict[str, Any] = copy.deepcopy(django_settings.LOGGING)
    config["handlers"]["console"].update({"formatter": "json", "stream": buffer})
    logging.config.dictConfig(config)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        logging.config.dictConfig(django_settings.LOGGING)


@pytest.fixture
def log_urls(settings: Any) -> None:
    settings.ROOT_URLCONF = LOG_URLS


@pytest.mark.django_db
def test_a_safe_incoming_id_is_taken_and_echoed(log_urls: None) -> None:
    response = Client().get("/test-logs/logs/", headers={"X-Request-ID": "lb-7f3a.1_b"})
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a.1_b"
    assert response.content.decode() == "lb-7f3a.1_b"  # what the view saw


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["two words", "x" * 65, "<script>", "a\tb"])
def test_an_unsafe_incoming_id_is_replaced_by_a_new_one(log_urls: None, incoming: str) -> None:
    response = Client().get("/test-logs/logs/", headers={"X-Request-ID": incoming})
    assert response["X-Request-ID"] != incoming
    assert response["X-Request-ID"] == response.content.decode()
    assert len(response["X-Request-ID"]) == 32
    int(response["X-Request-ID"], 16)


@pytest.mark.django_db
def test_every_answer_has_an_id_of_its_own(log_urls: None) -> None:
    client = Client()
    ids = {client.get(path)["X-Request-ID"] for path in ("/test-logs/logs/", "/test-logs/logs/", "/no-such-page/")}
    assert len(ids) == 3


@pytest.mark.django_db
def test_the_id_is_reset_after_the_request_even_when_the_view_fails(log_urls: None) -> None:
    client = Client(raise_request_exception=False)
    assert request_id_current() is None
    client.get("/test-logs/logs/", headers={"X-Request-ID": "first"})
    assert request_id_current() is None
    response = client.get("/test-logs/boom/", headers={"X-Request-ID": "second"})
    assert response.status_code == 500
    assert response["X-Request-ID"] == "second"
    assert request_id_current() is None


@pytest.mark.django_db
def test_the_views_json_line_carries_the_id_of_the_answer_and_the_extra_fields(
    log_urls: None, json_lines: JsonLines
) -> None:
    response = Client().get("/test-logs/logs/")
    (line,) = [line for line in json_lines() if line["logger"] == "tests.logs"]
    assert line["request_id"] == response["X-Request-ID"]
    assert line["message"] == "looked at product P1"
    assert line["product_sku"] == "P1"
    assert line["level"] == "INFO"
    assert line["timestamp"].endswith("Z")


@pytest.mark.django_db
def test_djangos_own_line_for_a_404_and_a_500_carries_the_id(log_urls: None, json_lines: JsonLines) -> None:
    """Django writes these after the middleware chain has returned (BaseHandler.get_response),
    so the id must outlive the middleware's call until the response is closed."""
    client = Client(raise_request_exception=False)
    missing = client.get("/no-such-page/?token=secret")
    failed = client.get("/test-logs/boom/")
    lines = [line for line in json_lines() if line["logger"] == "django.request"]
    by_status = {line["status_code"]: line for line in lines}
    assert by_status[404]["request_id"] == missing["X-Request-ID"]
    assert by_status[404]["path"] == "/no-such-page/"
    assert "secret" not in json.dumps(lines)
    assert by_status[500]["request_id"] == failed["X-Request-ID"]
    assert "RuntimeError: a bug in a view" in by_status[500]["exception"]


@pytest.fixture
def celery_eager() -> Iterator[None]:
    # Celery read Django's setting once, at start: switch the app's own.
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


# transaction=True: the task is queued by transaction.on_commit, which runs when the review
# service's transaction commits, inside the view (no ATOMIC_REQUESTS), as in production.
@pytest.mark.django_db(transaction=True)
def test_a_task_queued_by_a_request_logs_under_the_requests_id(
    settings: Any, celery_eager: None, json_lines: JsonLines
) -> None:
    settings.REVIEWS_PREMODERATION = False
    settings.RATELIMIT_ENABLED = False
    product_create(sku="P1")
    client = api_as(user_create(SHOPPER))
    body = {"rating": 4, "title": "Light and grippy", "body": "Did 300 km on wet trails, still fine.", "language": "en"}
    response = client.post("/api/v1/products/P1/reviews/", body, format="json", headers={"X-Request-ID": "post-1"})
    assert response.status_code == 201, response.content
    assert response["X-Request-ID"] == "post-1"
    task_lines = [
        line
        for line in json_lines()
        if line["logger"] == "celery.app.trace" and "topics.tasks.review_tag_task" in line["message"]
    ]
    assert task_lines, json_lines()
    assert {line["request_id"] for line in task_lines} == {"post-1"}
    assert "succeeded" in task_lines[-1]["message"]
    assert request_id_current() is None
