"""The body limits through a real server (Django's WSGI server, as runserver and the live
server run it), not the test client: the 413 must survive the WSGI layer (an application
may not send hop-by-hop headers such as "Connection: close": wsgiref answered 500), and an
unread body must not be taken for the next request on the connection."""

from __future__ import annotations

import http.client
import json
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)


def connection_to(live_server: Any) -> http.client.HTTPConnection:
    address = urlsplit(live_server.url)
    return http.client.HTTPConnection(address.hostname, address.port, timeout=30)


@pytest.mark.parametrize(
    ("path", "content_type", "limit_setting"),
    [
        ("/api/v1/products/TENT-1/reviews/", "application/json", "API_JSON_BODY_MAX_BYTES"),
        ("/accounts/signup/", "application/x-www-form-urlencoded", "SITE_FORM_BODY_MAX_BYTES"),
    ],
)
def test_one_byte_over_the_limit_is_a_413_through_a_real_server_and_the_connection_goes_on(
    live_server: Any, path: str, content_type: str, limit_setting: str
) -> None:
    body = b"x" * (getattr(settings, limit_setting) + 1)
    connection = connection_to(live_server)
    connection.request("POST", path, body=body, headers={"Content-Type": content_type})
    response = connection.getresponse()
    payload = response.read()

    assert response.status == 413
    if path.startswith("/api/"):
        assert json.loads(payload)["error"]["code"] == "request_too_large"
    else:
        assert response.getheader("Content-Type", "").startswith("text/html")
        assert b"<html" in payload.lower()
    # The same connection (or a new one, if the server closed it) serves the next request.
    connection.request("GET", "/about/reviews/")
    follow_up = connection.getresponse()
    follow_up.read()
    assert follow_up.status == 200
    connection.close()


def test_a_declared_50_mb_body_is_refused_before_it_is_sent(live_server: Any) -> None:
    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as client:
        client.sendall(
            b"POST /api/v1/products/TENT-1/reviews/ HTTP/1.1\r\n"
            b"Host: localhost\r\nContent-Type: application/json\r\n"
            b"Content-Length: 52428800\r\n\r\n{"
        )
        # The answer comes while the 50 MB are still owed; read it until its end (a JSON body).
        answer = b""
        while not answer.endswith(b"}"):
            chunk = client.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
    assert b"request_too_large" in answer
