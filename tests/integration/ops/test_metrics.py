"""/metrics: only to the allowed addresses, and the project's figures equal the tables."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from gate.models import GateClock
from notifications.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from ops.project_metrics import webhook_delivery_failures_forget
from reviews.models import ReasonCode, Review, ReviewStatus
from tests.care_factories import review_post
from tests.factories import user_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _failures_counted_afresh() -> None:
    webhook_delivery_failures_forget()


PROJECT_METRICS = (
    "reviewgate_outbox_backlog",
    "reviewgate_outbox_oldest_pending_age_seconds",
    "reviewgate_gate_last_evaluated_day_timestamp_seconds",
    "reviewgate_reviews_held_for_burst",
    "reviewgate_webhook_delivery_failures",
    "reviewgate_webhook_messages_retrying",
    "reviewgate_project_metrics_up",
)


def scrape(client: Client | None = None, **extra: Any) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = (client or Client()).get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def families(client: Client | None = None) -> set[str]:
    response = (client or Client()).get("/metrics")
    return {family.name for family in text_string_to_metric_families(response.content.decode())}


def test_an_address_not_allowed_gets_the_sites_404(settings: Any) -> None:
    settings.METRICS_ALLOWED_ADDRESSES = ["127.0.0.1", "10.0.0.0/8"]
    response = Client(REMOTE_ADDR="192.168.1.20").get("/metrics")
    assert response.status_code == 404
    assert b"reviewgate_" not in response.content
    assert Client(REMOTE_ADDR="10.20.30.40").get("/metrics").status_code == 200


@pytest.mark.parametrize(
    ("trusted_proxies", "remote_addr", "forwarded_for"),
    [
        (0, "127.0.0.1", "203.0.113.9"),  # an undeclared proxy on the server's host lends its 127.0.0.1
        (1, "203.0.113.9", "10.0.0.5"),  # a client calling the server directly forges an allowed address
        (2, "10.0.0.2", "203.0.113.9"),  # a client skipping the CDN: too few entries, the balancer's own
        (1, "10.0.0.2", "203.0.113.9"),  # through the balancer from outside: the client is not allowed
    ],
)
def test_metrics_need_the_connection_and_the_client_both_allowed(
    settings: Any, trusted_proxies: int, remote_addr: str, forwarded_for: str
) -> None:
    """Found by review: the client's address alone was judged."""
    settings.METRICS_ALLOWED_ADDRESSES = ["127.0.0.1", "10.0.0.0/8"]
    settings.TRUSTED_PROXY_COUNT = trusted_proxies
    response = Client(REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR=forwarded_for).get("/metrics")
    assert response.status_code == 404
    assert b"reviewgate_" not in response.content


def test_a_scraper_behind_the_trusted_balancer_is_answered(settings: Any) -> None:
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.0.0/8"]
    settings.TRUSTED_PROXY_COUNT = 1
    assert Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="10.0.7.7").get("/metrics").status_code == 200


def test_an_allowed_scraper_calling_the_servers_address_over_http_is_answered(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_ALLOWED_ADDRESSES = ["10.0.9.0/24"]
    response = Client(REMOTE_ADDR="10.0.9.5", HTTP_HOST="10.0.3.7:8000").get("/metrics")
    assert response.status_code == 200
    assert not response.cookies


def test_project_metrics_are_present_with_the_librarys(client: Client) -> None:
    client.get("/about/")  # a request through the whole stack
    names = families(client)
    assert set(PROJECT_METRICS) <= names
    assert "django_http_requests_total_by_method" in names


def _sample_sum(samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str) -> float:
    return sum(
        value
        for (sample, sample_labels), value in samples.items()
        if sample == name and all((key, wanted) in sample_labels for key, wanted in labels.items())
    )


def test_queries_and_cache_reads_are_counted(client: Client) -> None:
    """The execute wrapper (ops.db_metrics) and the cache subclasses (ops.cache_metrics)
    feed django-prometheus' metrics: the families exist without them, their samples do not."""
    from django.core.cache import cache
    from django.db import DatabaseError, connection, transaction

    before = scrape(client)
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("SELECT 1")
        with pytest.raises(DatabaseError), transaction.atomic():  # a savepoint: PostgreSQL goes on
            cursor.execute("SELECT * FROM no_such_table_here")
    cache.set("ops-metrics-test", 1)
    cache.get("ops-metrics-test")
    cache.get("ops-metrics-test-missing")
    after = scrape(client)

    executed = "django_db_execute_total"
    assert _sample_sum(after, executed, alias="default") - _sample_sum(before, executed, alias="default") >= 4
    assert _sample_sum(after, "django_db_errors_total", alias="default") > _sample_sum(
        before, "django_db_errors_total", alias="default"
    )
    hits, misses = "django_cache_get_hits_total", "django_cache_get_misses_total"
    assert _sample_sum(after, hits) - _sample_sum(before, hits) >= 1
    assert _sample_sum(after, misses) - _sample_sum(before, misses) >= 1


def _email(n: int, *, created_ago: timedelta, status: str = OutboxMessage.Status.PENDING) -> OutboxMessage:
    now = timezone.now()
    message = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.EMAIL,
        kind="test",
        dedupe_key=f"test:metrics:{n}",
        recipient=user_create(),
        payload={},
        status=status,
        next_attempt_at=now,
        sent_at=now if status == OutboxMessage.Status.SENT else None,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=now - created_ago)
    return message


