"""devtools.pytest_workers: each pytest-xdist worker's Redis databases."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from devtools.pytest_workers import redis_url_of_worker


@pytest.mark.parametrize(
    ("url", "worker", "moved"),
    [
        ("redis://127.0.0.1:6379/0", 0, "redis://127.0.0.1:6379/2"),
        ("redis://127.0.0.1:6379/1", 0, "redis://127.0.0.1:6379/3"),
        ("redis://127.0.0.1:6379/0", 1, "redis://127.0.0.1:6379/4"),
        ("redis://127.0.0.1:6379", 0, "redis://127.0.0.1:6379/2"),
        ("rediss://:secret@cache.example:6380/15", 0, "rediss://:secret@cache.example:6380/1"),
        ("filesystem://", 1, "filesystem://"),
    ],
)
def test_a_worker_gets_its_own_database_numbers(url: str, worker: int, moved: str) -> None:
    assert redis_url_of_worker(url, worker) == moved


def test_the_two_workers_and_the_unmoved_urls_never_share_a_database() -> None:
    # CI's broker on 0 and cache on 1; make test's two workers.
    numbers = [redis_url_of_worker(f"redis://h/{n}", w) for n in (0, 1) for w in (0, 1)]
    assert len({*numbers, "redis://h/0", "redis://h/1"}) == 6


def test_under_xdist_this_process_uses_its_workers_databases() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or not settings.REDIS_URL:
        pytest.skip("only under pytest-xdist with REDIS_URL (make test on Redis)")
    index = int(worker.removeprefix("gw"))
    given = os.environ["PYTEST_GIVEN_REDIS_URL"]
    assert settings.REDIS_URL == redis_url_of_worker(given, index) != given
    assert settings.CACHES["default"]["LOCATION"] == (os.environ.get("CACHE_URL") or settings.REDIS_URL)
    given_broker = os.environ["PYTEST_GIVEN_CELERY_BROKER_URL"]
    assert settings.CELERY_BROKER_URL == redis_url_of_worker(given_broker, index) != given_broker
