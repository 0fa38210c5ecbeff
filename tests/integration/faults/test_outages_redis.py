"""Redis stopped while reviews are posted and the gate runs: reviews are still accepted,
rate limits count in the database meanwhile, the outbox goes out within minutes of Redis
coming back, and nothing is lost or done twice.

Fast tests check the fallback of the counters (core.ratelimit_counters) against a Redis
where nothing listens and against a private redis-server stopped and started again. The
slow test stops the Redis of a real web server, Celery worker and beat for OUTAGE_SECONDS.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections import Counter as Tally
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.test import Client

from core import ratelimit_counters
from core.models import RateLimitCounter
from core.ratelimit import rate_limit_refund
from core.ratelimit_counters import Counter, counter_decrement, counter_hit, counter_value, redis_health
from reviews.models import Review
from tests.factories import product_create, user_create

from .outage_tools import (
    CSRF_SECRET,
    Outcome,
    clear_of_the_hours_end,
    figures_write,
    site_headers,
    timed,
    web_server_start,
    webhook_receiver,
)
from .processes import free_port, process_stop, redis_server_start

NOWHERE = "redis://127.0.0.1:{port}/0"


@pytest.fixture(autouse=True)
def fresh_redis_health() -> Iterator[None]:
    """The process's memory of a Redis failure must not leak between tests."""
    redis_health.down_until = 0.0
    yield
    redis_health.down_until = 0.0


@pytest.fixture
def redis_unreachable(settings: Any) -> str:
    """The counters' Redis is a port where nothing listens (a stopped Redis)."""
    settings.RATELIMIT_STORE = "redis"
    settings.RATELIMIT_ENABLED = True
    settings.REDIS_URL = NOWHERE.format(port=free_port())
    return str(settings.REDIS_URL)


def database_counts(scope: str) -> list[int]:
    return sorted(RateLimitCounter.objects.filter(scope=scope).values_list("count", flat=True))