def test_outbox_backlog_and_oldest_age_equal_the_table(client: Client) -> None:
    _email(1, created_ago=timedelta(minutes=5))
    _email(2, created_ago=timedelta(minutes=2))
    _email(3, created_ago=timedelta(hours=5), status=OutboxMessage.Status.SENT)

    samples = scrape(client)

    assert samples[("reviewgate_outbox_backlog", (("channel", "email"),))] == 2
    assert samples[("reviewgate_outbox_backlog", (("channel", "webhook"),))] == 0
    oldest = samples[("reviewgate_outbox_oldest_pending_age_seconds", (("channel", "email"),))]
    assert 300 <= oldest < 330
    assert samples[("reviewgate_outbox_oldest_pending_age_seconds", (("channel", "webhook"),))] == 0
    assert samples[("reviewgate_project_metrics_up", ())] == 1


def test_last_gate_day_is_the_clocks(client: Client, settings: Any) -> None:
    GateClock.objects.update_or_create(pk=1, defaults={"last_evaluated_day": None})
    assert ("reviewgate_gate_last_evaluated_day_timestamp_seconds", ()) not in scrape(client)
    GateClock.objects.filter(pk=1).update(last_evaluated_day=date(2026, 12, 6))
    expected = datetime(2026, 12, 6, tzinfo=ZoneInfo(settings.TIME_ZONE)).timestamp()
    assert scrape(client)[("reviewgate_gate_last_evaluated_day_timestamp_seconds", ())] == expected


def test_reviews_held_for_a_burst_are_counted(client: Client) -> None:
    reviews = [review_post() for _ in range(3)]
    Review.objects.filter(pk__in=[reviews[0].pk, reviews[1].pk]).update(
        status=ReviewStatus.PENDING, status_reason=ReasonCode.BURST, published_at=None
    )
    assert scrape(client)[("reviewgate_reviews_held_for_burst", ())] == 2


def test_webhook_failures_are_counted_from_the_attempts(client: Client) -> None:
    endpoint = WebhookEndpoint.objects.create(
        url="https://erp.example.com/hooks", secret="whsec_metrics", events=["flagged"]
    )
    now = timezone.now()
    retrying = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.WEBHOOK,
        kind="flagged",
        dedupe_key="test:metrics:webhook:1",
        endpoint=endpoint,
        payload={"id": 1},
        attempts=2,
        next_attempt_at=now,
    )
    finished = {"finished_at": now, "duration_ms": 10}
    DeliveryAttempt.objects.create(message=retrying, number=1, attempted_at=now, succeeded=False, **finished)
    DeliveryAttempt.objects.create(message=retrying, number=2, attempted_at=now, succeeded=False, **finished)
    # An email's failure is not a webhook's; a webhook's success is not a failure.
    email = _email(9, created_ago=timedelta(0))
    DeliveryAttempt.objects.create(message=email, number=1, attempted_at=now, succeeded=False, **finished)
    sent = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.WEBHOOK,
        kind="flagged",
        dedupe_key="test:metrics:webhook:2",
        endpoint=endpoint,
        payload={"id": 2},
        status=OutboxMessage.Status.SENT,
        attempts=1,
        next_attempt_at=now,
        sent_at=now,
    )
    DeliveryAttempt.objects.create(message=sent, number=1, attempted_at=now, succeeded=True, **finished)

    samples = scrape(client)

    assert samples[("reviewgate_webhook_delivery_failures_total", ())] == 2
    assert samples[("reviewgate_webhook_messages_retrying", ())] == 1
    # Counted once a minute: a new failure shows at the next count, the retrying one at once.
    DeliveryAttempt.objects.create(message=sent, number=2, attempted_at=now, succeeded=False, **finished)
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxMessage.Status.PENDING, sent_at=None, attempts=2)
    samples = scrape(client)
    assert samples[("reviewgate_webhook_delivery_failures_total", ())] == 2
    assert samples[("reviewgate_webhook_messages_retrying", ())] == 2
    webhook_delivery_failures_forget()
    assert scrape(client)[("reviewgate_webhook_delivery_failures_total", ())] == 3


def test_every_process_reports_the_one_shared_failure_count(client: Client) -> None:
    """Found by review: a count kept per process made the counter go down between scrapes
    landing on different gunicorn workers (Prometheus reads that as a reset). The count is
    the shared cache's: what one process counted, the next scrape anywhere reports."""
    from django.core.cache import cache

    from ops.project_metrics import FAILURES_CACHE_KEY

    assert scrape(client)[("reviewgate_webhook_delivery_failures_total", ())] == 0
    assert cache.get(FAILURES_CACHE_KEY) == 0
    cache.set(FAILURES_CACHE_KEY, 41, 60)  # as another worker counted a moment later
    assert scrape(client)[("reviewgate_webhook_delivery_failures_total", ())] == 41
