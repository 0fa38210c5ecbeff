"""Tools of the outage tests (Redis stopped, PostgreSQL restarted) beside processes.py's:
a real web server subprocess, a webhook receiver, timed requests and their figures."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests

from tests.conftest import REPO_ROOT

from .processes import free_port, log_tail, wait_until

# Django accepts a form token equal to the cookie's secret: every request can carry the
# same pair without fetching a page first (as tests/integration/ratelimits does).
CSRF_SECRET = "outagetestscsrfsecret00000000000"
FIGURES_DIR = REPO_ROOT / "test-artifacts"

# Plain HTTP for the server subprocess (production settings redirect to HTTPS).
PLAIN_HTTP_ENV = {
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "SECURE_HSTS_SECONDS": "0",
    "DEBUG": "0",
}


def clear_of_the_hours_end(margin: float) -> None:
    """Waits for the next hour when fewer than ``margin`` seconds of this one are left.

    A server subprocess counts its rate limits on the real clock (the suite's per-test shift
    of the limits' clock, tests/conftest.py, reaches only this process): a scenario that
    posts a limit's worth of reviews across a full hour would rightly be allowed it twice."""
    left = 3600 - time.time() % 3600
    if left < margin:
        time.sleep(left + 0.5)


@dataclass
class WebServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path


def web_server_start(env: dict[str, str], *, log_path: Path, ready_timeout: float = 60) -> WebServer:
    """``manage.py runserver --noreload`` (threaded: one thread per request, each with its
    own database connection) on a free port; returns once it answers."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("ab")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        cwd=REPO_ROOT,
        env={**env, **PLAIN_HTTP_ENV},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the web server exited with {process.returncode}:\n{log_tail(log_path)}")
        try:
            return requests.get(f"{url}/api/v1/products/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_until(answers, timeout=ready_timeout, interval=0.2, what=f"the web server on {url}")
    return WebServer(url=url, process=process, log_path=log_path)


def site_headers(session: str) -> dict[str, str]:
    return {"Cookie": f"csrftoken={CSRF_SECRET}; sessionid={session}"}


@dataclass
class Outcome:
    """One request: what it was, its status (0: no answer) and how long it took."""

    what: str
    status: int
    seconds: float
    started: float  # time.monotonic()
    # A 503's body: "json:<error code>" (the API's shape), "page" (templates/503.html), else "".
    answer: str = ""
    retry_after: str = ""


def answer_of(response: requests.Response) -> str:
    if response.headers.get("Content-Type", "").startswith("application/json"):
        try:
            body = response.json()
        except ValueError:
            return "json:invalid"
        error = body.get("error") if isinstance(body, dict) else None
        if isinstance(error, dict) and set(error) == {"code", "message", "fields"}:
            return f"json:{error['code']}"
        return "json:other"
    return "page" if "<h1>Briefly unavailable</h1>" in response.text else "other"


def timed(what: str, method: str, url: str, *, timeout: float = 30, **kwargs: Any) -> Outcome:
    started = time.monotonic()
    try:
        response = requests.request(method, url, allow_redirects=False, timeout=timeout, **kwargs)
    except requests.RequestException:
        return Outcome(what, 0, time.monotonic() - started, started)
    seconds = time.monotonic() - started
    if response.status_code >= 500:
        return Outcome(
            what, response.status_code, seconds, started, answer_of(response), response.headers.get("Retry-After", "")
        )
    return Outcome(what, response.status_code, seconds, started)


@dataclass
class WebhookReceiver:
    """A webhook endpoint on 127.0.0.1 that answers 200 and records each event id received."""

    url: str
    event_ids: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            event_id = self.headers.get("Reviewgate-Event-Id") or json.loads(body or b"{}").get("id", "")
            with receiver.lock:
                receiver.event_ids.append(str(event_id))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


def figures_write(name: str, lines: list[str]) -> Path:
    """Writes a test's figures to test-artifacts/<name> (docs/reliability.md quotes them)."""
    path = FIGURES_DIR / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def django_run(env: dict[str, str], code: str, *, timeout: float = 300) -> Any:
    """Runs ``code`` in a Django process with ``env`` (another database than this test's)
    and returns what it printed last, as JSON."""
    script = f"import django, json\ndjango.setup()\n{code}"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def pg_seed(tag: str, *, authors: int, products: int) -> dict[str, Any]:
    """Run in the faults database (django_run): accounts with a session each, products, an
    API key; returns their handles. ``tag`` keeps one run's rows apart from an earlier's."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from apikeys.services import api_key_create
    from tests.factories import product_create, user_create

    sessions = []
    for number in range(authors):
        user = user_create(username=f"{tag}-author{number}")
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    owner = user_create(username=f"{tag}-shop")
    key = api_key_create(name=f"{tag} shop", owner=owner, scopes=["read", "write"]).plaintext
    skus = [product_create(sku=f"{tag.upper()}{number:04d}").sku for number in range(products)]
    return {"sessions": sessions, "key": key, "skus": skus}


def pg_reviews_stored(tag: str) -> int:
    """Run in the faults database: the reviews of this run's products."""
    from reviews.models import Review

    return Review.objects.filter(product__sku__startswith=tag.upper()).count()


def pg_outbox_state(since: str) -> dict[str, int] | bool:
    """Run in the faults database: of the messages written since ``since`` (ISO 8601; the
    cluster keeps an earlier run's), False while one waits, else how many were sent and how
    many were sent more than once (more than one successful attempt)."""
    from datetime import datetime

    from django.db.models import Count

    from notifications.models import DeliveryAttempt, OutboxMessage

    messages = OutboxMessage.objects.filter(created_at__gte=datetime.fromisoformat(since))
    if messages.exclude(status="sent").exists():
        return False
    twice = (
        DeliveryAttempt.objects.filter(succeeded=True, message__in=messages)
        .values("message")
        .annotate(successes=Count("id"))
        .filter(successes__gt=1)
        .count()
    )
    return {"sent": messages.filter(status="sent").count(), "twice": twice}
