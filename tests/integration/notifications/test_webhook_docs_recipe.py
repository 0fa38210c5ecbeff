"""The signature check integrators copy from docs/webhooks.md, and nothing else: the test
takes the Python code block that defines ``verify`` out of the documentation, runs it in
an empty namespace, and has a real HTTP receiver on 127.0.0.1 check real deliveries with
it. Tampered bodies, replayed signatures and old timestamps are refused by the same code.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from accounts.models import User
from gate.notify import gate_event_notify
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from notifications.webhooks import webhook_endpoint_create
from products.models import Product
from tests.conftest import REPO_ROOT

from .factories import NOW, flag

pytestmark = pytest.mark.django_db

Verify = Callable[..., bool]


def documented_verify() -> Verify:
    """``verify`` from the one Python block of docs/webhooks.md that defines it, executed
    alone: the block must be self-contained (its own imports), as integrators paste it."""
    doc = (REPO_ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", doc, re.DOTALL) if "def verify(" in b]
    assert len(blocks) == 1, "docs/webhooks.md must have one Python block defining verify()"
    namespace: dict[str, Any] = {}
    exec(compile(blocks[0], "docs/webhooks.md", "exec"), namespace)  # noqa: S102 (our own documentation)
    return namespace["verify"]  # type: ignore[no-any-return]


@dataclass
class Received:
    headers: Any  # http.server's headers object, as a receiver's framework hands it over
    body: bytes


@dataclass
class DocsReceiver:
    """An integrator's endpoint built on the documentation: 401 unless verify() says yes."""

    verify: Verify
    secret: str = ""
    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@pytest.fixture
def docs_receiver() -> Iterator[DocsReceiver]:
    state = DocsReceiver(verify=documented_verify())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.received.append(Received(headers=self.headers, body=body))
            status = 200 if state.verify(state.secret, self.headers, body) else 401
            state.answers.append(status)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/reviewgate"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def hmac_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The documented formula, written out here (not the project's function): a correct
    signature for a timestamp of our choosing."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def test_the_documented_verify_accepts_real_deliveries_and_refuses_forgeries(
    docs_receiver: DocsReceiver, product: Product, director: User
) -> None:
    _endpoint, docs_receiver.secret = webhook_endpoint_create(url=docs_receiver.url, events=["flagged"], by=director)
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.get(channel="webhook")

    # The receiver answered 200 because the docs' verify() accepted the real delivery.
    assert outbox_deliver(message_id=message.pk, now=NOW) == "sent"
    assert docs_receiver.answers == [200]
    [delivery] = docs_receiver.received
    verify, secret, headers, body = docs_receiver.verify, docs_receiver.secret, delivery.headers, delivery.body
    assert verify(secret, headers, body)
    assert verify(secret, dict(headers.items()), body)  # a plain dict of headers works too

    timestamp = headers["Reviewgate-Timestamp"]
    signature = headers["Reviewgate-Signature"]
    forged_body = body.replace(b'"count":31', b'"count":32')
    assert forged_body != body
    refused = {
        "a tampered body": ({**headers, "Reviewgate-Signature": signature}, forged_body),
        "one byte more": (dict(headers.items()), body + b" "),
        "the signature replayed with a fresh timestamp": (
            {**headers, "Reviewgate-Timestamp": str(int(timestamp) + 1)},
            body,
        ),
        "an old timestamp, correctly signed": (
            {
                "Reviewgate-Timestamp": str(int(time.time()) - 3600),
                "Reviewgate-Signature": hmac_signature(secret, str(int(time.time()) - 3600), body),
            },
            body,
        ),
        "a timestamp from the future, correctly signed": (
            {
                "Reviewgate-Timestamp": str(int(time.time()) + 3600),
                "Reviewgate-Signature": hmac_signature(secret, str(int(time.time()) + 3600), body),
            },
            body,
        ),
        "another secret's signature": (
            {**headers, "Reviewgate-Signature": hmac_signature("whsec_other", timestamp, body)},
            body,
        ),
        "no signature": ({"Reviewgate-Timestamp": timestamp}, body),
        "no timestamp": ({"Reviewgate-Signature": signature}, body),
    }
    accepted = [case for case, (forged_headers, forged) in refused.items() if verify(secret, forged_headers, forged)]
    assert accepted == []
    # The refusals are the documented check's, not an accident: a fresh, correctly signed
    # timestamp within the tolerance is accepted by the same function.
    fresh = str(int(time.time()) - 60)
    assert verify(
        secret, {"Reviewgate-Timestamp": fresh, "Reviewgate-Signature": hmac_signature(secret, fresh, body)}, body
    )
