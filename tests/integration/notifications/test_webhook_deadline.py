"""One deadline per webhook delivery: a receiver that trickles its answer (one byte a
second in the status line, or in the body) releases the worker at the deadline, not
after the whole trickle; the attempt is logged with the timeout and retried later.

The receiver is a real TCP server on 127.0.0.1 (plain and TLS): no mock of the transport.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest

from accounts.models import User
from gate.notify import gate_event_notify
from notifications import delivery
from notifications.delivery import outbox_deliver
from notifications.models import DeliveryAttempt, OutboxMessage
from notifications.webhooks import webhook_endpoint_create
from products.models import Product

from .factories import NOW, flag

pytestmark = pytest.mark.django_db

DEADLINE = 3.0
# Scheduling and thread start-up on a busy 2-core machine; the trickle itself lasts 40 s.
TOLERANCE = 0.75
ANSWER = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 20\r\nConnection: close\r\n\r\n"
BODY = b"received, thank you\n"


@dataclass
class TricklingReceiver:
    """Answers ``ANSWER + BODY``: the first ``fast_bytes`` at once, the rest one byte per
    ``interval`` seconds, while ``trickle`` is set; at once when it is not."""

    tls: ssl.SSLContext | None = None
    fast_bytes: int = 0
    interval: float = 1.0
    trickle: bool = True
    url: str = ""
    requests: list[bytes] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def serve(self, listener: socket.socket) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(conn, server_side=True)
            self.requests.append(read_request(conn))
            response = ANSWER + BODY
            if not self.trickle:
                conn.sendall(response)
                return
            conn.sendall(response[: self.fast_bytes])
            for byte in response[self.fast_bytes :]:
                if self.stop.wait(self.interval):
                    return
                conn.sendall(bytes([byte]))
        except OSError:
            pass  # the sender gave up: what the test wants
        finally:
            conn.close()


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += conn.recv(65536)
    return body


@pytest.fixture
def serve_trickling() -> Iterator[TricklingReceiver]:
    started: list[tuple[TricklingReceiver, socket.socket]] = []

    def start(receiver: TricklingReceiver) -> TricklingReceiver:
        listener = socket.create_server(("127.0.0.1", 0))
        scheme = "https" if receiver.tls else "http"
        receiver.url = f"{scheme}://127.0.0.1:{listener.getsockname()[1]}/hooks/reviewgate"
        threading.Thread(target=receiver.serve, args=(listener,), daemon=True).start()
        started.append((receiver, listener))
        return receiver

    yield start  # type: ignore[misc]
    for receiver, listener in started:
        receiver.stop.set()
        listener.close()


@pytest.fixture
def tls_server_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A self-signed certificate for 127.0.0.1, trusted by the sender through SSL_CERT_FILE
    (which ssl.create_default_context reads): the sender's own verification, unchanged."""
    if shutil.which("openssl") is None:
        if os.environ.get("CI"):
            pytest.fail("the https deadline test needs the openssl command (apt-get install openssl)")
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def deliver_to(receiver: TricklingReceiver, product: Product, director: User) -> OutboxMessage:
    webhook_endpoint_create(url=receiver.url, events=["flagged"], by=director)
    gate_event_notify(event=flag(product), now=NOW)
    return OutboxMessage.objects.get(channel="webhook")


def held_seconds(message: OutboxMessage) -> tuple[float, str | None]:
    started = time.monotonic()
    status = outbox_deliver(message_id=message.pk, now=NOW)
    return time.monotonic() - started, status


