"""PostgreSQL unreachable or restarting: requests fail fast with a 503 (the site's page,
the API's JSON error), never a 500 or a hung request; figures equal a recount afterwards.

The fast tests make the database refuse connections inside this process (the exact error
a stopped server gives: OperationalError from the connect). The slow test restarts a real
PostgreSQL cluster under load (see test_postgres_restart_under_load)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter as Tally
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, RequestFactory

from apikeys.services import api_key_create
from core.api_errors import error_body
from core.db_unavailable import RETRY_AFTER_SECONDS, server_error
from tests.factories import product_create, user_create

from .outage_tools import CSRF_SECRET, Outcome, figures_write, site_headers, timed, web_server_start

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


def refuse(*args: Any, **kwargs: Any) -> None:
    raise OperationalError(REFUSED)


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, every use of the connection fails as it does while PostgreSQL is down."""
    monkeypatch.setattr(connection, "ensure_connection", refuse)


@pytest.mark.django_db
def test_a_page_answers_the_503_page_with_retry_after(database_down: None) -> None:
    response = Client(raise_request_exception=False).get("/products/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "<h1>Briefly unavailable</h1>" in text
    assert "Please try again in a few seconds." in text


@pytest.mark.django_db
def test_the_api_answers_its_json_error_with_retry_after(database_down: None) -> None:
    response = Client(raise_request_exception=False).get("/api/v1/products/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == error_body(
        "database_unavailable", "The service is briefly unavailable. Please try again in a few seconds."
    )


@pytest.mark.django_db
def test_an_api_write_answers_the_json_error(monkeypatch: pytest.MonkeyPatch) -> None:
    key = api_key_create(name="Shop", owner=user_create(), scopes=["read", "write"]).plaintext
    product = product_create()
    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = Client(raise_request_exception=False).post(
        f"/api/v1/products/{product.sku}/reviews/",
        data={"rating": 4, "title": "Fine", "body": "Fine for a month.", "language": "en"},
        content_type="application/json",
        headers={"Authorization": f"Api-Key {key}"},  # looked up in the database
    )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "database_unavailable"


@pytest.mark.django_db
def test_a_signed_in_request_that_fails_in_a_middleware_also_gets_the_503(monkeypatch: pytest.MonkeyPatch) -> None:
    """The session and the user load in middleware, before any view: handler500's path."""
    client = Client(raise_request_exception=False)
    client.force_login(user_create())
    product = product_create()

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    page = client.get(f"/products/{product.sku}/")
    assert (page.status_code, page["Retry-After"]) == (503, str(RETRY_AFTER_SECONDS))
    assert "Briefly unavailable" in page.content.decode()
    api = client.get("/api/v1/products/")
    assert api.status_code == 503 and api.json()["error"]["code"] == "database_unavailable"


@pytest.mark.django_db
def test_the_page_is_translated_without_the_database(database_down: None) -> None:
    response = Client(raise_request_exception=False).get("/products/", headers={"Accept-Language": "fr"})
    assert response.status_code == 503
    assert 'lang="fr"' in response.content.decode()


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError(REFUSED), 503),
        (InterfaceError("connection already closed"), 503),
        (connection.Database.OperationalError("terminating connection due to administrator command"), 503),  # type: ignore[attr-defined]
        (RuntimeError("a bug"), 500),
    ],
)
def test_handler500_answers_503_for_database_errors_only(error: Exception, status: int) -> None:
    request = RequestFactory().get("/products/")
    try:
        raise error
    except Exception:
        response = server_error(request)  # Django calls it inside the except, like this
    assert response.status_code == status
    assert ("Retry-After" in response) is (status == 503)


def test_postgresql_connections_have_a_connect_timeout() -> None:
    database = django_settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("connect_timeout is PostgreSQL's (DATABASE_URL=postgres://...)")
    assert database["OPTIONS"]["connect_timeout"] == 3


# --- Slow: a real PostgreSQL cluster restarted under load ---------------------------------

TOOLS = "tests.integration.faults.outage_tools"
REVIEW_TEXT = "Comfortable from the first day on, and still fine after a month."
FAULTS_CLUSTER = os.environ.get("FAULTS_PG_CLUSTER", "15 faults")  # pg_ctlcluster <version> <name>
LOAD_THREADS = 4  # site posts, API posts, page reads, API reads; plus password resets
BEFORE_SECONDS = 3.0
DOWN_SECONDS = 5.0  # between the stop and the start
AFTER_SECONDS = 5.0
MAX_LATENCY_SECONDS = 5.0
SETTLED_WITHIN_SECONDS = 150.0  # the outbox: beat sweeps every 60 s


