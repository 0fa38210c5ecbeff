"""Issue 20, item 4, with a real worker: a review posted through the client queues its
tagging task on commit, the message goes through a real Redis to a real prefork worker
(``celery -A config.celery_app worker``, LOG_FORMAT=json), and the worker's JSON lines for
that task carry the request's id; a task queued outside any request runs under a fresh id.

Needs PostgreSQL (the worker shares the test database) and a redis-server binary, as the
fault tests do (tests/integration/faults/processes.py): skipped without them, failed in CI.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from accounts.roles import SHOPPER
from config.celery_app import app as celery_app
from core.request_id import request_id_var
from tests.clients import api_as
from tests.conftest import REPO_ROOT
from tests.factories import product_create, user_create
from tests.integration.faults.processes import (
    CELERY_BIN,
    RedisServer,
    child_env,
    log_tail,
    process_stop,
    redis_server_start,
    stack_required,
    wait_until,
)

TAG_TASK = "topics.tasks.review_tag_task"
SWEEP_TASK = "reviews.tasks.review_photo_sizes_sweep_task"


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer | None]:
    import shutil

    if shutil.which("redis-server") is None:
        yield None  # stack_required() in the test skips or fails
        return
    server = redis_server_start(Path(tmp_path_factory.mktemp("redis")))
    yield server
    process_stop(server.process)


@pytest.fixture
def app_on_private_redis(redis_server: RedisServer | None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The project's Celery app publishes to the private Redis for this test (its tasks
    queued by the site's code, not by a client made for the test); its pools are dropped
    before and after, so no connection to another broker is reused."""
    stack_required()
    assert redis_server is not None
    url = redis_server.url
    # Celery prefers the environment variable to its configuration (CI exports one).
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setitem(celery_app.conf, "broker_url", url)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)
    try:
        yield url
    finally:
        celery_app.pool.force_close_all()  # type: ignore[attr-defined]  # kombu's Resource; not in the stubs


def _worker_start(env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """A prefork worker consuming every named queue (as `make run`'s does), started as in
    production; returns once its JSON lines say it is ready."""
    log = log_path.open("ab")
    queues = ",".join(getattr(django_settings, "WORKER_QUEUES", ("celery",)))
    process = subprocess.Popen(
        [
            str(CELERY_BIN),
            "-A",
            "config.celery_app",
            "worker",
            "--loglevel=INFO",
            "--pool=prefork",
            "--concurrency=1",
            f"--queues={queues}",
            f"--hostname=logs-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the worker exited with {process.returncode}:\n{log_tail(log_path)}")
        return any(line.get("message", "").endswith(" ready.") for line in _json_lines(log_path))

    wait_until(ready, timeout=60, what=f"the worker to be ready (log {log_path})")
    return process


def _json_lines(path: Path) -> list[dict[str, Any]]:
    """The worker's log, each line parsed: a line that is not JSON fails the test (the
    banner Celery prints is on stdout before logging starts, and is skipped)."""
    lines = []
    for text in path.read_text(errors="replace").splitlines():
        if text.startswith("{"):
            lines.append(json.loads(text))
    return lines


def _task_lines(path: Path, task: str) -> list[dict[str, Any]]:
    """The worker's lines about running ``task``. Not its "received" line: the consumer
    writes that before the task starts (no id yet); its task id leads to the lines that have one."""
    return [
        line
        for line in _json_lines(path)
        if line["logger"].startswith("celery") and task in line["message"] and "received" not in line["message"]
    ]


@pytest.mark.slow  # a real worker on PostgreSQL and Redis: CI's PostgreSQL pass runs it (--run-slow)
@pytest.mark.django_db(transaction=True)
def test_a_task_queued_by_a_request_logs_its_id_in_a_real_worker(
    settings: Any, tmp_path: Path, app_on_private_redis: str
) -> None:
    settings.REVIEWS_PREMODERATION = False
    settings.RATELIMIT_ENABLED = False
    worker_log = tmp_path / "worker.log"
    worker = _worker_start(child_env(broker_url=app_on_private_redis, extra={"LOG_FORMAT": "json"}), worker_log)
    try:
        product_create(sku="P1")
        client = api_as(user_create(SHOPPER))
        body = {"rating": 4, "title": "Light and grippy", "body": "Did 300 km on wet trails.", "language": "en"}
        response = client.post("/api/v1/products/P1/reviews/", body, format="json", headers={"X-Request-ID": "shop-42"})
        assert response.status_code == 201, response.content
        assert response["X-Request-ID"] == "shop-42"

        def tagged() -> list[dict[str, Any]]:
            return [line for line in _task_lines(worker_log, TAG_TASK) if "succeeded" in line["message"]]

        wait_until(tagged, timeout=30, what=f"the worker to run {TAG_TASK} (log {worker_log})")
        lines = _task_lines(worker_log, TAG_TASK)
        assert {line["request_id"] for line in lines} == {"shop-42"}, lines

        # Queued outside any request (as beat or a command does): an id of its own.
        assert request_id_var.get() is None
        celery_app.send_task(SWEEP_TASK)
        wait_until(lambda: _task_lines(worker_log, SWEEP_TASK), timeout=30, what=f"the worker to run {SWEEP_TASK}")
        (swept,) = [line for line in _task_lines(worker_log, SWEEP_TASK) if "succeeded" in line["message"]]
        assert swept["request_id"] not in (None, "shop-42")
        assert len(swept["request_id"]) == 32
        # The worker's own lines outside a task have none.
        ready = [line for line in _json_lines(worker_log) if line["message"].endswith(" ready.")]
        assert ready[0]["request_id"] is None
    finally:
        process_stop(worker)
