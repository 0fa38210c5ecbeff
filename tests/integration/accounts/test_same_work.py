"""Password reset and sign-up do the same work whether or not an address is known: the
same queries, the same outbox row (holding only an account's id, or none), no credential
in the outbox; the worker builds the link as it sends, and nothing is lost while the
broker is down. (The timing itself is a figure in `make bench`, not a timed test.)"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kombu.exceptions import OperationalError

from accounts.models import User
from notifications.models import DeliveryAttempt, OutboxMessage
from notifications.tasks import outbox_email_deliver_task
from tests.factories import user_create
from tests.integration.accounts.conftest import (
    PASSWORD,
    RESET_LINK,
    VERIFY_LINK,
    link_in,
    path_of,
    signup_form,
    worker_sends,
)

pytestmark = pytest.mark.django_db

_LITERALS = re.compile(r"'(?:[^']|'')*'|\"s\d+_x\d+\"|\b\d+(?:\.\d+)?\b|\bNULL\b|\bNone\b")


def _statements(run: Callable[[], Any]) -> list[str]:
    """The SQL a call runs, values blanked: what differs is data, never a statement."""
    with CaptureQueriesContext(connection) as queries:
        run()
    return [_LITERALS.sub("?", query["sql"]) for query in queries.captured_queries]


def _row_shape(row: OutboxMessage) -> dict[str, Any]:
    return {
        "channel": row.channel,
        "payload keys": sorted(row.payload),
        "status": row.status,
        "attempts": row.attempts,
        "endpoint": row.endpoint_id,
        "dedupe key": re.sub(r"[0-9a-f]{32}", "<random>", row.dedupe_key),
    }


def _ask_reset(address: str, client_number: int) -> Any:
    # A client of its own per request, so the per-client rate-limit counter is new each time.
    return Client(REMOTE_ADDR=f"10.0.1.{client_number}").post(reverse("password_reset"), {"email": address})


# --- Password reset ---------------------------------------------------------------------------


def test_a_reset_for_a_known_and_an_unknown_address_runs_the_same_statements() -> None:
    user_create(email="known@example.com")
    user_create(email="warm-up@example.com")
    _ask_reset("warm-up@example.com", 1)  # first request of the process: sessions, caches
    known = _statements(lambda: _ask_reset("known@example.com", 2))
    unknown = _statements(lambda: _ask_reset("nobody@example.com", 3))
    assert len(known) == len(unknown) and known == unknown
    assert sum('INTO "notifications_outboxmessage"' in sql for sql in known) == 1


def test_a_reset_queues_the_same_row_holding_only_the_accounts_id_or_none() -> None:
    user = user_create(email="known@example.com")
    _ask_reset("Known@Example.com", 1)
    _ask_reset("nobody@example.com", 2)
    known, unknown = OutboxMessage.objects.order_by("id")
    assert _row_shape(known) == _row_shape(unknown)
    assert known.kind == unknown.kind == "password_reset"
    assert known.payload == {"account": user.pk, "email_builder": "password_reset", "email_template": "password_reset"}
    assert unknown.payload == {"account": None, "email_builder": "password_reset", "email_template": "password_reset"}
    assert (known.recipient_id, unknown.recipient_id) == (user.pk, None)
    for row in (known, unknown):
        assert "example.com" not in json.dumps(row.payload) + row.dedupe_key  # no address either


def test_the_worker_sends_the_link_for_the_known_address_and_nothing_for_the_unknown(
    mailoutbox: list[mail.EmailMessage],
) -> None:
    user = user_create(username="sam", email="sam@example.com", display_name="Sam")
    _ask_reset("sam@example.com", 1)
    _ask_reset("nobody@example.com", 2)
    assert mailoutbox == []  # the request only queued
    assert worker_sends() == 2
    [message] = mailoutbox
    assert message.to == ["sam@example.com"] and message.subject == "[reviewgate] Reset your password"
    link = link_in(message, RESET_LINK)
    assert Client().get(path_of(link)).status_code == 302  # a working link, made by the worker
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    assert DeliveryAttempt.objects.filter(succeeded=True).count() == 2
    token = link.rstrip("/").rsplit("/", 1)[-1]
    _assert_nowhere_in_the_outbox(token, user.password)


def _assert_nowhere_in_the_outbox(*secrets: str) -> None:
    for row in OutboxMessage.objects.all():
        stored = json.dumps(row.payload) + row.dedupe_key + row.last_error + row.kind
        for secret in secrets:
            assert secret not in stored


def test_nothing_is_lost_while_the_broker_is_down(
    monkeypatch: pytest.MonkeyPatch,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    def broker_down(*args: Any) -> None:
        raise OperationalError("broker unreachable")

    monkeypatch.setattr(outbox_email_deliver_task, "delay", broker_down)
    user_create(email="sam@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask_reset("sam@example.com", 1)
    assert response.status_code == 302
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING
    assert worker_sends() == 1  # the beat sweep, once the broker is back
    assert len(mailoutbox) == 1


# --- Sign-up ----------------------------------------------------------------------------------


def _sign_up(username: str, address: str, client_number: int) -> Any:
    client = Client(REMOTE_ADDR=f"10.0.2.{client_number}")
    return client.post(reverse("signup"), signup_form(username=username, email=address))


def test_a_signup_with_a_known_and_a_new_address_runs_the_same_statements() -> None:
    user_create(email="known@example.com")
    _sign_up("warmup", "warm-up@example.com", 1)
    known = _statements(lambda: _sign_up("first", "KNOWN@example.com", 2))
    new = _statements(lambda: _sign_up("second", "new@example.com", 3))
    # The same statements: both accounts are kept (signing in with either then works alike),
    # the one of a known address without it.
    assert known == new, "\n".join(known) + "\n----\n" + "\n".join(new)
    assert User.objects.get(username="first").email == ""
    assert User.objects.get(username="second").email == "new@example.com"


def test_a_signup_queues_the_same_row_shape_and_no_credential(mailoutbox: list[mail.EmailMessage]) -> None:
    owner = user_create(username="owner", email="known@example.com", display_name="Owner")
    _sign_up("first", "known@example.com", 1)
    _sign_up("second", "new@example.com", 2)
    taken, verify = OutboxMessage.objects.order_by("id")
    new_user = User.objects.get(username="second")
    assert _row_shape(taken) == _row_shape(verify)
    assert (taken.kind, taken.recipient_id, taken.payload["account"]) == ("account_taken", owner.pk, owner.pk)
    assert (verify.kind, verify.recipient_id, verify.payload["account"]) == ("account_verify", new_user.pk, new_user.pk)
    assert worker_sends() == 2
    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert by_recipient["known@example.com"].subject == "[reviewgate] Someone tried to sign up with your address"
    assert by_recipient["new@example.com"].subject == "[reviewgate] Confirm your email address"
    token = link_in(by_recipient["new@example.com"], VERIFY_LINK).rstrip("/").rsplit("/", 1)[-1]
    _assert_nowhere_in_the_outbox(token, PASSWORD, new_user.password)