def faults_database_url() -> str:
    """The dedicated cluster of .ci/faults-cluster.sh, or skip (fail in CI)."""
    url = os.environ.get("FAULTS_DATABASE_URL", "")
    missing = []
    if not url:
        missing.append("FAULTS_DATABASE_URL (run .ci/faults-cluster.sh as root)")
    if shutil.which("pg_ctlcluster") is None or shutil.which("redis-server") is None:
        missing.append("pg_ctlcluster and redis-server")
    if missing:
        message = "the PostgreSQL restart test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def pg_ctlcluster(action: str) -> float:
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", *FAULTS_CLUSTER.split(), action], check=True, capture_output=True, timeout=60)
    return time.monotonic() - started


class Load:
    """Threads that send requests until stopped, each answer recorded with its time."""

    def __init__(self, url: str, seed: dict[str, Any]) -> None:
        self.url, self.seed = url, seed
        self.outcomes: list[Outcome] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def record(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)
        if outcome.status == 503:
            time.sleep(0.1)  # a client waits a little before the next (each post takes a new product)

    def site_posts(self) -> None:
        session = self.seed["sessions"][0]
        for sku in self.seed["skus"]:
            if self.stop.is_set():
                return
            data = {
                "rating": "2",
                "title": "Fair",
                "body": REVIEW_TEXT,
                "language": "en",
                "csrfmiddlewaretoken": CSRF_SECRET,
            }
            self.record(
                timed(
                    "site post", "POST", f"{self.url}/products/{sku}/review/", data=data, headers=site_headers(session)
                )
            )

    def api_posts(self) -> None:
        headers = {"Authorization": f"Api-Key {self.seed['key']}"}
        for sku in self.seed["skus"]:
            if self.stop.is_set():
                return
            body = {"rating": 5, "title": "Great", "body": REVIEW_TEXT, "language": "en"}
            self.record(
                timed("API post", "POST", f"{self.url}/api/v1/products/{sku}/reviews/", json=body, headers=headers)
            )

    def reads(self, what: str, path: str) -> None:
        while not self.stop.is_set():
            self.record(timed(what, "GET", f"{self.url}{path}"))

    def resets(self) -> None:
        number = 0
        while not self.stop.is_set():
            data = {"email": f"reset{number}@example.com", "csrfmiddlewaretoken": CSRF_SECRET}
            self.record(
                timed("reset", "POST", f"{self.url}/accounts/password/reset/", data=data, headers=site_headers(""))
            )
            number += 1
            time.sleep(0.5)

    def run(self) -> list[threading.Thread]:
        targets: list[tuple[Callable[..., None], tuple[str, ...]]] = [
            (self.site_posts, ()),
            (self.api_posts, ()),
            (self.reads, ("page", "/products/")),
            (self.reads, ("API read", "/api/v1/products/")),
            (self.resets, ()),
        ]
        threads = [threading.Thread(target=target, args=args, daemon=True) for target, args in targets]
        for thread in threads:
            thread.start()
        return threads


ACCEPTED = {"site post": 302, "API post": 201, "page": 200, "API read": 200, "reset": 302}


@pytest.mark.slow
# One xdist worker runs both outages, one after the other (make test: --dist loadgroup):
# each holds a server, a worker and beat under load against a 5 s latency bound.
@pytest.mark.xdist_group("outages")
def test_postgres_restart_under_load_fails_fast_with_503_and_the_figures_equal_a_recount(tmp_path: Path) -> None:
    from .outage_tools import django_run
    from .processes import celery_beat_start, celery_worker_start, child_env, process_stop, redis_server_start

    url = faults_database_url()
    tag = f"pg{uuid.uuid4().hex[:8]}"
    broker = redis_server_start(tmp_path / "redis")
    env = child_env(
        broker_url=broker.url, extra={"FAULTS_EMAIL_DIR": str(tmp_path / "emails"), "RATELIMIT_ENABLED": "0"}
    )
    env["DATABASE_URL"] = url
    (tmp_path / "emails").mkdir()
    django_run(
        env, "from django.core.management import call_command\ncall_command('migrate', verbosity=0)\nprint('{}')"
    )
    # The cluster keeps earlier runs' rows: the outbox is judged on this run's messages.
    since = datetime.now(UTC).isoformat()
    seed_call = f"pg_seed({tag!r}, authors=1, products=400)"
    seed = django_run(env, f"from {TOOLS} import pg_seed\nprint(json.dumps({seed_call}))")
    processes = []
    try:
        processes.append(celery_worker_start(env, log_path=tmp_path / "worker.log"))
        processes.append(celery_beat_start(env, log_path=tmp_path / "beat.log", schedule_path=tmp_path / "beat"))
        web = web_server_start(env, log_path=tmp_path / "web.log")
        processes.append(web.process)
        load = Load(web.url, seed)
        threads = load.run()
        time.sleep(BEFORE_SECONDS)
        stopped_at = time.monotonic()
        stop_seconds = pg_ctlcluster("stop")
        time.sleep(DOWN_SECONDS)
        start_seconds = pg_ctlcluster("start")
        started_at = time.monotonic()
        time.sleep(AFTER_SECONDS)
        load.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        figures = after_the_restart(env, tag, since, load.outcomes, stopped_at, started_at)
    finally:
        for process in reversed(processes):
            process_stop(process)
        process_stop(broker.process)
        if subprocess.run(["pg_lsclusters"], capture_output=True, text=True).stdout.count("online") < 2:
            pg_ctlcluster("start")  # never leave the cluster down
    figures_write(
        "outage_postgres.txt",
        [f"pg_ctlcluster stop {stop_seconds:.1f}s, down {DOWN_SECONDS:.0f}s, start {start_seconds:.1f}s", *figures],
    )


