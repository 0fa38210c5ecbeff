"""Delivering the outbox: claim one message, send it, record the attempt, retry with backoff.

outbox_deliver claims a row with a compare-and-swap, sends it outside any transaction, and
records the attempt; Celery kicks it on commit (notifications.outbox) and a beat sweep
catches whatever the broker lost. Delivery is at least once: a worker killed after sending
but before recording sends again, which is why webhook receivers de-duplicate by
`Reviewgate-Event-Id`.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.emails import email_to_user
from notifications.builders import UnknownEmailBuilder, email_context_at_delivery
from notifications.context import context_from_json
from notifications.models import EMAIL_TEMPLATE_KEY, DeliveryAttempt, OutboxMessage
from notifications.webhooks import webhook_signature

__all__ = [
    "CLAIM_LEASE",
    "MAX_ATTEMPTS",
    "outbox_deliver",
    "outbox_pending_due",
    "outbox_sweep",
    "retry_delay",
]

logger = logging.getLogger(__name__)

# Retry schedule: the n-th failed attempt waits BASE * 2**(n-1), at most CAP; after
# MAX_ATTEMPTS attempts the message is marked failed (an operator can see why in admin).
RETRY_BASE = timedelta(minutes=1)
RETRY_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8
# How long a claimed message is hidden from other workers; longer than any send can take.
CLAIM_LEASE = timedelta(minutes=10)
WEBHOOK_TIMEOUT_SECONDS = 10
SWEEP_BATCH = 200
# A sweep stops taking new messages after this long, so sweeps (every minute) do not pile
# up behind a slow receiver; the rest waits for the next one.
SWEEP_SECONDS = 50.0


def outbox_pending_due(now: datetime | None = None, *, limit: int = SWEEP_BATCH) -> list[int]:
    """Ids of pending messages whose next attempt is due, oldest first."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 2, 4, ... minutes, at most an hour."""
    delay: timedelta = RETRY_BASE * (2 ** max(attempts - 1, 0))
    return min(delay, RETRY_CAP)


class _DeliveryFailed(Exception):
    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect is a failure, not something to follow: a POST must not turn into a GET
    # to some other address, and the receiver should fix its URL.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)

# Failures no retry can mend: the message is marked failed at once.
_NO_TEMPLATE = "message names no email template"
_PERMANENT_ERRORS = ("endpoint revoked", "recipient has no active account", _NO_TEMPLATE)


def _email_parts(message: OutboxMessage, context: dict[str, Any]) -> tuple[str, str]:
    # The writer named the templates and tagged its typed values (notifications.context).
    template = context.get(EMAIL_TEMPLATE_KEY)
    if not template:
        raise _DeliveryFailed(_NO_TEMPLATE)
    context["recipient"] = message.recipient
    context["site_url"] = settings.SITE_URL
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    body = render_to_string(f"emails/{template}_body.txt", context)
    return " ".join(subject.split()), body


def _send_email(message: OutboxMessage) -> None:
    user = message.recipient
    try:
        # A row naming a builder is completed now (a fresh link), or is "send nothing".
        context = email_context_at_delivery(context_from_json(message.payload), recipient=user)
    except UnknownEmailBuilder as exc:  # a worker older than the writer: retried
        raise _DeliveryFailed(str(exc)) from exc
    if context is None:
        return
    if user is None or not user.is_active or not user.email:
        raise _DeliveryFailed("recipient has no active account with an email address")
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body = _email_parts(message, context)
    email = email_to_user(user=user, subject=subject, body=body, language=language)
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP and socket errors of any kind: retried later
        raise _DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc


def _send_webhook(message: OutboxMessage) -> int:
    endpoint = message.endpoint
    if endpoint is None or not endpoint.active:
        raise _DeliveryFailed("endpoint revoked")
    body = json.dumps(message.payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked: http or https only)
        endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "reviewgate-webhooks/1",
            "Reviewgate-Event-Id": message.webhook_event_id or "",
            "Reviewgate-Timestamp": str(timestamp),
            "Reviewgate-Signature": webhook_signature(endpoint.secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=WEBHOOK_TIMEOUT_SECONDS) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace") if exc.fp else ""
        raise _DeliveryFailed(f"HTTP {exc.code}: {detail}".strip(), http_status=exc.code) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise _DeliveryFailed(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from exc
    if not 200 <= status < 300:
        raise _DeliveryFailed(f"HTTP {status}", http_status=status)
    return status


def _outcome(*, error: str, number: int, now: datetime) -> tuple[str, dict[str, Any]]:
    """The message's new status and fields after attempt ``number``."""
    if not error:
        return OutboxMessage.Status.SENT, {"sent_at": now, "last_error": ""}
    if number >= MAX_ATTEMPTS or error.startswith(_PERMANENT_ERRORS):
        return OutboxMessage.Status.FAILED, {"last_error": error}
    return OutboxMessage.Status.PENDING, {"last_error": error, "next_attempt_at": now + retry_delay(number)}


def outbox_deliver(*, message_id: int, now: datetime | None = None) -> str | None:
    """Send one due message, at most once at a time across every worker.

    1. Claim: a compare-and-swap on (pending, due) that counts the attempt and pushes the
       due time forward by a lease. Zero rows updated: it is sent, dead, not due, or
       another worker has it; return None and do nothing.
    2. Send, outside any transaction (no database lock is held across the network).
    3. Record the attempt and the outcome: sent; or pending again after the backoff; or
       failed after MAX_ATTEMPTS (or at once for an endpoint revoked / recipient gone).
    Returns the message's new status, or None when it was not ours to send.
    """
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    if claimed != 1:
        return None
    message = OutboxMessage.objects.select_related("recipient", "endpoint").get(pk=message_id)
    number = message.attempts
    started = time.monotonic()
    http_status: int | None = None
    error = ""
    try:
        if message.channel == OutboxMessage.Channel.EMAIL:
            _send_email(message)
        else:
            http_status = _send_webhook(message)
    except _DeliveryFailed as exc:
        error, http_status = str(exc)[:2000], exc.http_status
    duration_ms = int((time.monotonic() - started) * 1000)

    status, updates = _outcome(error=error, number=number, now=now)
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            message_id=message_id,
            number=number,
            attempted_at=now,
            succeeded=not error,
            http_status=http_status,
            error=error,
            duration_ms=duration_ms,
        )
        # Guarded by the attempt number we claimed: if our lease ran out and another worker
        # re-claimed the row, its outcome stands and ours is only logged.
        recorded = OutboxMessage.objects.filter(
            pk=message_id, status=OutboxMessage.Status.PENDING, attempts=number
        ).update(status=status, **updates)
    if recorded != 1:
        logger.warning(
            "outbox: message %s attempt %s finished after its lease; outcome not recorded", message_id, number
        )
        return None
    if error:
        log = logger.error if status == OutboxMessage.Status.FAILED else logger.info
        log("outbox: message %s attempt %s failed (%s): %s", message_id, number, status, error)
    return str(status)


def outbox_sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH) -> int:
    """Deliver every due pending message (up to ``limit``) in this process; returns how many
    were sent. What the broker lost, or what waits for a retry, goes out here."""
    sent = 0
    stop_at = time.monotonic() + SWEEP_SECONDS
    for message_id in outbox_pending_due(now, limit=limit):
        if time.monotonic() > stop_at:
            break
        if outbox_deliver(message_id=message_id, now=now) == OutboxMessage.Status.SENT:
            sent += 1
    return sent
