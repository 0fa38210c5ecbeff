"""The project's own figures for /metrics, read from the database at each scrape.

A Prometheus collector (not counters kept in memory): the outbox and the gate are written
by workers and beat, which serve no /metrics, so only the tables know. Every query is
small and served by an index (docs/health-and-metrics.md lists them with their cost):

* pending outbox messages: the partial index ``notif_outbox_pending_due`` (status pending);
* the gate's last evaluated day: the one row of ``GateClock``;
* reviews held as a burst: ``reviews_review_status_pub`` (status, published_at) on status;
* webhook delivery failures: a count over the delivery attempts, no index (see its
  function: counted at most once a minute).

The figures are read from the primary: they describe what workers did a moment ago.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from gate.models import GateClock
from notifications.models import DeliveryAttempt, OutboxMessage
from reviews.bursts import held_as_burst
from reviews.models import Review

PREFIX = "reviewgate_"
DATABASE = DEFAULT_DB_ALIAS
FAILURES_RECOUNT_SECONDS = 60
FAILURES_CACHE_KEY = "ops:webhook-delivery-failures"
# (monotonic time, count) of the last count of webhook failures, shared by this process' threads.


def outbox_pending_by_channel() -> dict[str, tuple[int, datetime | None]]:
    """{channel: (pending messages, oldest created_at)}, every channel present."""
    rows = (
        OutboxMessage.objects.using(DATABASE)
        .filter(status=OutboxMessage.Status.PENDING)
        .order_by()
        .values("channel")
        .annotate(pending=Count("id"), oldest=Min("created_at"))
    )
    figures: dict[str, tuple[int, datetime | None]] = {channel: (0, None) for channel in OutboxMessage.Channel.values}
    for row in rows:
        figures[row["channel"]] = (row["pending"], row["oldest"])
    return figures


def gate_last_evaluated_day() -> date | None:
    return GateClock.objects.using(DATABASE).values_list("last_evaluated_day", flat=True).first()


def reviews_held_as_burst() -> int:
    return Review.objects.using(DATABASE).filter(held_as_burst()).count()


def webhook_delivery_failures() -> int:
    """Webhook delivery attempts that ended in failure, ever: only grows, so a counter
    (rate() of it is failures per second). No index serves it (a scan of the attempts
    joined to their messages: 0.36 s at a million attempts), so it is counted at most once
    a minute (FAILURES_RECOUNT_SECONDS) and the scrapes between reuse it. Kept in the shared
    cache, not per process (found by review): two gunicorn workers holding counts of
    different ages made the counter go down between scrapes, which Prometheus reads as a
    reset. A cache that cannot be reached: counted afresh, per scrape."""

    def recount() -> int:
        return (
            DeliveryAttempt.objects.using(DATABASE)
            .filter(succeeded=False, message__channel=OutboxMessage.Channel.WEBHOOK)
            .count()
        )

    try:
        counted = cache.get_or_set(FAILURES_CACHE_KEY, recount, FAILURES_RECOUNT_SECONDS)
    except DatabaseError:
        raise
    except Exception:  # the cache down must not take the metric with it
        return recount()
    return int(counted or 0)


def webhook_delivery_failures_forget() -> None:
    """The next scrape counts again (tests, after writing attempts)."""
    with contextlib.suppress(Exception):  # a cache down kept nothing to forget
        cache.delete(FAILURES_CACHE_KEY)


def webhook_messages_retrying() -> int:
    """Webhook messages still pending after at least one attempt: a receiver failing now."""
    return (
        OutboxMessage.objects.using(DATABASE)
        .filter(status=OutboxMessage.Status.PENDING, channel=OutboxMessage.Channel.WEBHOOK, attempts__gt=0)
        .count()
    )


def day_start_timestamp(day: date, zone: str) -> float:
    """The Unix time the day began in the gate's time zone (TIME_ZONE)."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone)).timestamp()


def project_metrics(now: datetime) -> Iterator[Metric]:
    """The figures as metric families (every query runs here, at the scrape)."""
    backlog = GaugeMetricFamily(
        PREFIX + "outbox_backlog", "Outbox messages not sent yet (pending), by channel.", labels=["channel"]
    )
    oldest = GaugeMetricFamily(
        PREFIX + "outbox_oldest_pending_age_seconds",
        "Age of the oldest pending outbox message, by channel (0 when none).",
        labels=["channel"],
    )
    for channel, (pending, created_at) in sorted(outbox_pending_by_channel().items()):
        backlog.add_metric([channel], pending)
        oldest.add_metric([channel], max((now - created_at).total_seconds(), 0.0) if created_at else 0.0)
    yield backlog
    yield oldest

    last_day = GaugeMetricFamily(
        PREFIX + "gate_last_evaluated_day_timestamp_seconds",
        "Start (TIME_ZONE) of the last day the gate evaluated, as Unix time; absent before the first.",
    )
    day = gate_last_evaluated_day()
    if day is not None:
        last_day.add_metric([], day_start_timestamp(day, settings.TIME_ZONE))
    yield last_day

    yield GaugeMetricFamily(
        PREFIX + "reviews_held_for_burst",
        "Reviews held for a moderator because of a burst on their product.",
        value=reviews_held_as_burst(),
    )
    yield CounterMetricFamily(
        PREFIX + "webhook_delivery_failures",
        "Webhook delivery attempts that failed, counted from the delivery attempts table.",
        value=webhook_delivery_failures(),
    )
    yield GaugeMetricFamily(
        PREFIX + "webhook_messages_retrying",
        "Webhook messages pending after at least one failed attempt.",
        value=webhook_messages_retrying(),
    )


class ProjectCollector:
    """prometheus_client collector of the figures above; when the database cannot answer,
    ``reviewgate_project_metrics_up`` is 0 and the rest of /metrics is still served."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(PREFIX + "project_metrics_up", "1 when the project's figures could be read.")
        try:
            families = list(project_metrics(timezone.now()))
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        yield from families
        up.add_metric([], 1)
        yield up

    def describe(self) -> list[Any]:
        # Nothing at registration: describing would query the database.
        return []
