"""Fixtures of the notification tests: people in their roles, a product, a real HTTP
receiver for webhooks, and eager Celery when a test wants kicked tasks to run."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR
from config.celery_app import app as celery_app
from notifications.webhooks import webhook_signature_verify
from products.models import Product
from tests.factories import next_number, product_create


@pytest.fixture(autouse=True)
def _notification_settings(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Paris"
    settings.GATE_NOTIFY_DAYS = 7
    settings.SITE_URL = "https://shop.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user(PRODUCT_MANAGER, language="fr", display_name="Camille")


@pytest.fixture
def director(make_user: Callable[..., User]) -> User:
    return make_user(QUALITY_DIRECTOR, language="en", display_name="Dana")


@pytest.fixture
def product(manager: User, director: User) -> Product:
    n = next_number()
    return product_create(sku=f"B{n:06d}", name=f"Trail shoe & sock {n}", slug=f"trail-{n}", managers=[manager])


@pytest.fixture
def celery_eager() -> Iterator[None]:
    """Run kicked tasks in-process. Celery reads its configuration once, so the app's own
    setting is switched (Django's CELERY_TASK_ALWAYS_EAGER is no longer read by then)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An integrator's endpoint: checks each delivery's signature with the documented
    check, records it, answers with the next scripted status (200 once the script is
    empty), and processes each event id once (its de-duplication)."""

    url: str = ""
    secret: str = ""
    statuses: list[int] = field(default_factory=list)
    delay_seconds: float = 0.0
    deliveries: list[Delivery] = field(default_factory=list)
    processed_event_ids: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, headers: dict[str, str], body: bytes) -> int:
        verified = webhook_signature_verify(
            self.secret,
            timestamp=headers.get("Reviewgate-Timestamp", ""),
            body=body,
            signature=headers.get("Reviewgate-Signature", ""),
        )
        with self.lock:
            self.deliveries.append(Delivery(headers=headers, body=body, verified=verified))
            if not verified:
                return 401
            status = self.statuses.pop(0) if self.statuses else 200
            event_id = headers["Reviewgate-Event-Id"]
            if 200 <= status < 300 and event_id not in self.processed_event_ids:
                self.processed_event_ids.append(event_id)
            delay = self.delay_seconds
        if delay:
            time.sleep(delay)
        return status


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            status = state.handle({k: v for k, v in self.headers.items()}, body)
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:
                pass  # the sender gave up waiting (a timeout test)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/reviewgate"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
