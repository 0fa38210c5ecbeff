"""Each pytest-xdist worker gets Redis databases of its own (``make test`` runs two).

Loaded as a plugin (``-p devtools.pytest_workers`` in pyproject's addopts: an installed
module, importable whatever the directory pytest starts in), so that it runs before
pytest-django imports the settings: it rewrites REDIS_URL, CACHE_URL and
CELERY_BROKER_URL in the environment, which the settings read and every process a test
starts (a worker, a server) inherits. Without it the two workers share one Redis: one's
``cache.clear()`` (FLUSHDB) empties the other's page cache, rate-limit counters and
broker queues mid-test. The SQL databases are per worker already (pytest-django names
them ``test_<name>_gw<N>``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDIS_URL_VARIABLES = ("REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL")
REDIS_DATABASES = 16  # Redis's default `databases`: 0 to 15


def _server_and_number(url: str) -> tuple[str, int] | None:
    """(the server, the database number) of a Redis URL: redis://host:port/N,
    rediss://..., unix:///path?db=N; None for anything else (a filesystem broker)."""
    parts = urlsplit(url)
    if parts.scheme in ("redis", "rediss"):
        query_db = dict(parse_qsl(parts.query)).get("db")
        return f"{parts.hostname}:{parts.port or 6379}", int(query_db or parts.path.strip("/") or 0)
    if parts.scheme == "unix":
        return f"unix:{parts.path}", int(dict(parse_qsl(parts.query)).get("db", 0))
    return None


def _with_number(url: str, number: int) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.scheme == "unix":  # urlunsplit would drop its empty host ("unix:/path")
        return f"unix://{parts.path}?{urlencode({**query, 'db': number})}"
    if "db" in query:
        return urlunsplit(parts._replace(query=urlencode({**query, "db": number})))
    return urlunsplit(parts._replace(path=f"/{number}"))


def redis_urls_of_worker(urls: Mapping[str, str], worker: int) -> dict[str, str]:
    """``urls`` (name: URL) with each Redis database moved to one of worker ``worker``'s:
    on each server, the numbers none of the given URLs use are dealt out in blocks, one
    number per distinct given number, so no two workers, nor a worker and the given
    numbers, share one. Other URLs are returned as they are."""
    given: dict[str, set[int]] = {}
    for url in urls.values():
        found = _server_and_number(url)
        if found:
            given.setdefault(found[0], set()).add(found[1])
    moved = dict(urls)
    for server, numbers in given.items():
        free = [n for n in range(REDIS_DATABASES) if n not in numbers]
        block = free[len(numbers) * worker : len(numbers) * (worker + 1)]
        if len(block) < len(numbers):
            raise RuntimeError(
                f"pytest-xdist worker {worker} finds no free Redis databases on {server}: run fewer workers (-n)"
            )
        new_number = dict(zip(sorted(numbers), block, strict=True))
        for name, url in urls.items():
            found = _server_and_number(url)
            if found and found[0] == server:
                moved[name] = _with_number(url, new_number[found[1]])
    return moved


def _isolate() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ...: set before plugins load
    if not worker.startswith("gw"):
        return
    given = {}
    for name in REDIS_URL_VARIABLES:
        if os.environ.get(name):
            given[name] = os.environ.setdefault(f"PYTEST_GIVEN_{name}", os.environ[name])
    os.environ.update(redis_urls_of_worker(given, int(worker[2:])))


_isolate()
