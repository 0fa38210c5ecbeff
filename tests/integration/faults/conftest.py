"""Fixtures of the fault tests: a private Redis per module, the gate policy the worker
subprocesses and this process share, and a way to send tasks through that Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from celery import Celery

from config.celery_app import app as celery_app
from gate.policy import GatePolicy
from tests.integration.gate.helpers import policy_settings

from .processes import RedisServer, process_stop, redis_server_start, stack_required

# Short grace, window and minimum so a few months of history give many events of each kind.
FAULT_POLICY = GatePolicy.build(threshold="3.5", grace_days=3, min_reviews=5, window_days=14, timezone="Europe/Paris")
NOTIFY_DAYS = 30


def policy_env(policy: GatePolicy = FAULT_POLICY, *, notify_days: int = NOTIFY_DAYS) -> dict[str, str]:
    """The same policy for a worker subprocess, through the settings' environment."""
    record = policy.as_dict()
    return {
        "GATE_THRESHOLD": str(record["threshold"]),
        "GATE_GRACE_DAYS": str(policy.grace_days),
        "GATE_MIN_REVIEWS": str(policy.min_reviews),
        "GATE_WINDOW_DAYS": str(policy.window_days),
        "TIME_ZONE": policy.timezone,
        "GATE_NOTIFY_DAYS": str(notify_days),
    }


@pytest.fixture
def fault_policy(settings: Any) -> GatePolicy:
    """FAULT_POLICY in force in this process too (the backtest and the checks read it)."""
    policy_settings(settings, FAULT_POLICY)
    settings.GATE_NOTIFY_DAYS = NOTIFY_DAYS
    return FAULT_POLICY


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A redis-server of this module's own on a free port (never the shared 6379)."""
    import shutil

    if shutil.which("redis-server") is None:
        yield None  # type: ignore[misc]  # stack_required() in the test skips or fails
        return
    server = redis_server_start(Path(tmp_path_factory.mktemp("redis")))
    yield server
    process_stop(server.process)


@pytest.fixture
def broker(redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Celery]:
    """A Celery client of the private Redis, to send tasks as beat does (by name, routed to
    their queues by config/celery_app.py's routes), with the queues emptied before the test."""
    import redis

    stack_required()
    # Celery prefers the CELERY_BROKER_URL environment variable to the broker it is given
    # (CI exports the shared Redis there): without this the tasks went to the shared Redis
    # and the private one's worker never saw them.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    redis.Redis.from_url(redis_server.url).flushdb()
    # Not the current app: a new Celery app becomes it by default, and every @shared_task of
    # the project (review_tag_task...) would then publish through this client, to a Redis that
    # stops with the test, in the later tests of the same process (found in the whole suite).
    client = Celery("faults-client", broker=redis_server.url, set_as_current=False)
    client.conf.update(
        task_routes=celery_app.conf.task_routes,
        task_queues=celery_app.conf.task_queues,
        task_default_queue=celery_app.conf.task_default_queue,
    )
    yield client
    client.close()
