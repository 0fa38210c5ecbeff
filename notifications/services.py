"""Notices, reminders and webhooks of the quality gate, through a transactional outbox.

Writing (gate_event_notify, notice_reminders_send) only inserts outbox rows, inside the
caller's transaction, so they exist if and only if the event does. Delivering
(outbox_deliver) claims one row with a compare-and-swap, sends it, and records the
attempt; Celery kicks it on commit and a beat sweep catches whatever the broker lost.
Delivery is at least once: a worker killed after sending but before recording sends
again, which is why webhook receivers de-duplicate by `Reviewgate-Event-Id`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.emails import email_to_user
from accounts.models import User
from accounts.roles import user_is_quality_director
from core.errors import NotAllowed, ValidationFailed
from notifications.models import WEBHOOK_EVENT_KINDS, DeliveryAttempt, OutboxMessage, WebhookEndpoint

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



# --- Writing the outbox ------------------------------------------------------------------


def outbox_insert(rows: Sequence[OutboxMessage]) -> list[int]:
    """Insert rows whose dedupe key is new (a repeat is silently a no-op) and kick the
    pending ones once the caller's transaction commits. Returns the pending ids."""
    if not rows:
        return []
    # ON CONFLICT DO NOTHING: a concurrent writer of the same key cannot fail the caller.
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        OutboxMessage.objects.filter(
            dedupe_key__in=[row.dedupe_key for row in rows], status=OutboxMessage.Status.PENDING
        ).values_list("id", flat=True)
    )
    if ids:
        # robust: whatever goes wrong in the kick is logged, never raised into the request
        # whose transaction has already committed; the sweep delivers regardless.
        transaction.on_commit(lambda: outbox_kick(message_ids=ids), robust=True)
    return ids


def user_email_enqueue(
    *, recipient: User | None, kind: str, dedupe_key: str, context: dict[str, Any], now: datetime | None = None
) -> int | None:
    """Write one email to a user (not about a gate event) in the caller's transaction.

    Rendered at delivery, in the recipient's language, from ``emails/<kind>_subject.txt``
    and ``emails/<kind>_body.txt`` with ``context`` (JSON values) plus ``recipient`` and
    ``site_url``; delivered and retried like every outbox message. Nothing is written for
    a recipient without an active account and an email address, or when ``dedupe_key``
    was used before. Returns the pending message's id, or None.
    """
    if recipient is None or not recipient.is_active or not recipient.email:
        return None
    if len(kind) > OutboxMessage._meta.get_field("kind").max_length:  # type: ignore[operator]
        raise ValueError(f"email kind {kind!r} is too long")
    with transaction.atomic():
        ids = outbox_insert(
            [
                OutboxMessage(
                    channel=OutboxMessage.Channel.EMAIL,
                    kind=kind,
                    dedupe_key=f"user:{dedupe_key}",
                    recipient=recipient,
                    payload={**context, "email_template": kind},
                    next_attempt_at=now or timezone.now(),
                )
            ]
        )
    return ids[0] if ids else None


def outbox_kick(*, message_ids: Sequence[int]) -> None:
    """Queue a delivery task per message. Never raises for a broker outage: the message is
    safe in the outbox and the beat sweep delivers it when the broker is back."""
    from kombu.exceptions import OperationalError

    from notifications.tasks import outbox_deliver_task

    for message_id in message_ids:
        try:
            outbox_deliver_task.delay(message_id)
        except (OperationalError, ConnectionError, OSError) as exc:
            # Every further publish would wait for the same dead broker: stop here.
            logger.warning("outbox: broker unavailable, %d message(s) left to the sweep: %s", len(message_ids), exc)
            return


# --- Webhook endpoints and signatures ----------------------------------------------------


def webhook_signature(secret: str, timestamp: int | str, body: bytes | str) -> str:
    """The ``Reviewgate-Signature`` value: ``sha256=`` + hex HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    raw = body.encode() if isinstance(body, str) else body
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def webhook_signature_verify(
    secret: str,
    *,
    timestamp: str,
    body: bytes,
    signature: str,
    tolerance_seconds: int = 300,
    now: float | None = None,
) -> bool:
    """The receiver's check: the signature matches (in constant time) and the signed
    timestamp is within ``tolerance_seconds`` of the clock, so a captured delivery cannot
    be replayed later."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance_seconds:
        return False
    return hmac.compare_digest(webhook_signature(secret, sent_at, body), signature)


