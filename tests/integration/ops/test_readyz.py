"""/healthz and /readyz through the HTTP stack: each check's failure really fails, within
the deadline, and no secret is ever in the answer (docs/health-and-metrics.md)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client

from ops import checks
from tests.integration.ops.conftest import SECRET, closed_port, filesystem_broker

# The server's own address, as a load balancer sends it: not in ALLOWED_HOSTS.
LOAD_BALANCER_HOST = "10.0.3.7:8000"
QUEUES = ("default", "gate", "email", "webhooks")


def readyz(client: Client | None = None) -> tuple[int, dict[str, Any], str, float]:
    started = time.monotonic()
    response = (client or Client(HTTP_HOST=LOAD_BALANCER_HOST)).get("/readyz")
    elapsed = time.monotonic() - started
    return response.status_code, response.json(), response.content.decode(), elapsed


def statuses(body: dict[str, Any]) -> dict[str, str]:
    return {name: check["status"] for name, check in body["checks"].items()}


def test_healthz_answers_by_address_over_http_without_the_database(settings: Any) -> None:
    # No database fixture: a query would raise. The HTTPS redirect is on, as in production.
    settings.SECURE_SSL_REDIRECT = True
    response = Client(HTTP_HOST=LOAD_BALANCER_HOST).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["X-Request-ID"]  # the probes' lines and answers carry an id too
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_the_site_itself_still_refuses_that_host(settings: Any, db: None) -> None:
    # What the probe middleware spares the probes from (and nothing else).
    settings.SECURE_SSL_REDIRECT = False
    assert Client(HTTP_HOST=LOAD_BALANCER_HOST).get("/").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_readyz_ok_with_the_configured_cache_and_database(settings: Any, tmp_path: Path) -> None:
    """The configured cache (Redis in CI, the database cache otherwise) and database."""
    settings.SECURE_SSL_REDIRECT = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    if str(settings.CELERY_BROKER_URL).startswith("filesystem://"):
        filesystem_broker(settings, tmp_path)
    status, body, _, elapsed = readyz()
    assert (status, body["status"]) == (200, "ok"), body
    assert statuses(body) == {
        "database": "ok",
        "replica": "not_configured",
        "cache": "ok",
        "broker": "ok",
        **{f"workers:{queue}": "not_configured" for queue in QUEUES},
    }
    assert elapsed < 2


def test_an_unreachable_cache_degrades_but_answers_200(services_ok: None, settings: Any, db: None) -> None:
    # Pages render without the cache (docs/reliability.md): a 503 would empty the pool.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://:{SECRET}@127.0.0.1:{closed_port()}/7",
        }
    }
    status, body, text, elapsed = readyz()
    assert (status, body["status"]) == (200, "degraded")
    assert statuses(body)["cache"] == "failing"
    assert statuses(body)["database"] == "ok"
    assert SECRET not in text and "127.0.0.1" not in text
    assert elapsed < 2


def test_a_hung_cache_is_reported_within_the_deadline(
    services_ok: None, settings: Any, db: None, silent_server: int
) -> None:
    # Redis' client has no timeout of its own here: only the deadline ends the wait.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{silent_server}/7",
        }
    }
    status, body, _, elapsed = readyz()
    assert status == 200
    assert body["checks"]["cache"] == {"status": "failing", "detail": f"no answer within {checks.DEADLINE_SECONDS:g} s"}
    assert statuses(body)["database"] == "ok"
    assert elapsed < 2


def test_an_unreachable_broker_degrades_with_its_workers(services_ok: None, settings: Any, db: None) -> None:
    settings.CELERY_BROKER_URL = f"redis://:{SECRET}@127.0.0.1:{closed_port()}/8"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    status, body, text, elapsed = readyz()
    assert (status, body["status"]) == (200, "degraded")  # posts keep their outbox rows
    assert statuses(body)["broker"] == "failing"
    assert {statuses(body)[f"workers:{queue}"] for queue in QUEUES} == {"failing"}
    assert SECRET not in text
    assert elapsed < 2


def test_a_hung_broker_is_reported_within_the_deadline(
    services_ok: None, settings: Any, db: None, silent_server: int
) -> None:
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent_server}/8"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    status, body, _, elapsed = readyz()
    assert status == 200
    late = {"status": "failing", "detail": f"no answer within {checks.DEADLINE_SECONDS:g} s"}
    assert body["checks"]["broker"] == late
    assert body["checks"]["workers:gate"] == late
    assert elapsed < 2


def test_a_filesystem_broker_without_its_folders_fails(
    services_ok: None, settings: Any, db: None, tmp_path: Path
) -> None:
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        "control_folder": str(tmp_path / "gone"),
    }
    status, body, text, _ = readyz()
    assert (status, body["status"]) == (200, "degraded")
    assert body["checks"]["broker"] == {"status": "failing", "detail": "folders missing: control_folder"}
    assert str(tmp_path) not in text


def _dead(alias_settings: dict[str, Any]) -> dict[str, Any]:
    """The same database settings, pointing where no database answers, with a password."""
    dead = {**alias_settings, "PASSWORD": SECRET}
    if alias_settings["ENGINE"].endswith("sqlite3"):
        dead["NAME"] = f"/nonexistent-{SECRET}/db.sqlite3"
    else:
        dead.update(HOST="127.0.0.1", PORT=str(closed_port()))
    return dead


def test_an_unreachable_primary_database_fails_with_503(services_ok: None, db: None) -> None:
    # The checks open their own connections (in their threads) from these settings; this
    # thread's open connection keeps the test's.
    with mock.patch.dict(connections.settings, {"default": _dead(connections.settings["default"])}):
        status, body, text, elapsed = readyz()
    assert (status, body["status"]) == (503, "failing")
    assert body["checks"]["database"]["status"] == "failing"
    assert body["checks"]["database"]["detail"].startswith("unreachable (")
    assert statuses(body)["cache"] == statuses(body)["broker"] == "ok"
    assert SECRET not in text
    assert elapsed < 2


def test_a_replica_mirroring_the_primary_is_ok_with_no_lag(
    services_ok: None, db: None, any_alias_in_threads: None
) -> None:
    mirror = dict(connections.settings["default"])
    with (
        mock.patch.dict(connections.settings, {"replica": mirror}),
        mock.patch.dict(django_settings.DATABASES, {"replica": mirror}),
    ):
        status, body, _, _ = readyz()
    assert (status, body["status"]) == (200, "ok")
    assert body["checks"]["replica"] == {
        "status": "ok",
        "detail": "not in recovery: a mirror of the primary",
        "lag_seconds": 0.0,
        "paused": False,
    }


def test_an_unreachable_replica_degrades_but_answers_200(
    services_ok: None, db: None, any_alias_in_threads: None
) -> None:
    dead = _dead(connections.settings["default"])
    with (
        mock.patch.dict(connections.settings, {"replica": dead}),
        mock.patch.dict(django_settings.DATABASES, {"replica": dead}),
    ):
        status, body, text, _ = readyz()
    assert (status, body["status"]) == (200, "degraded")
    assert body["checks"]["replica"]["status"] == "failing"
    assert body["checks"]["replica"]["detail"] == "unreachable (OperationalError)"
    assert body["checks"]["replica"]["lag_seconds"] is None
    assert statuses(body)["database"] == "ok"
    assert SECRET not in text


def test_queues_without_workers_degrade_but_answer_200(services_ok: None, settings: Any, db: None) -> None:
    """One broadcast for every queue: here a fake worker consuming only `gate` answers it."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    broadcasts = []

    def one_worker_on_gate(connection: Any) -> dict[str, Any]:
        broadcasts.append(connection)
        return {"gate-1@host": [{"name": "gate", "routing_key": "gate"}]}

    with mock.patch.object(checks, "active_queues", one_worker_on_gate):
        status, body, _, _ = readyz()
    assert (status, body["status"]) == (200, "degraded")
    assert {queue: statuses(body)[f"workers:{queue}"] for queue in QUEUES} == {
        "default": "failing",
        "gate": "ok",
        "email": "failing",
        "webhooks": "failing",
    }
    assert len(broadcasts) == 1


def test_with_eager_tasks_there_are_no_workers_to_ask(services_ok: None, db: None) -> None:
    with mock.patch.object(checks, "active_queues", side_effect=AssertionError("asked")):
        status, body, _, _ = readyz()
    assert status == 200
    assert {statuses(body)[f"workers:{queue}"] for queue in QUEUES} == {"not_configured"}


@pytest.mark.django_db(transaction=True)
def test_readyz_answers_from_a_thread_whose_event_loop_is_running(settings: Any, tmp_path: Path) -> None:
    """A sync view called from async code (or beside a running loop) cannot asyncio.run its
    checks in that thread: they run in one of their own (found by the whole suite, where
    the browser tests' loop runs)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    settings.CELERY_TASK_ALWAYS_EAGER = True
    if str(settings.CELERY_BROKER_URL).startswith("filesystem://"):
        filesystem_broker(settings, tmp_path)

    async def inside_a_loop() -> dict[str, checks.CheckOutcome]:
        return checks.readiness_outcomes()

    # The loop of its own in a thread of its own: this test's thread may have one running.
    with ThreadPoolExecutor(max_workers=1) as thread:
        outcomes = thread.submit(asyncio.run, inside_a_loop()).result()
    assert outcomes["database"].status == "ok"
