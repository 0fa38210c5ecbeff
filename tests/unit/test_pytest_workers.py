"""devtools.pytest_workers: each pytest-xdist worker's Redis databases."""

from __future__ import annotations

import os

import pytest
from django.conf import settings

from devtools.pytest_workers import redis_urls_of_worker

CI = {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0", "REDIS_URL": "redis://127.0.0.1:6379/1"}


def numbers(urls: dict[str, str]) -> dict[str, str]:
    return {name: url.rsplit("/", 1)[1] for name, url in urls.items()}


def test_ci_s_broker_and_cache_move_to_each_workers_own_pair() -> None:
    assert numbers(redis_urls_of_worker(CI, 0)) == {"CELERY_BROKER_URL": "2", "REDIS_URL": "3"}
    assert numbers(redis_urls_of_worker(CI, 1)) == {"CELERY_BROKER_URL": "4", "REDIS_URL": "5"}


def test_three_given_numbers_apart_never_meet_another_workers() -> None:
    # The README's example: broker 0, REDIS_URL 1, CACHE_URL 2; and numbers with a gap.
    for given in (
        {"B": "redis://h/0", "R": "redis://h/1", "C": "redis://h/2"},
        {"B": "redis://h/0", "R": "redis://h/5"},
    ):
        used = [set(given.values())]
        used += [set(redis_urls_of_worker(given, worker).values()) for worker in range(4)]
        every = [url for urls in used for url in urls]
        assert len(every) == len(set(every)), used


def test_one_number_shared_by_two_names_stays_shared_within_a_worker() -> None:
    moved = redis_urls_of_worker({"REDIS_URL": "redis://h:6379/1", "CACHE_URL": "redis://h/1"}, 0)
    assert moved == {"REDIS_URL": "redis://h:6379/0", "CACHE_URL": "redis://h/0"}


def test_other_url_forms() -> None:
    moved = redis_urls_of_worker(
        {
            "A": "rediss://:secret@cache.example:6380/15",
            "B": "unix:///run/redis.sock?db=3",
            "C": "redis://q.example/?db=4",
            "D": "filesystem://localhost//",
        },
        1,
    )
    assert moved == {
        "A": "rediss://:secret@cache.example:6380/1",
        "B": "unix:///run/redis.sock?db=1",
        "C": "redis://q.example/?db=1",
        "D": "filesystem://localhost//",
    }


def test_too_many_workers_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="run fewer workers"):
        redis_urls_of_worker(CI, 7)  # 14 free numbers: 7 pairs, workers 0 to 6


def test_under_xdist_this_process_uses_its_workers_databases() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker or not settings.REDIS_URL:
        pytest.skip("only under pytest-xdist with REDIS_URL (make test on Redis)")
    given = {name[len("PYTEST_GIVEN_") :]: url for name, url in os.environ.items() if name.startswith("PYTEST_GIVEN_")}
    moved = redis_urls_of_worker(given, int(worker.removeprefix("gw")))
    assert settings.REDIS_URL == moved["REDIS_URL"] != given["REDIS_URL"]
    assert settings.CELERY_BROKER_URL == moved["CELERY_BROKER_URL"] != given["CELERY_BROKER_URL"]
