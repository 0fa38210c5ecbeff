"""/readyz and /metrics against real processes: a Celery worker answering the ping, and
gunicorn with config/gunicorn.py in multi-process mode (PostgreSQL and redis-server needed,
as the fault tests: they skip outside CI without them)."""

from __future__ import annotations

import http.client
import os
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import REPO_ROOT
from tests.integration.faults.processes import (
    CELERY_BIN,
    child_env,
    free_port,
    log_tail,
    process_stop,
    redis_server_start,
    stack_required,
    test_database_url,
    wait_until,
)

# Real processes on PostgreSQL and Redis, like the fault tests: CI runs them in its PostgreSQL
# pass (--run-slow); elsewhere they skip.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _spawn(args: list[str], env: dict[str, str], log_path: Path) -> Any:
    import subprocess

    log = log_path.open("ab")
    return subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def test_a_worker_consuming_one_queue_answers_the_ping(settings: Any, tmp_path: Path) -> None:
    stack_required()
    redis = redis_server_start(tmp_path / "redis")
    log_path = tmp_path / "worker.log"
    worker = _spawn(
        [
            str(CELERY_BIN),
            "-A",
            "config.celery_app",
            "worker",
            "--loglevel=INFO",
            "--pool=solo",
            "-Q",
            "gate",
            f"--hostname=ops-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        child_env(broker_url=redis.url),
        log_path,
    )
    try:
        wait_until(lambda: " ready." in log_path.read_text(errors="replace"), timeout=60, what="the worker")
        settings.CELERY_BROKER_URL = redis.url
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

        def gate_answered() -> tuple[int, dict[str, Any], float] | None:
            started = time.monotonic()
            response = Client().get("/readyz")
            elapsed = time.monotonic() - started
            body = response.json()
            # The worker says "ready" a moment before it listens to broadcasts: ask again.
            return (response.status_code, body, elapsed) if body["checks"]["workers:gate"]["status"] == "ok" else None

        answer = wait_until(gate_answered, timeout=20, interval=0.2, what="the worker's answer")
        assert answer is not None
        status, body, elapsed = answer
        assert (status, body["status"]) == (200, "degraded"), (body, log_tail(log_path))
        assert body["checks"]["workers:gate"] == {"status": "ok", "detail": "1 worker(s) answered", "workers": 1}
        assert {body["checks"][f"workers:{queue}"]["status"] for queue in ("default", "email", "webhooks")} == {
            "failing"
        }
        assert body["checks"]["broker"]["status"] == "ok"
        assert elapsed < 2
    finally:
        process_stop(worker)
        process_stop(redis.process)


def _get(port: int, path: str, host: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _counter(text: str, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    raise AssertionError(f"{name} {labels} not in /metrics")


def test_gunicorn_workers_metrics_are_summed_and_probes_answer_by_address(tmp_path: Path) -> None:
    stack_required()
    port = free_port()
    multiproc = tmp_path / "prometheus"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": test_database_url(),
        "PROMETHEUS_MULTIPROC_DIR": str(multiproc),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "SECURE_SSL_REDIRECT": "1",  # as in production: the probes must not be redirected
        "PYTHONPATH": str(REPO_ROOT),
    }
    multiproc.mkdir()
    (multiproc / "counter_99999.db").write_bytes(b"stale")  # a previous run's file
    log_path = tmp_path / "gunicorn.log"
    server = _spawn([sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py"], env, log_path)
    try:

        def answers() -> bool:
            if server.poll() is not None:
                raise AssertionError(log_tail(log_path))
            try:
                return _get(port, "/healthz", "10.0.3.7:8000")[0] == 200
            except OSError:
                return False

        wait_until(answers, timeout=60, what="gunicorn")
        assert not (multiproc / "counter_99999.db").exists()
        # A host the site refuses, over plain HTTP with the redirect on: still answered.
        status, body = _get(port, "/readyz", "10.0.3.7:8000")
        assert status == 200, body
        # Requests that pass through the whole stack (and are redirected to https).
        for _ in range(20):
            assert _get(port, "/about/", "127.0.0.1")[0] == 301
        wait_until(lambda: len(list(multiproc.glob("counter_*.db"))) >= 2, timeout=10, what="two workers' files")
        status, text = _get(port, "/metrics", "10.0.3.7:8000")
        assert status == 200
        # Redirected by SecurityMiddleware: counted by the Before middleware (the After one
        # never sees an answer made before the view), summed over both workers.
        assert _counter(text.decode(), "django_http_requests_before_middlewares_total") >= 20
        assert "reviewgate_outbox_backlog" in text.decode()
    finally:
        process_stop(server)
