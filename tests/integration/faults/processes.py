"""Real processes for the fault tests: a private redis-server, Celery workers and beat
schedulers as subprocesses on the test database, waiting with a deadline, and kill -9.

Shared by the fault tests (tests/integration/faults/): keep these names stable.

* ``stack_required()``: PostgreSQL and a redis-server binary, or skip (outside CI) / fail (CI).
* ``redis_server_start(directory, port=None)`` / ``process_stop(proc)``: a redis-server of
  our own on a free port (never the shared 6379), so queues can be read and flushed.
* ``child_env(broker_url=..., extra=...)``: the environment of a worker or beat on the test
  database, with the test-only settings module ``tests.integration.faults.worker_settings``.
* ``celery_worker_start(env, log_path=..., queues=...)`` / ``celery_beat_start(env, log_path=..., schedule_path=...)``:
  a worker consumes every named queue (config/celery_app.py declares them), or ``queues`` only.
* ``wait_until(condition, timeout=..., what=...)``: poll until truthy, else AssertionError.
* ``kill_hard(proc)``: SIGKILL to the whole process group (the worker and its pool children),
  as when the machine dies; ``freeze(proc)`` / ``thaw(proc)``: SIGSTOP / SIGCONT, to look at
  what a process holds at one instant before killing it there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import pytest

from tests.conftest import REPO_ROOT

T = TypeVar("T")

WORKER_SETTINGS = "tests.integration.faults.worker_settings"
CELERY_BIN = Path(sys.executable).with_name("celery")


def stack_required() -> None:
    """Skip (outside CI) or fail (in CI) unless the test database is PostgreSQL and a
    redis-server binary is installed. Call it inside a test that has database access."""
    from django.db import connection

    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL=postgres://...)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server on PATH")
    if not missing:
        return
    message = "fault tests need " + " and ".join(missing)
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class RedisServer:
    port: int
    process: subprocess.Popen[bytes]
    directory: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def redis_server_start(directory: Path, port: int | None = None) -> RedisServer:
    """A private redis-server (no persistence) on ``port`` (default: a free one); returns
    once it answers PING. Start it again on the same port to bring it back after a stop."""
    import redis

    port = port or free_port()
    directory.mkdir(parents=True, exist_ok=True)
    log = (directory / f"redis-{port}.log").open("ab")
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=directory,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    client = redis.Redis(port=port, socket_connect_timeout=0.5)

    def answers() -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    wait_until(answers, timeout=10, what=f"redis-server on port {port} to answer PING")
    return RedisServer(port=port, process=process, directory=directory)


def redis_queue_length(url: str, queue: str = "celery") -> int:
    """Messages waiting in a Celery queue on the Redis broker (a list of that name)."""
    import redis

    return int(redis.Redis.from_url(url).llen(queue))


def test_database_url() -> str:
    """The URL of the database this test process uses (pytest-django's test database)."""
    from django.db import connection

    s = connection.settings_dict
    user = quote(str(s["USER"] or ""), safe="")
    password = quote(str(s["PASSWORD"] or ""), safe="")
    host = s["HOST"] or "127.0.0.1"
    port = s["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{s['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  # not a test for pytest


def child_env(*, broker_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a worker or beat subprocess: the test database, the given broker,
    system checks skipped (not what these tests are about) and the test settings module."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": WORKER_SETTINGS,
            "DATABASE_URL": test_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "REDIS_URL": "",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_SKIP_CHECKS": "1",
            "PYTHONPATH": str(REPO_ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra or {})
    return env


def _spawn(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("ab")
    # Its own process group, so kill_hard reaches the pool's children too.
    return subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def celery_worker_start(
    env: dict[str, str],
    *,
    log_path: Path,
    concurrency: int = 1,
    pool: str = "prefork",
    name: str = "faults",
    ready_timeout: float = 60,
    queues: Sequence[str] = (),
) -> subprocess.Popen[bytes]:
    """``celery -A config.celery_app worker`` as in production (prefork); returns once it
    says it is ready to take tasks. Without ``queues`` it consumes every named queue."""
    start = log_path.stat().st_size if log_path.exists() else 0
    only = [f"--queues={','.join(queues)}"] if queues else []
    process = _spawn(
        [
            str(CELERY_BIN),
            "-A",
            "config.celery_app",
            "worker",
            "--loglevel=INFO",
            f"--pool={pool}",
            f"--concurrency={concurrency}",
            f"--hostname={name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            *only,
        ],
        env,
        log_path,
    )

    def ready() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the worker exited with {process.returncode}:\n{log_tail(log_path)}")
        return " ready." in log_path.read_text(errors="replace")[start:]

    wait_until(ready, timeout=ready_timeout, what=f"the worker to be ready (log {log_path})")
    return process


def celery_beat_start(env: dict[str, str], *, log_path: Path, schedule_path: Path) -> subprocess.Popen[bytes]:
    """``celery -A config.celery_app beat`` with its own schedule file."""
    return _spawn(
        [
            str(CELERY_BIN),
            "-A",
            "config.celery_app",
            "beat",
            "--loglevel=INFO",
            f"--schedule={schedule_path}",
            f"--pidfile={schedule_path}.pid",
        ],
        env,
        log_path,
    )


def log_tail(path: Path, lines: int = 40) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def wait_until(condition: Callable[[], T], *, timeout: float, interval: float = 0.05, what: str = "a condition") -> T:
    """Call ``condition`` until it returns something truthy and return that; after
    ``timeout`` seconds raise AssertionError naming ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def kill_hard(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and its whole group (a prefork worker's children too): no
    clean-up runs, no message is acknowledged, open transactions die with their sockets."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def freeze(process: subprocess.Popen[bytes]) -> None:
    """SIGSTOP the process group: it holds whatever it holds (an open transaction, an
    unacknowledged message) and does nothing more, until thaw() or kill_hard()."""
    os.killpg(process.pid, signal.SIGSTOP)


def thaw(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGCONT)


def process_stop(process: subprocess.Popen[bytes], *, timeout: float = 15) -> None:
    """Stop gracefully (SIGTERM to the group: a worker finishes its task), else kill -9."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            pass
    kill_hard(process)
