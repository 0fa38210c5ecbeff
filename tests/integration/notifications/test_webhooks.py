"""Webhooks against a real HTTP receiver on 127.0.0.1 that checks every signature."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER
from core.errors import NotAllowed, ValidationFailed
from gate.notify import gate_event_notify
from notifications import delivery
from notifications.delivery import outbox_deliver, outbox_sweep
from notifications.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from notifications.webhooks import (
    webhook_endpoint_create,
    webhook_endpoint_revoke,
    webhook_signature,
    webhook_signature_verify,
)
from products.models import Product

from .conftest import Receiver
from .factories import NOW, YESTERDAY, flag

pytestmark = pytest.mark.django_db


@pytest.fixture
def hook(receiver: Receiver, director: User) -> WebhookEndpoint:
    endpoint, secret = webhook_endpoint_create(url=receiver.url, events=["flagged", "withdrawn"], by=director)
    receiver.secret = secret
    return endpoint


def webhook_message() -> OutboxMessage:
    return OutboxMessage.objects.get(channel="webhook")


def test_a_delivery_is_signed_json_the_receiver_can_verify(
    receiver: Receiver, hook: WebhookEndpoint, product: Product
) -> None:
    event = flag(product)
    gate_event_notify(event=event, now=NOW)

    assert outbox_deliver(message_id=webhook_message().pk, now=NOW) == "sent"

    [delivery] = receiver.deliveries
    assert delivery.verified
    assert delivery.headers["Content-Type"] == "application/json"
    assert delivery.headers["Reviewgate-Event-Id"] == str(event.pk)
    assert abs(int(delivery.headers["Reviewgate-Timestamp"]) - time.time()) < 60
    assert delivery.headers["Reviewgate-Signature"] == webhook_signature(
        receiver.secret, delivery.headers["Reviewgate-Timestamp"], delivery.body
    )
    assert delivery.json["event"] == {
        "day": YESTERDAY.isoformat(),
        "product_id": product.sku,
        "event": "flagged",
        "average": 2.6129,
        "count": 31,
    }
    assert delivery.json["withdrawal_date"] == "2026-04-08"
    attempt = DeliveryAttempt.objects.get(message__endpoint=hook)
    assert (attempt.succeeded, attempt.http_status) == (True, 200)


def test_the_timestamp_is_signed_so_tampering_with_either_part_fails_verification(
    receiver: Receiver, hook: WebhookEndpoint, product: Product
) -> None:
    gate_event_notify(event=flag(product), now=NOW)
    outbox_deliver(message_id=webhook_message().pk, now=NOW)
    [delivery] = receiver.deliveries
    timestamp, body, signature = (
        delivery.headers["Reviewgate-Timestamp"],
        delivery.body,
        delivery.headers["Reviewgate-Signature"],
    )

    assert webhook_signature_verify(receiver.secret, timestamp=timestamp, body=body, signature=signature)
    # A replay with a fresh timestamp but the old signature:
    fresh = str(int(timestamp) + 1)
    assert not webhook_signature_verify(receiver.secret, timestamp=fresh, body=body, signature=signature)
    # A changed body:
    forged = body.replace(b'"count":31', b'"count":32')
    assert forged != body
    assert not webhook_signature_verify(receiver.secret, timestamp=timestamp, body=forged, signature=signature)
    # Another secret:
    assert not webhook_signature_verify("whsec_other", timestamp=timestamp, body=body, signature=signature)
    # A correctly signed but stale delivery (outside the tolerance) is refused too:
    stale = int(timestamp) - 3600
    old_signature = webhook_signature(receiver.secret, stale, body)
    assert not webhook_signature_verify(receiver.secret, timestamp=str(stale), body=body, signature=old_signature)
    assert webhook_signature_verify(
        receiver.secret, timestamp=str(stale), body=body, signature=old_signature, now=stale + 10
    )


def test_a_500_is_retried_with_backoff_and_then_delivered_once(
    receiver: Receiver, hook: WebhookEndpoint, product: Product
) -> None:
    receiver.statuses = [500]
    event = flag(product)
    gate_event_notify(event=event, now=NOW)
    message = webhook_message()

    assert outbox_deliver(message_id=message.pk, now=NOW) == "pending"
    message.refresh_from_db()
    assert message.next_attempt_at == NOW + timedelta(minutes=1)
    assert message.last_error.startswith("HTTP 500")
    assert outbox_sweep(now=NOW + timedelta(seconds=59)) == 2  # the emails; the webhook is not due yet
    assert len(receiver.deliveries) == 1

    assert outbox_sweep(now=NOW + timedelta(minutes=1)) == 1
    assert outbox_sweep(now=NOW + timedelta(hours=1)) == 0

    assert [d.headers["Reviewgate-Event-Id"] for d in receiver.deliveries] == [str(event.pk)] * 2
    assert all(d.verified for d in receiver.deliveries)
    # Each attempt is signed afresh, over the same body.
    assert receiver.deliveries[0].body == receiver.deliveries[1].body
    assert receiver.processed_event_ids == [str(event.pk)]
    attempts = list(DeliveryAttempt.objects.filter(message=message).values_list("number", "http_status", "succeeded"))
    assert attempts == [(1, 500, False), (2, 200, True)]
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)


def test_a_lost_response_means_a_second_delivery_that_the_receiver_drops_by_event_id(
    receiver: Receiver, hook: WebhookEndpoint, product: Product, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The receiver processes the event but answers too late: the sender cannot know it
    # arrived, so it retries. Delivery is at least once; the event id makes it once in effect.
    monkeypatch.setattr(delivery, "WEBHOOK_DEADLINE_SECONDS", 0.3)
    receiver.delay_seconds = 1.0
    event = flag(product)
    gate_event_notify(event=event, now=NOW)
    message = webhook_message()

    assert outbox_deliver(message_id=message.pk, now=NOW) == "pending"
    assert "timed out" in OutboxMessage.objects.get(pk=message.pk).last_error
    receiver.delay_seconds = 0
    assert outbox_deliver(message_id=message.pk, now=NOW + timedelta(minutes=1)) == "sent"

    assert [d.headers["Reviewgate-Event-Id"] for d in receiver.deliveries] == [str(event.pk)] * 2
    assert receiver.processed_event_ids == [str(event.pk)]


def test_unreachable_endpoint_and_redirects_are_failures_that_are_retried(
    hook: WebhookEndpoint, product: Product, receiver: Receiver
) -> None:
    WebhookEndpoint.objects.filter(pk=hook.pk).update(url="http://127.0.0.1:9/nothing-listens-here")
    gate_event_notify(event=flag(product), now=NOW)
    message = webhook_message()
    assert outbox_deliver(message_id=message.pk, now=NOW) == "pending"
    attempt = DeliveryAttempt.objects.get(message=message)
    assert attempt.http_status is None and "refused" in attempt.error.lower()

    WebhookEndpoint.objects.filter(pk=hook.pk).update(url=receiver.url)
    receiver.statuses = [302]
    assert outbox_deliver(message_id=message.pk, now=NOW + timedelta(minutes=1)) == "pending"
    assert DeliveryAttempt.objects.get(message=message, number=2).http_status == 302
    assert len(receiver.deliveries) == 1


def test_a_revoked_endpoint_receives_nothing_more(
    receiver: Receiver, hook: WebhookEndpoint, product: Product, director: User
) -> None:
    gate_event_notify(event=flag(product), now=NOW)
    webhook_endpoint_revoke(endpoint=hook, by=director)
    assert outbox_deliver(message_id=webhook_message().pk, now=NOW) == "failed"
    assert receiver.deliveries == []
    assert webhook_message().last_error == "endpoint revoked"


def test_only_quality_directors_register_endpoints(make_user: Callable[..., User], receiver: Receiver) -> None:
    with pytest.raises(NotAllowed):
        webhook_endpoint_create(url=receiver.url, events=["flagged"], by=make_user(PRODUCT_MANAGER))
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    ("url", "events", "field"),
    [
        ("ftp://erp.example/hook", ["flagged"], "url"),
        ("not a url", ["flagged"], "url"),
        ("https://user:pw@erp.example/hook", ["flagged"], "url"),
        ("https://erp.example/hook", [], "events"),
        ("https://erp.example/hook", ["flagged", "deleted"], "events"),
    ],
)
def test_endpoint_url_and_events_are_validated(director: User, url: str, events: list[str], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        webhook_endpoint_create(url=url, events=events, by=director)
    assert list(refused.value.fields) == [field]
    assert not WebhookEndpoint.objects.exists()


def test_a_new_endpoint_gets_a_strong_secret_and_its_events_in_a_stable_order(director: User) -> None:
    endpoint, secret = webhook_endpoint_create(
        url="https://erp.example/hook", events=["withdrawn", "flagged", "flagged"], by=director
    )
    assert endpoint.events == ["flagged", "withdrawn"]
    assert secret == endpoint.secret and secret.startswith("whsec_") and len(secret) >= 40
    assert endpoint.created_by == director and endpoint.active
    _other, other_secret = webhook_endpoint_create(url="https://erp.example/hook2", events=["flagged"], by=director)
    assert other_secret != secret


def test_the_documented_receiver_example_accepts_a_real_delivery(
    receiver: Receiver, hook: WebhookEndpoint, product: Product
) -> None:
    """docs/webhooks.md's verify() is the code integrators copy: it must agree."""
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "webhooks.md").read_text()
    code = doc.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "docs/webhooks.md", "exec"), namespace)  # noqa: S102 (our own documentation)
    verify = namespace["verify"]

    gate_event_notify(event=flag(product), now=NOW)
    outbox_deliver(message_id=webhook_message().pk, now=NOW)
    [delivery] = receiver.deliveries
    assert verify(receiver.secret, delivery.headers, delivery.body)  # type: ignore[operator]
    assert not verify(receiver.secret, delivery.headers, delivery.body + b" ")  # type: ignore[operator]
    tampered = {**delivery.headers, "Reviewgate-Timestamp": str(int(delivery.headers["Reviewgate-Timestamp"]) - 1)}
    assert not verify(receiver.secret, tampered, delivery.body)  # type: ignore[operator]
    assert json.loads(delivery.body)["id"] == delivery.headers["Reviewgate-Event-Id"]
