"""Delivering the outbox: claim one message, send it, record the attempt, retry with backoff.

outbox_deliver claims a row with a compare-and-swap and logs the attempt in the same
transaction, sends it outside any transaction, then completes the attempt and records the
outcome; Celery kicks it on commit (notifications.outbox) and a beat sweep catches
whatever the broker lost. Delivery is at least once: a worker killed after sending but
before recording sends again once the claim's lease has passed (its attempt stays in the
log with no outcome), which is why webhook receivers de-duplicate by `Reviewgate-Event-Id`.
A webhook delivery has one deadline (WEBHOOK_DEADLINE_SECONDS) for all of it.
"""

from __future__ import annotations

import functools
import http.client
import io
import json
import logging
import queue
import re
import socket
import ssl
import threading
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.emails import email_to_user
from accounts.models import User
from core.db_unavailable import is_database_unavailable, until_the_database_answers
from notifications.builders import (
    TO_ADDRESS_KEY,
    TO_LANGUAGE_KEY,
    UNSUBSCRIBE_URL_KEY,
    UnknownEmailBuilder,
    email_context_at_delivery,
)
from notifications.context import context_from_json
from notifications.models import EMAIL_TEMPLATE_KEY, DeliveryAttempt, OutboxMessage
from notifications.webhooks import webhook_signature