def webhook_endpoint_errors(*, url: str, events: Sequence[str], description: str = "") -> dict[str, str]:
    """What is wrong with an endpoint's fields, by field name (empty when nothing is).

    Shared by the service, the admin form and the API, so all three say the same thing.
    """
    errors: dict[str, str] = {}
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors["url"] = _("Enter a full http:// or https:// address.")
    else:
        if len(url) > 500:
            errors["url"] = _("The address can be at most 500 characters long.")
        elif urlsplit(url).username or urlsplit(url).password:
            errors["url"] = _("Do not put credentials in the address; deliveries are signed instead.")
    chosen = list(dict.fromkeys(events or []))
    unknown = [e for e in chosen if e not in WEBHOOK_EVENT_KINDS]
    if not chosen:
        errors["events"] = _("Choose at least one event.")
    elif unknown:
        errors["events"] = _("Unknown events: %(unknown)s. Choose from %(known)s.") % {
            "unknown": ", ".join(map(str, unknown)),
            "known": ", ".join(WEBHOOK_EVENT_KINDS),
        }
    if len(description or "") > 200:
        errors["description"] = _("The description can be at most 200 characters long.")
    return errors


def webhook_endpoint_create(
    *, url: str, events: Sequence[str], by: Any, description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint (quality directors only). Returns it with its signing secret,
    which the caller shows once."""
    if not user_is_quality_director(by):
        raise NotAllowed(_("Only quality directors can register webhook endpoints."))
    errors = webhook_endpoint_errors(url=url, events=events, description=description)
    if errors:
        raise ValidationFailed(_("The webhook endpoint could not be registered."), fields=errors)
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        url=url.strip(),
        secret=secret,
        events=[e for e in WEBHOOK_EVENT_KINDS if e in events],
        description=description.strip(),
        created_by=by,
    )
    return endpoint, secret


def webhook_endpoint_revoke(*, endpoint: WebhookEndpoint, by: Any, now: datetime | None = None) -> WebhookEndpoint:
    """Stop deliveries to an endpoint (pending ones are given up when their turn comes)."""
    if not user_is_quality_director(by):
        raise NotAllowed(_("Only quality directors can revoke webhook endpoints."))
    WebhookEndpoint.objects.filter(pk=endpoint.pk, revoked_at__isnull=True).update(
        active=False, revoked_at=now or timezone.now()
    )
    endpoint.refresh_from_db()
    return endpoint


# --- Delivering --------------------------------------------------------------------------


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


def _email_parts(message: OutboxMessage) -> tuple[str, str]:
    context = dict(message.payload)
    for key in ("day", "deadline"):
        if context.get(key):
            context[key] = date.fromisoformat(context[key])
    for key in ("average", "threshold"):
        # Numbers become Decimals so the template localises them (2.6129 / 2,6129); a
        # threshold kept as an exact fraction ("10/3") stays as written.
        if context.get(key) is not None and "/" not in str(context[key]):
            context[key] = Decimal(str(context[key]))
    context["recipient"] = message.recipient
    context["site_url"] = settings.SITE_URL
    kind = context.get("kind", message.kind)
    # A user email (user_email_enqueue) names its own templates; the gate's are gate_<kind>.
    template = context.get("email_template") or f"gate_{kind}"
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    body = render_to_string(f"emails/{template}_body.txt", context)
    return " ".join(subject.split()), body


def _send_email(message: OutboxMessage) -> None:
    user = message.recipient
    if user is None or not user.is_active or not user.email:
        raise _DeliveryFailed("recipient has no active account with an email address")
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject, body = _email_parts(message)
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
            "Reviewgate-Event-Id": str(message.event_id or message.payload.get("id", "")),
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


_PERMANENT_ERRORS = ("endpoint revoked", "recipient has no active account")


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

    if not error:
        status, updates = OutboxMessage.Status.SENT, {"sent_at": now, "last_error": ""}
    elif number >= MAX_ATTEMPTS or error.startswith(_PERMANENT_ERRORS):
        status, updates = OutboxMessage.Status.FAILED, {"last_error": error}
    else:
        status, updates = (
            OutboxMessage.Status.PENDING,
            {
                "last_error": error,
                "next_attempt_at": now + retry_delay(number),
            },
        )
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
