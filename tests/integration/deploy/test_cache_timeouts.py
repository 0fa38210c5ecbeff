"""A Redis cache that accepts connections but never answers (a hung server, a half-open
network path) must fail a request in seconds, not hold its web or worker process for good:
the settings give the Redis cache connect and read timeouts (CACHE_*_TIMEOUT)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import time
import django
django.setup()
from django.core.cache import cache
started = time.monotonic()
try:
    cache.get("anything")
except Exception as exc:
    print(type(exc).__name__, round(time.monotonic() - started, 1))
else:
    print("answered")
"""


def test_a_silent_redis_fails_a_cache_read_within_the_timeout() -> None:
    with socket.socket() as silent:  # listens, accepts into its backlog, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CACHE_URL": f"redis://127.0.0.1:{port}/0",
            "CACHE_SOCKET_TIMEOUT": "1",
        }
        started = time.monotonic()
        probe = subprocess.run(
            [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        elapsed = time.monotonic() - started
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split()[0] == "TimeoutError", probe.stdout
    assert float(probe.stdout.split()[1]) < 3
    assert elapsed < 30
