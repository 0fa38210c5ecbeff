"""The test's webhook receiver: a small HTTP server thread that answers 204 at once and
records each delivery's `Reviewgate-Event-Id`, and whether its signature checked out
(docs/webhooks.md's own check, with the endpoint's secret)."""

from __future__ import annotations

import hashlib
import hmac
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from devtools.cluster.processes import free_port


class Receiver:
    def __init__(self) -> None:
        self.port = free_port()
        self.secret = ""  # known once the seed registered the endpoint
        self.event_ids: list[str] = []
        self.bad_signatures: list[str] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                receiver.record(dict(self.headers.items()), body)
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="webhook-receiver", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/reviewgate"

    def record(self, headers: dict[str, str], body: bytes) -> None:
        event_id = headers.get("Reviewgate-Event-Id", "")
        timestamp = headers.get("Reviewgate-Timestamp", "")
        mac = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
        good = hmac.compare_digest("sha256=" + mac.hexdigest(), headers.get("Reviewgate-Signature", ""))
        with self._lock:
            self.event_ids.append(event_id)
            if not good:
                self.bad_signatures.append(event_id)

    def received(self) -> list[str]:
        with self._lock:
            return list(self.event_ids)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
