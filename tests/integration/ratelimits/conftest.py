"""A live server and a burst of real HTTP requests, for the rate-limit tests.

The server is Django's threaded live server (one thread per request, each with its own
database connection), in front of the test database, with two changes a production server
has too: a listen backlog that holds a burst of 100 connections, and at most
`MAX_IN_FLIGHT` requests handled at once (gunicorn's workers x threads), because each
request holds a PostgreSQL connection and the server allows 100 in all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings

from tests.conftest import REPO_ROOT

MAX_IN_FLIGHT = 40
# Any 32 letters: Django takes a form token equal to the cookie's secret, so every
# request of a burst can carry the same pair without first fetching a page.
CSRF_SECRET = "ratelimitconcurrencytestsecret00"
FIGURES = REPO_ROOT / "test-artifacts" / "rate_limits_concurrency.txt"


class BoundedThreadedWSGIServer(ThreadedWSGIServer):
    request_queue_size = 256

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = threading.BoundedSemaphore(MAX_IN_FLIGHT)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()


class BoundedLiveServerThread(LiveServerThread):
    server_class = BoundedThreadedWSGIServer


@dataclass
class HttpServer:
    url: str


@pytest.fixture(scope="session")
def http_server(django_db_setup: None, django_db_blocker: Any) -> Generator[HttpServer]:
    """A live server on 127.0.0.1, built with plain-HTTP settings (SecurityMiddleware reads
    SECURE_SSL_REDIRECT when the server starts, before any test's settings)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs a database with concurrent writers: DATABASE_URL=postgres://...")

    with override_settings(SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False):
        thread = BoundedLiveServerThread("127.0.0.1", StaticFilesHandler)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
    yield HttpServer(url=f"http://127.0.0.1:{thread.port}")
    thread.terminate()


def burst(count: int, send: Callable[[int], requests.Response]) -> list[int]:
    """Sends `count` requests at once (each thread waits for all the others, then sends)
    and returns their status codes."""
    start = threading.Barrier(count)

    def one(number: int) -> int:
        start.wait()
        return send(number).status_code

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


def site_headers(*, session: str | None = None) -> dict[str, str]:
    cookies = [f"csrftoken={CSRF_SECRET}"]
    if session:
        cookies.append(f"sessionid={session}")
    return {"Cookie": "; ".join(cookies)}


def record_figure(case: str, store: str, sent: int, allowed: int, limit: int) -> None:
    """Appends a line to test-artifacts/ (the figures docs/reliability.md quotes)."""
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with Path(FIGURES).open("a", encoding="utf-8") as figures:
        figures.write(f"{case}\t{store}\tsent={sent}\tallowed={allowed}\tlimit={limit}\n")