@pytest.mark.parametrize(
    ("where", "fast_bytes"),
    [("in the status line", 0), ("in the body", len(ANSWER))],
)
def test_a_trickling_receiver_is_released_at_the_deadline_then_retried(
    serve_trickling: Callable[[TricklingReceiver], TricklingReceiver],
    product: Product,
    director: User,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    fast_bytes: int,
) -> None:
    monkeypatch.setattr(delivery, "WEBHOOK_DEADLINE_SECONDS", DEADLINE)
    receiver = serve_trickling(TricklingReceiver(fast_bytes=fast_bytes))
    message = deliver_to(receiver, product, director)

    held, status = held_seconds(message)

    # Each byte came within a second, so a per-read timeout would wait out the whole trickle: ~100 s.
    assert DEADLINE <= held < DEADLINE + TOLERANCE, f"trickle {where}: held {held:.2f} s"
    assert status == "pending"
    message.refresh_from_db()
    assert message.next_attempt_at == NOW + timedelta(minutes=1)
    assert message.last_error == "timed out: no complete answer within 3 s"
    attempt = DeliveryAttempt.objects.get(message=message)
    assert (attempt.number, attempt.succeeded, attempt.http_status) == (1, False, None)
    assert attempt.error == message.last_error
    assert attempt.duration_ms is not None
    assert DEADLINE * 1000 <= attempt.duration_ms < (DEADLINE + TOLERANCE) * 1000

    # The receiver mends its ways; the retry a minute later is delivered.
    receiver.trickle = False
    assert outbox_deliver(message_id=message.pk, now=NOW + timedelta(minutes=1)) == "sent"
    attempts = list(DeliveryAttempt.objects.filter(message=message).values_list("number", "succeeded", "http_status"))
    assert attempts == [(1, False, None), (2, True, 200)]
    assert len(receiver.requests) == 2 and receiver.requests[0] == receiver.requests[1]


def test_over_https_the_deadline_holds_after_the_tls_handshake_and_deliveries_succeed(
    serve_trickling: Callable[[TricklingReceiver], TricklingReceiver],
    tls_server_context: ssl.SSLContext,
    product: Product,
    director: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(delivery, "WEBHOOK_DEADLINE_SECONDS", DEADLINE)
    receiver = serve_trickling(TricklingReceiver(tls=tls_server_context, fast_bytes=5))
    message = deliver_to(receiver, product, director)

    held, status = held_seconds(message)

    assert DEADLINE <= held < DEADLINE + TOLERANCE, f"https trickle: held {held:.2f} s"
    assert status == "pending"
    assert DeliveryAttempt.objects.get(message=message).error == "timed out: no complete answer within 3 s"
    receiver.trickle = False
    assert outbox_deliver(message_id=message.pk, now=NOW + timedelta(minutes=1)) == "sent"
    assert DeliveryAttempt.objects.get(message=message, number=2).http_status == 200


def test_a_receiver_that_answers_in_time_is_not_cut_short(
    serve_trickling: Callable[[TricklingReceiver], TricklingReceiver],
    product: Product,
    director: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 24 bytes a tenth of a second apart: 2.4 s of trickle, inside a 3 s deadline.
    monkeypatch.setattr(delivery, "WEBHOOK_DEADLINE_SECONDS", DEADLINE)
    receiver = serve_trickling(TricklingReceiver(fast_bytes=len(ANSWER) + len(BODY) - 24, interval=0.1))
    message = deliver_to(receiver, product, director)

    held, status = held_seconds(message)

    assert status == "sent"
    assert 2.4 <= held < DEADLINE


def test_a_name_lookup_that_never_answers_is_held_to_the_same_deadline(
    product: Product, director: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # getaddrinfo() takes no timeout: a resolver that does not answer held the worker for
    # as long as the system's resolver retried, outside any deadline.
    monkeypatch.setattr(delivery, "WEBHOOK_DEADLINE_SECONDS", DEADLINE)
    released = threading.Event()
    lookups: list[str] = []

    def silent_resolver(host: str, *args: object, **kwargs: object) -> list[object]:
        lookups.append(host)
        released.wait(30)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", silent_resolver)
    webhook_endpoint_create(url="https://hooks.erp-example.com/reviewgate", events=["flagged"], by=director)
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.get(channel="webhook")
    try:
        held, status = held_seconds(message)
    finally:
        released.set()

    assert lookups == ["hooks.erp-example.com"]
    assert DEADLINE <= held < DEADLINE + TOLERANCE, f"held {held:.2f} s"
    assert status == "pending"
    assert DeliveryAttempt.objects.get(message=message).error == "timed out: no complete answer within 3 s"
