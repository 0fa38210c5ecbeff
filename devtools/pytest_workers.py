"""Each pytest-xdist worker gets Redis databases of its own (``make test`` runs two).

Loaded as a plugin (``-p devtools.pytest_workers`` in pyproject's addopts: an installed
module, importable whatever the directory pytest starts in), so that it runs before
pytest-django imports the settings: it rewrites REDIS_URL, CACHE_URL and
CELERY_BROKER_URL in the environment, which the settings read and every process a test
starts (a worker, a server) inherits. Without it the two workers share one Redis: one's
``cache.clear()`` empties the other's page cache and rate-limit counters mid-test. The
databases are per worker already (pytest-django names them ``test_<name>_gw<N>``), and
SQLite's defaults (the database cache, the filesystem broker) live in them or in each
test's own folder.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

REDIS_URL_VARIABLES = ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL")
# Redis has 16 databases (0 to 15) by default; CI's run uses 0 and 1.
REDIS_DATABASES = 16


def redis_url_of_worker(url: str, worker: int) -> str:
    """``url`` moved to database ``n + 2 * (worker + 1)`` (mod 16) from its database n:
    two apart, since the broker and the cache usually sit on neighbouring numbers."""
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss"):
        return url
    number = int(parts.path.strip("/") or 0)
    moved = (number + 2 * (worker + 1)) % REDIS_DATABASES
    return urlunsplit(parts._replace(path=f"/{moved}"))


def _isolate() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...: set before plugins load
    if not worker.startswith("gw"):
        return
    index = int(worker[2:])
    if 2 * (index + 1) >= REDIS_DATABASES:
        raise RuntimeError(f"at most {REDIS_DATABASES // 2 - 1} pytest-xdist workers share one Redis (-n)")
    for name in REDIS_URL_VARIABLES:
        if os.environ.get(name):
            given = os.environ.setdefault(f"PYTEST_GIVEN_{name}", os.environ[name])
            os.environ[name] = redis_url_of_worker(given, index)


_isolate()