@pytest.mark.django_db
def test_with_redis_unreachable_each_hit_counts_in_the_database_and_the_limit_holds(
    redis_unreachable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import redis.connection

    connects = []
    connect = redis.connection.AbstractConnection.connect

    def counted_connect(self: Any) -> None:
        connects.append(1)
        connect(self)

    monkeypatch.setattr(redis.connection.AbstractConnection, "connect", counted_connect)
    results = [counter_hit("test", "client", limit=3, period=60, now=1000.0) for _ in range(5)]
    assert [(r.count, r.allowed) for r in results] == [(1, True), (2, True), (3, True), (4, False), (5, False)]
    assert {r.counter.store for r in results if r.counter} == {"database"}
    assert database_counts("test") == [5]
    assert len(connects) == 1  # a refused connection, once (no retries); then no further try for a while
    assert not redis_health.usable()


@pytest.mark.django_db
def test_a_refund_goes_back_to_the_store_that_counted(redis_unreachable: str) -> None:
    first = counter_hit("test", "client", limit=3, period=60, now=1000.0)
    rate_limit_refund(first)
    assert database_counts("test") == [0]


@pytest.mark.django_db
def test_a_refund_or_a_peek_on_an_unreachable_redis_does_not_raise(redis_unreachable: str) -> None:
    counter = Counter(store="redis", scope="test", ident="client", window=16, period=60)
    counter_decrement(counter)  # dropped: a lost refund only refuses more
    assert counter_value(counter) == 0  # read from the database meanwhile


@pytest.mark.django_db
def test_the_fallback_fails_closed_when_the_database_cannot_count_either(
    redis_unreachable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    with pytest.raises(OperationalError):
        counter_hit("test", "client", limit=3, period=60, now=1000.0)
    # Through the site: the review is not let through uncounted, the page says 503.
    response = Client(raise_request_exception=False).post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 503


@pytest.mark.django_db
def test_reviews_are_accepted_on_the_site_and_the_api_while_redis_is_unreachable(
    redis_unreachable: str, settings: Any
) -> None:
    from apikeys.services import api_key_create

    settings.REVIEWS_PREMODERATION = False
    author, owner = user_create(), user_create()
    site_product, api_product = product_create(), product_create()
    client = Client()
    client.force_login(author)
    page = client.post(
        f"/products/{site_product.sku}/review/",
        {"rating": "4", "title": "Good", "body": "Comfortable from the first day on.", "language": "en"},
    )
    key = api_key_create(name="Shop", owner=owner, scopes=["read", "write"]).plaintext
    api = Client().post(
        f"/api/v1/products/{api_product.sku}/reviews/",
        {"rating": 5, "title": "Great", "body": "Still fine after a month.", "language": "en"},
        content_type="application/json",
        headers={"Authorization": f"Api-Key {key}"},
    )
    assert (page.status_code, api.status_code) == (302, 201)
    assert Review.objects.filter(author__in=[author, owner]).count() == 2
    # Counted in the database: the author (site and key owner), the address and the key.
    assert database_counts("review_post") == [1, 1]
    assert database_counts("review_post_address") == [1]
    assert database_counts("review_post_key") == [1]


@pytest.mark.django_db
def test_counting_goes_back_to_redis_when_it_is_back(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server on PATH")
    import redis

    monkeypatch.setattr(ratelimit_counters, "REDIS_RETRY_SECONDS", 0.2)
    server = redis_server_start(tmp_path)
    settings.RATELIMIT_STORE = "redis"
    settings.REDIS_URL = f"redis://127.0.0.1:{server.port}/0"
    try:
        assert counter_hit("test", "client", limit=9, period=60).counter.store == "redis"  # type: ignore[union-attr]
        process_stop(server.process)
        during = counter_hit("test", "client", limit=9, period=60)
        assert (during.counter.store, during.count) == ("database", 1)  # type: ignore[union-attr]
        server = redis_server_start(tmp_path, port=server.port)  # empty: no persistence
        time.sleep(0.3)
        after = counter_hit("test", "client", limit=9, period=60)
        assert (after.counter.store, after.count) == ("redis", 1)  # type: ignore[union-attr]
        assert redis.Redis.from_url(settings.REDIS_URL).get(after.counter.redis_key) == b"1"  # type: ignore[union-attr]
        assert database_counts("test") == [1]
    finally:
        process_stop(server.process)


def test_only_the_page_cache_uses_the_redis_cache_on_a_request() -> None:
    """The cache is Redis when REDIS_URL is set, but sessions are the database's and only
    core.page_cache reads it, falling back to rendering (the next test): a Redis outage
    cannot turn into 500s through it."""
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    uses = [
        path.relative_to(django_settings.BASE_DIR).as_posix()
        for app in ("core", "accounts", "apikeys", "notifications", "products", "reviews", "gate", "storefront", "desk")
        for path in (Path(django_settings.BASE_DIR) / app).rglob("*.py")
        if re.search(r"^\s*(from django\.core\.cache import|import django\.core\.cache)", path.read_text(), re.M)
    ]
    assert uses == ["core/page_cache.py"]


@pytest.mark.django_db
def test_product_pages_and_answers_render_while_the_cache_is_unreachable(settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": NOWHERE.format(port=free_port()),
        }
    }
    product = product_create()
    for _ in range(2):
        page = Client().get(f"/products/{product.sku}/")
        assert page.status_code == 200 and page["X-Page-Cache"] == "miss"
        assert Client().get(f"/api/v1/products/{product.sku}/").status_code == 200


# --- Slow: a real web server, worker and beat, and their Redis stopped for a minute ------

OUTAGE_SECONDS = 60.0
ROUND_SECONDS = 2.5  # one round of requests every this often during the outage
SITE_POSTS_DURING = 12  # one author: the limit (10 an hour) plus two refused
API_POSTS_DURING = 5
DELIVERED_WITHIN_SECONDS = 180.0  # "within minutes": beat sweeps every 60 s
REVIEW_TEXT = "Comfortable from the first day on, and still fine after a month."


def gate_history(policy: Any, manager: Any) -> None:
    """Two products rated 1 star six days ago: the gate flags them, then withdraws them."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.integration.gate.helpers import add_reviews, noon

    day = policy.day_of(timezone.now()) - timedelta(days=6)
    for product in [product_create(managers=[manager]) for _ in range(2)]:
        add_reviews(product, noon(policy, day), [1] * (policy.min_reviews + 1))


def emails_sent(directory: Path) -> int:
    return sum(path.read_text(errors="replace").count("\nMessage-ID: ") for path in directory.glob("*.log"))


def session_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return str(client.cookies[django_settings.SESSION_COOKIE_NAME].value)


class Scenario:
    """Who posts what through the live server, and every answer with its time."""

    def __init__(self, policy: Any) -> None:
        from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR
        from apikeys.services import api_key_create

        gate_history(policy, user_create(PRODUCT_MANAGER))
        user_create(QUALITY_DIRECTOR)  # every quality director is told too
        self.early, self.author, self.late, self.owner = (user_create() for _ in range(4))
        self.sessions = {user.pk: session_of(user) for user in (self.early, self.author, self.late)}
        self.key = api_key_create(name="Shop", owner=self.owner, scopes=["read", "write"]).plaintext
        self.products = iter([product_create() for _ in range(SITE_POSTS_DURING + API_POSTS_DURING + 3)])
        self.url = ""
        self.outcomes: list[Outcome] = []
        self.gate_seconds = 0.0

    def site_post(self, user: Any, what: str) -> Outcome:
        data = {
            "rating": "4",
            "title": "Good",
            "body": REVIEW_TEXT,
            "language": "en",
            "csrfmiddlewaretoken": CSRF_SECRET,
        }
        url = f"{self.url}/products/{next(self.products).sku}/review/"
        return timed(what, "POST", url, data=data, headers=site_headers(self.sessions[user.pk]))

    def api_post(self, what: str) -> Outcome:
        body = {"rating": 5, "title": "Great", "body": REVIEW_TEXT, "language": "en"}
        url = f"{self.url}/api/v1/products/{next(self.products).sku}/reviews/"
        return timed(what, "POST", url, json=body, headers={"Authorization": f"Api-Key {self.key}"})

    def gate_evaluate(self, env: dict[str, str]) -> None:
        """The nightly command: its events and outbox rows commit; the on-commit kick meets
        no broker and leaves them to the sweep."""
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "manage.py", "gate_evaluate"], env=env, capture_output=True, text=True, timeout=120
        )
        self.gate_seconds = time.monotonic() - started
        assert done.returncode == 0, done.stderr[-3000:]

    def through_the_outage(self, env: dict[str, str]) -> float:
        """A round of requests every ROUND_SECONDS for OUTAGE_SECONDS; the gate runs in it."""
        started = time.monotonic()
        round_number = 0
        while time.monotonic() - started < OUTAGE_SECONDS:
            round_started = time.monotonic()
            if round_number < SITE_POSTS_DURING:
                self.outcomes.append(self.site_post(self.author, "site post"))
            if round_number < API_POSTS_DURING:
                self.outcomes.append(self.api_post("API post"))
            self.outcomes.append(timed("page", "GET", f"{self.url}/products/"))
            self.outcomes.append(timed("API read", "GET", f"{self.url}/api/v1/products/"))
            if round_number == 3:
                self.gate_evaluate(env)
            round_number += 1
            time.sleep(max(0.0, ROUND_SECONDS - (time.monotonic() - round_started)))
        return time.monotonic() - started

    def statuses(self, what: str) -> list[int]:
        return [o.status for o in self.outcomes if o.what == what]


@pytest.mark.slow
# One xdist worker runs both outages, one after the other (make test: --dist loadgroup):
# each holds a server, a worker and beat under load against a 5 s latency bound.
@pytest.mark.xdist_group("outages")
@pytest.mark.django_db(transaction=True)
def test_redis_stopped_for_a_minute_loses_nothing_and_doubles_nothing(tmp_path: Path, fault_policy: Any) -> None:
    import redis

    from notifications.models import OutboxMessage, WebhookEndpoint

    from .conftest import policy_env
    from .processes import celery_beat_start, celery_worker_start, child_env, stack_required, wait_until

    stack_required()
    scenario = Scenario(fault_policy)
    emails = tmp_path / "emails"
    emails.mkdir()
    server_redis = redis_server_start(tmp_path / "redis")
    counters = redis.Redis.from_url(f"redis://127.0.0.1:{server_redis.port}/1")
    env = child_env(
        broker_url=f"redis://127.0.0.1:{server_redis.port}/0",
        extra={
            **policy_env(fault_policy),
            "REDIS_URL": f"redis://127.0.0.1:{server_redis.port}/1",
            "RATELIMIT_STORE": "",  # the default with REDIS_URL: Redis
            "FAULTS_EMAIL_DIR": str(emails),
            "REVIEWS_PREMODERATION": "0",
        },
    )
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with webhook_receiver() as receiver:
            WebhookEndpoint.objects.create(url=receiver.url, secret="whsec_outage", events=["flagged", "withdrawn"])
            processes.append(celery_worker_start(env, log_path=tmp_path / "worker.log"))
            processes.append(celery_beat_start(env, log_path=tmp_path / "beat.log", schedule_path=tmp_path / "beat"))
            web = web_server_start(env, log_path=tmp_path / "web.log")
            processes.append(web.process)
            scenario.url = web.url

            # From the first counted post to the last: about two minutes (an hour's limit).
            clear_of_the_hours_end(margin=300)
            before = [scenario.site_post(scenario.early, "before"), scenario.api_post("before")]
            assert [o.status for o in before] == [302, 201]
            assert counters.keys("ratelimit:review_post:*")  # counted in Redis
            assert not RateLimitCounter.objects.filter(scope="review_post").exists()

            process_stop(server_redis.process)  # --- Redis stops
            outage_seconds = scenario.through_the_outage(env)
            messages = OutboxMessage.objects.filter(status="pending").count()

            server_redis = redis_server_start(server_redis.directory, port=server_redis.port)  # back, empty
            restarted = time.monotonic()
            wait_until(
                lambda: not OutboxMessage.objects.exclude(status="sent").exists(),
                timeout=DELIVERED_WITHIN_SECONDS,
                interval=0.5,
                what="every outbox message sent after Redis came back",
            )
            delivered_after = time.monotonic() - restarted
            time.sleep(1.0)  # a message sent twice would show up here
            assert scenario.site_post(scenario.late, "after").status == 302
            assert len(counters.keys("ratelimit:review_post:*")) == 1  # the late post: in Redis again
    finally:
        for process in reversed(processes):
            process_stop(process)
        process_stop(server_redis.process)

    assert_reviews_accepted_and_limited(scenario)
    webhooks = assert_each_message_sent_once(messages, emails, receiver.event_ids)
    latency = max(o.seconds for o in scenario.outcomes)
    figures_write(
        "outage_redis.txt",
        [
            f"outage_seconds={outage_seconds:.1f}",
            f"requests_during={len(scenario.outcomes)} statuses={dict(Tally(o.status for o in scenario.outcomes))}",
            f"site_posts: {scenario.statuses('site post').count(302)} accepted, "
            f"{scenario.statuses('site post').count(429)} refused (limit 10 an hour)",
            f"api_posts: {scenario.statuses('API post').count(201)} accepted",
            f"max_latency_during_s={latency:.3f}",
            f"gate_evaluate_during_s={scenario.gate_seconds:.1f}",
            f"outbox_messages={messages} (webhooks {webhooks})",
            f"delivered_after_restart_s={delivered_after:.1f}",
        ],
    )
    assert latency < 2.0


def assert_reviews_accepted_and_limited(scenario: Scenario) -> None:
    # Reviews still accepted; the author's limit (10 an hour) held by the database's counter.
    assert scenario.statuses("site post") == [302] * 10 + [429] * (SITE_POSTS_DURING - 10)
    assert scenario.statuses("API post") == [201] * API_POSTS_DURING
    assert set(scenario.statuses("page") + scenario.statuses("API read")) == {200}
    assert database_counts("review_post") == [API_POSTS_DURING, SITE_POSTS_DURING]
    assert database_counts("review_post_key") == [API_POSTS_DURING]
    assert database_counts("review_post_address") == [10]  # after the outage: nothing more
    # Each accepted review stored once, no refused one stored.
    assert Review.objects.filter(author=scenario.author).count() == 10
    assert Review.objects.filter(author=scenario.owner).count() == 1 + API_POSTS_DURING
    assert Review.objects.filter(author__in=[scenario.early, scenario.late]).count() == 2


def assert_each_message_sent_once(messages: int, emails: Path, event_ids: list[str]) -> int:
    """The messages pending when Redis came back (the gate's, and the thanks and care alerts
    of the reviews posted meanwhile), and those the posts after it wrote: all sent, each once."""
    from gate.models import GateEvent
    from notifications.models import DeliveryAttempt, OutboxMessage

    assert GateEvent.objects.count() > 0 and messages > 0
    sent = OutboxMessage.objects.filter(status="sent")
    total = OutboxMessage.objects.count()
    assert sent.count() == total >= messages
    assert DeliveryAttempt.objects.filter(succeeded=True).count() == total
    assert emails_sent(emails) == sent.filter(channel="email").count() > 0
    webhook_ids = [str(i) for i in sent.filter(channel="webhook").values_list("payload__id", flat=True)]
    assert sorted(event_ids) == sorted(webhook_ids) and webhook_ids
    assert max(Tally(event_ids).values()) == 1
    return len(webhook_ids)