def after_the_restart(
    env: dict[str, str], tag: str, since: str, outcomes: list[Outcome], stopped_at: float, started_at: float
) -> list[str]:
    """Checks every answer and the database afterwards; returns the figures."""
    from .outage_tools import django_run
    from .processes import wait_until

    statuses = Tally(o.status for o in outcomes)
    failed = [o for o in outcomes if o.status != ACCEPTED[o.what]]
    # Fail fast, never a 500, never a hang: each answer the expected one or a 503.
    assert {o.status for o in failed} <= {503}, Tally((o.what, o.status, o.answer) for o in failed)
    assert max(o.seconds for o in outcomes) <= MAX_LATENCY_SECONDS
    for outcome in failed:
        expected = "json:database_unavailable" if outcome.what.startswith("API") else "page"
        assert (outcome.answer, outcome.retry_after) == (expected, "10"), outcome
    assert failed, "no request met the restart: the load did not overlap it"
    recovered = min(o.started + o.seconds for o in outcomes if o.started >= started_at and o.status == ACCEPTED[o.what])
    last_failure = max(o.started + o.seconds for o in failed)
    assert last_failure <= started_at + 5.0, "requests still failing 5 s after the start"

    stored = django_run(env, f"from {TOOLS} import pg_reviews_stored\nprint(pg_reviews_stored({tag!r}))")
    accepted_posts = sum(1 for o in outcomes if o.what.endswith("post") and o.status == ACCEPTED[o.what])
    refused_posts = sum(1 for o in outcomes if o.what.endswith("post") and o.status == 503)
    # Every accepted review stored; a 503 may (rarely) answer a review whose commit went through.
    assert accepted_posts <= stored <= accepted_posts + refused_posts

    recount = subprocess.run(
        [sys.executable, "manage.py", "recompute_ratings"], env=env, capture_output=True, text=True, timeout=300
    )
    assert recount.returncode == 0, recount.stderr[-3000:]
    assert "nothing to correct" in recount.stdout, recount.stdout[-3000:]
    settled = wait_until(
        lambda: django_run(env, f"from {TOOLS} import pg_outbox_state\nprint(json.dumps(pg_outbox_state({since!r})))"),
        timeout=SETTLED_WITHIN_SECONDS,
        interval=2.0,
        what="every outbox message sent after the restart",
    )
    assert settled["twice"] == 0
    assert settled["sent"] > 0, "the load wrote no outbox message: nothing was judged"
    down = started_at - stopped_at
    return [
        f"requests={len(outcomes)} statuses={dict(statuses)}",
        f"refused while down: {len(failed)} (503: API JSON database_unavailable / site 503 page, Retry-After 10)",
        f"max_latency_s={max(o.seconds for o in outcomes):.3f} (bound {MAX_LATENCY_SECONDS:.0f})",
        f"max_latency_of_503_s={max(o.seconds for o in failed):.3f}",
        f"down_s={down:.1f} recovered_s_after_start={recovered - started_at:.2f}",
        f"last_503_s_after_start={last_failure - started_at:.2f}",
        f"reviews accepted={accepted_posts} stored={stored} posts answered 503={refused_posts}",
        "recompute_ratings: nothing to correct",
        f"outbox sent={settled['sent']} sent twice={settled['twice']}",
    ]


def test_a_task_with_the_database_retry_options_is_retried_until_the_database_answers() -> None:
    """What notifications.tasks and gate.tasks take (core.db_unavailable): a task that meets
    a database restart runs again (with back-off; at once here, eagerly) instead of failing."""
    from config.celery_app import app
    from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS

    calls: list[int] = []

    @app.task(name="tests.faults.database_restarting", **TASK_RETRY_ON_DATABASE_ERRORS)
    def database_restarting() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("the database system is starting up")
        return "done"

    # Eagerly, a retry runs again at once inside apply(), unless the first error propagates.
    propagates = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        result = database_restarting.apply()
    finally:
        app.conf.task_eager_propagates = propagates
    assert (result.get(), len(calls)) == ("done", 3)
    assert TASK_RETRY_ON_DATABASE_ERRORS["retry_backoff"] and TASK_RETRY_ON_DATABASE_ERRORS["max_retries"] == 10