__all__ = [
    "MAX_ATTEMPTS",
    "WEBHOOK_DEADLINE_SECONDS",
    "claim_lease",
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
# One deadline for a whole webhook delivery: connect, TLS, request, and the whole answer.
WEBHOOK_DEADLINE_SECONDS: float = 10
# Of the receiver's answer, this much is read (within the deadline) and the start kept as
# the error of a failed attempt.
WEBHOOK_BODY_KEPT_BYTES = 64 * 1024
WEBHOOK_ERROR_BODY_CHARS = 500
SWEEP_BATCH = 200
# A sweep stops taking new messages after this long, so sweeps (every minute) do not pile
# up behind a slow receiver; the rest waits for the next one.
SWEEP_SECONDS = 50.0


def _of_channel(channel: str | None) -> dict[str, str]:
    """The filter on a message's channel: none when ``channel`` is None (every channel)."""
    return {} if channel is None else {"channel": channel}


def outbox_pending_due(
    now: datetime | None = None, *, limit: int = SWEEP_BATCH, channel: str | None = None
) -> list[int]:
    """Ids of pending messages whose next attempt is due, oldest first (of one channel
    when ``channel`` is given)."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now, **_of_channel(channel)
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def claim_lease() -> timedelta:
    """How long a claimed message is hidden from other workers (OUTBOX_CLAIM_LEASE_SECONDS,
    10 minutes by default): longer than any send can take, since a message whose lease ran
    out is sent again; the wait before a killed worker's message goes out again. It is what
    makes two sweeps (two beats, or a sweep and a kick) safe: each message is claimed by
    one of them (docs/queues.md)."""
    return timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS)


def retry_delay(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 2, 4, ... minutes, at most an hour."""
    delay: timedelta = RETRY_BASE * (2 ** max(attempts - 1, 0))
    return min(delay, RETRY_CAP)


class _DeliveryFailed(Exception):
    def __init__(self, message: str, *, http_status: int | None = None) -> None:
        super().__init__(message)
        self.http_status = http_status


# --- Webhook transport: one deadline for the whole delivery ------------------------------
# A socket timeout bounds each read, not a delivery: a receiver trickling one byte every few
# seconds would hold a worker for as long as it likes. Every socket operation below first
# sets the timeout to the time left before one deadline, fixed when the delivery starts,
# and fails once it has passed: connect, TLS handshake, request, status line, headers and
# body all share it.


class _DeadlinePassed(TimeoutError):
    pass


def _time_left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _DeadlinePassed("timed out: the delivery deadline passed")
    return left


class _DeadlineReader(io.RawIOBase):
    """What http.client reads the response through (its ``sock.makefile('rb')``)."""

    def __init__(self, owner: _DeadlineSocket) -> None:
        super().__init__()
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        sock = self._owner.sock
        sock.settimeout(_time_left(self._owner.deadline))
        return sock.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._owner.reader_closed()
        super().close()


class _DeadlineSocket:
    """The connected (and, for https, TLS-wrapped) socket, with every send and read held
    to the delivery's deadline; the only methods http.client calls once connected.

    Like a real socket's makefile(), an open reader keeps the socket open after close():
    http.client closes the connection as soon as it has a response that will close it,
    and reads the body afterwards."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock = sock
        self.deadline = deadline
        self._open_readers = 0
        self._closed = False

    def sendall(self, data: bytes) -> None:
        # sendall's timeout bounds the whole call (Python >= 3.5), not each chunk.
        self.sock.settimeout(_time_left(self.deadline))
        self.sock.sendall(data)

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        self._open_readers += 1
        return io.BufferedReader(_DeadlineReader(self))

    def reader_closed(self) -> None:
        self._open_readers -= 1
        self._close_when_unused()

    def close(self) -> None:
        self._closed = True
        self._close_when_unused()

    def _close_when_unused(self) -> None:
        if self._closed and self._open_readers <= 0:
            self.sock.close()


def _resolve_within(host: str, port: int, deadline: float) -> list[Any]:
    """getaddrinfo() takes no timeout, and a resolver that does not answer would hold the
    worker for as long as the system's resolver retries: resolve in a thread of its own and
    wait only the time left (the thread ends when the resolver gives up; it holds no lock)."""
    answer: queue.Queue[list[Any] | OSError] = queue.Queue(maxsize=1)

    def resolve() -> None:
        try:
            answer.put(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            answer.put(exc)

    threading.Thread(target=resolve, name=f"webhook-dns-{host}", daemon=True).start()
    try:
        outcome = answer.get(timeout=_time_left(deadline))
    except queue.Empty:
        raise _DeadlinePassed("timed out: the delivery deadline passed while resolving the host") from None
    if isinstance(outcome, OSError):
        raise outcome
    return outcome


def _connect_within(
    address: tuple[str, int], timeout: Any = None, source_address: Any = None, *, deadline: float
) -> socket.socket:
    """socket.create_connection() with the name lookup, and each address tried, inside the deadline."""
    host, port = address
    last_error: OSError = OSError(f"no address found for {host}")
    for *_, sockaddr in _resolve_within(host, port, deadline):
        try:
            return socket.create_connection((sockaddr[0], port), _time_left(deadline), source_address)
        except _DeadlinePassed:
            raise
        except OSError as exc:
            last_error = exc
    raise last_error


class _DeadlineConnection(http.client.HTTPConnection):
    """An HTTP(S) connection whose socket lives under one deadline (time.monotonic())."""

    def __init__(self, host: str, port: int, *, deadline: float, tls: ssl.SSLContext | None) -> None:
        super().__init__(host, port, timeout=_time_left(deadline))
        self._create_connection = functools.partial(_connect_within, deadline=deadline)
        self._deadline = deadline
        self._tls = tls
        self._raw: socket.socket | None = None

    def connect(self) -> None:
        self.timeout = _time_left(self._deadline)
        super().connect()  # TCP, bounded by the time left
        sock = self.sock
        if self._tls is not None:
            # The handshake's timeout bounds the whole handshake (CPython's _ssl), not a read.
            sock.settimeout(_time_left(self._deadline))
            sock = self._tls.wrap_socket(sock, server_hostname=self.host)
        self._raw = sock
        self.sock = _DeadlineSocket(sock, self._deadline)

    def abort(self) -> None:
        """Close the socket even if a response left half read still holds it (a timeout
        in the status line leaves http.client's reader open)."""
        self.close()
        if self._raw is not None:
            self._raw.close()


def _webhook_post(url: str, *, body: bytes, headers: dict[str, str], deadline: float) -> tuple[int, bytes]:
    """POST ``body`` to ``url`` and return (status, first bytes of the answer's body), all
    before ``deadline``. Redirects are not followed: the caller treats a 3xx as a failure."""
    parts = urlsplit(url)
    tls = ssl.create_default_context() if parts.scheme == "https" else None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    port = parts.port or (443 if tls else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = _DeadlineConnection(parts.hostname, port, deadline=deadline, tls=tls)
    try:
        connection.request("POST", path, body=body, headers=headers)
        with connection.getresponse() as response:
            # The whole answer counts, body included, but only a bounded part is kept.
            return int(response.status), response.read(WEBHOOK_BODY_KEPT_BYTES)
    finally:
        connection.abort()


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
    return _one_line(subject), body


# Every whitespace run but the no-break spaces French typography sets ("client\u00a0:",
# "80,4\u202f%"): a subject is one line, and those spaces are part of its text.
_SUBJECT_BREAKS = re.compile(r"[^\S\u00a0\u202f]+")


def _one_line(subject: str) -> str:
    return _SUBJECT_BREAKS.sub(" ", subject).strip()


def _email_to_address(*, address: str, subject: str, body: str, language: str) -> EmailMessage:
    """An email to an address that is not an account's (a shop's customer): the same form
    as accounts.emails.email_to_user's, marked automatic (RFC 3834: no auto-reply)."""
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )


def _email_for(user: User | None, context: dict[str, Any], message: OutboxMessage) -> EmailMessage:
    """The email to send: to the address and in the language its builder returned (a shop's
    customer, whose address is read where it is stored, now), else to the recipient account."""
    address = context.pop(TO_ADDRESS_KEY, None)
    language = context.pop(TO_LANGUAGE_KEY, None)
    if address:
        language = str(language or settings.LANGUAGE_CODE)
        with translation.override(language):
            subject, body = _email_parts(message, context)
        return _email_to_address(address=str(address), subject=subject, body=body, language=language)
    if user is None or not user.is_active or not user.email:
        raise _DeliveryFailed("recipient has no active account with an email address")
    language = str(language or user.language or settings.LANGUAGE_CODE)
    with translation.override(language):
        subject, body = _email_parts(message, context)
    return email_to_user(user=user, subject=subject, body=body, language=language)


def _send_email(message: OutboxMessage) -> None:
    user = message.recipient
    try:
        # A row naming a builder is completed now (a fresh link), or is "send nothing".
        context = email_context_at_delivery(context_from_json(message.payload), recipient=user)
    except UnknownEmailBuilder as exc:  # a worker older than the writer: retried
        raise _DeliveryFailed(str(exc)) from exc
    if context is None:
        return
    email = _email_for(user, context, message)
    unsubscribe_url = context.get(UNSUBSCRIBE_URL_KEY)
    if unsubscribe_url:
        # RFC 2369: mail clients show their own "unsubscribe" button for it.
        email.extra_headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        # One click in the mail client unsubscribes (RFC 8058): it POSTs to that URL.
        email.extra_headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP and socket errors of any kind: retried later
        raise _DeliveryFailed(addresses_masked(f"{type(exc).__name__}: {exc}", email.recipients())) from exc


def addresses_masked(text: str, addresses: Sequence[str]) -> str:
    """``text`` without the addresses it was about: an SMTP refusal quotes the recipient,
    and the error is kept in the admin and the log, where no address belongs."""
    for address in addresses:
        if address:
            text = re.sub(re.escape(address), "<recipient>", text, flags=re.IGNORECASE)
    return text


def _send_webhook(message: OutboxMessage) -> int:
    endpoint = message.endpoint
    if endpoint is None or not endpoint.active:
        raise _DeliveryFailed("endpoint revoked")
    body = json.dumps(message.payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "reviewgate-webhooks/1",
        "Reviewgate-Event-Id": message.webhook_event_id or "",
        "Reviewgate-Timestamp": str(timestamp),
        "Reviewgate-Signature": webhook_signature(endpoint.secret, timestamp, body),
    }
    deadline_seconds = WEBHOOK_DEADLINE_SECONDS
    try:
        status, answer = _webhook_post(
            endpoint.url, body=body, headers=headers, deadline=time.monotonic() + deadline_seconds
        )
    except TimeoutError as exc:  # our deadline, or a socket timeout set from it
        raise _DeliveryFailed(f"timed out: no complete answer within {deadline_seconds:g} s") from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
    if not 200 <= status < 300:
        # A redirect too: a POST must not turn into a GET elsewhere; the receiver fixes its URL.
        detail = answer.decode("utf-8", "replace")[:WEBHOOK_ERROR_BODY_CHARS]
        raise _DeliveryFailed(f"HTTP {status}: {detail}".strip(), http_status=status)
    return status


def _outcome(*, error: str, number: int, now: datetime) -> tuple[str, dict[str, Any]]:
    """The message's new status and fields after attempt ``number``."""
    if not error:
        return OutboxMessage.Status.SENT, {"sent_at": now, "last_error": ""}
    if number >= MAX_ATTEMPTS or error.startswith(_PERMANENT_ERRORS):
        return OutboxMessage.Status.FAILED, {"last_error": error}
    return OutboxMessage.Status.PENDING, {"last_error": error, "next_attempt_at": now + retry_delay(number)}


def _claim(*, message_id: int, now: datetime, channel: str | None) -> DeliveryAttempt | None:
    """Claim the message and log the attempt as begun, in one transaction: a worker that
    dies afterwards, even mid-send, leaves its attempt in the log (with no outcome)."""
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(
            pk=message_id, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now, **_of_channel(channel)
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + claim_lease())
        if claimed != 1:
            return None
        # Our update holds the row's lock until commit: this is the number we claimed.
        number = OutboxMessage.objects.values_list("attempts", flat=True).get(pk=message_id)
        return DeliveryAttempt.objects.create(message_id=message_id, number=number, attempted_at=now)


def _send(message: OutboxMessage) -> tuple[str, int | None]:
    """Send one message; returns (error or "", the receiver's HTTP status)."""
    try:
        if message.channel == OutboxMessage.Channel.EMAIL:
            _send_email(message)
            return "", None
        return "", _send_webhook(message)
    except _DeliveryFailed as exc:
        return str(exc)[:2000], exc.http_status
    except Exception as exc:
        # A restart while the email's content was read (an email builder's queries): nothing
        # went out, so the attempt failed and is retried after the backoff, not the lease.
        if not is_database_unavailable(exc):
            raise
        return f"database unavailable: {exc}"[:2000], None


def outbox_deliver(*, message_id: int, now: datetime | None = None, channel: str | None = None) -> str | None:
    """Send one due message, at most once at a time across every worker.

    1. Claim: a compare-and-swap on (pending, due, and of ``channel`` when given) that
       counts the attempt and pushes the due time forward by the lease, and, in the same
       transaction, the attempt's log row (no outcome yet). Zero rows updated: it is sent,
       dead, not due, another worker has it, or it is another channel's (a worker of the
       email queue never waits on a webhook receiver); return None and do nothing.
    2. Send, outside any transaction (no database lock is held across the network).
    3. Complete the attempt's row, and record the outcome: sent; or pending again after
       the backoff; or failed after MAX_ATTEMPTS (or at once for an endpoint revoked /
       recipient gone).
    Returns the message's new status, or None when it was not ours to send.
    """
    now = now or timezone.now()
    attempt = _claim(message_id=message_id, now=now, channel=channel)
    if attempt is None:
        return None
    number = attempt.number
    # Claimed: from here a database restart is waited out rather than raised, since a
    # retried task would find the message claimed and leave it hidden for the whole lease,
    # and only this worker knows whether it went out. Half the lease at most, loading and
    # recording together: past it another worker may claim the message again.
    deadline = time.monotonic() + claim_lease().total_seconds() / 2
    message = until_the_database_answers(
        lambda: OutboxMessage.objects.select_related("recipient", "endpoint").get(pk=message_id),
        deadline=deadline,
        what=f"loading outbox message {message_id}",
    )
    if time.monotonic() > deadline:
        logger.warning("outbox: message %s loaded past half its lease; left to a later attempt", message_id)
        return None
    started = time.monotonic()
    error, http_status = _send(message)
    duration = timedelta(seconds=time.monotonic() - started)
    finished_at = now + duration

    status, updates = _outcome(error=error, number=number, now=now)

    def record() -> int:
        with transaction.atomic():
            finished = DeliveryAttempt.objects.filter(pk=attempt.pk, finished_at__isnull=True).update(
                succeeded=not error,
                http_status=http_status,
                error=error,
                duration_ms=int(duration.total_seconds() * 1000),
                finished_at=finished_at,
            )
            if not finished and DeliveryAttempt.objects.filter(pk=attempt.pk, finished_at=finished_at).exists():
                return 1  # an earlier try of ours committed, and its answer was lost
            # Guarded by the attempt number we claimed: if our lease ran out and another
            # worker re-claimed the row, its outcome stands and ours is only logged.
            return OutboxMessage.objects.filter(
                pk=message_id, status=OutboxMessage.Status.PENDING, attempts=number
            ).update(status=status, **updates)

    recorded = until_the_database_answers(
        record, deadline=deadline, what=f"recording outbox message {message_id}'s attempt {number}"
    )
    if recorded != 1:
        logger.warning(
            "outbox: message %s attempt %s finished after its lease; outcome not recorded", message_id, number
        )
        return None
    if error:
        log = logger.error if status == OutboxMessage.Status.FAILED else logger.info
        log("outbox: message %s attempt %s failed (%s): %s", message_id, number, status, error)
    return str(status)


def outbox_sweep(*, now: datetime | None = None, limit: int = SWEEP_BATCH, channel: str | None = None) -> int:
    """Deliver every due pending message (up to ``limit``; of ``channel`` only when given)
    in this process; returns how many were sent. What the broker lost, or what waits for a
    retry, goes out here. Beat runs one sweep per channel, each on its channel's queue, so
    a slow webhook receiver holds only the webhook sweep. Two sweeps at once (two beats)
    send nothing twice: each message goes to whichever claims it first."""
    sent = 0
    stop_at = time.monotonic() + SWEEP_SECONDS
    for message_id in outbox_pending_due(now, limit=limit, channel=channel):
        if time.monotonic() > stop_at:
            break
        if outbox_deliver(message_id=message_id, now=now, channel=channel) == OutboxMessage.Status.SENT:
            sent += 1
    return sent
