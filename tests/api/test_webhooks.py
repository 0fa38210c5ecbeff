from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apikeys.services import api_key_create
from notifications.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from tests.api.conftest import ACTORS, error_of

pytestmark = pytest.mark.django_db

ENDPOINT = {"url": "https://erp.example.com/hooks/reviewgate", "events": ["withdrawn", "flagged"], "description": "ERP"}


@pytest.mark.parametrize("actor", ACTORS)
def test_only_quality_directors_manage_webhooks(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], actor: str
) -> None:
    client = client_as(actor)
    listed = client.get("/api/v1/webhooks/")
    created = client.post("/api/v1/webhooks/", ENDPOINT, format="json")
    if actor == "quality_director":
        assert listed.status_code == 200
        assert created.status_code == 201
        return
    expected = 401 if actor == "anonymous" else 403
    assert listed.status_code == created.status_code == expected
    error_of(listed)
    error_of(created)
    assert not WebhookEndpoint.objects.exists()


def test_creation_shows_the_secret_once(actors: dict[str, Any], client_as: Callable[[str], APIClient]) -> None:
    client = client_as("quality_director")
    created = client.post("/api/v1/webhooks/", ENDPOINT, format="json")
    body = created.json()
    endpoint = WebhookEndpoint.objects.get()
    assert body["secret"] == endpoint.secret and body["secret"].startswith("whsec_")
    assert body["events"] == ["flagged", "withdrawn"]
    assert set(created["Cache-Control"].split(", ")) == {"no-store", "private"}  # a signed-in answer
    listed = client.get("/api/v1/webhooks/").json()["results"]
    assert "secret" not in listed[0]
    assert listed[0]["secret_hint"] == endpoint.secret_hint
    assert "secret" not in client.get(f"/api/v1/webhooks/{endpoint.pk}/").json()


def test_a_quality_directors_key_needs_write_scope_to_register(
    actors: dict[str, Any],
) -> None:
    director = actors["quality_director"]
    read = api_key_create(name="r", owner=director, scopes=["read"]).plaintext
    write = api_key_create(name="w", owner=director, scopes=["read", "write"]).plaintext
    reader, writer = APIClient(), APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Api-Key {read}")
    writer.credentials(HTTP_AUTHORIZATION=f"Api-Key {write}")
    assert reader.get("/api/v1/webhooks/").status_code == 200
    assert reader.post("/api/v1/webhooks/", ENDPOINT, format="json").status_code == 403
    assert writer.post("/api/v1/webhooks/", ENDPOINT, format="json").status_code == 201


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"url": "ftp://example.com/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "https://user:pw@example.com/"}, "url"),
        ({"events": []}, "events"),
        ({"events": ["deleted"]}, "events.0"),
        ({"events": "withdrawn"}, "events"),
    ],
)
def test_invalid_endpoints_are_400(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], change: dict[str, Any], field: str
) -> None:
    response = client_as("quality_director").post("/api/v1/webhooks/", {**ENDPOINT, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]


def test_delete_revokes_and_keeps_the_record(actors: dict[str, Any], client_as: Callable[[str], APIClient]) -> None:
    client = client_as("quality_director")
    endpoint_id = client.post("/api/v1/webhooks/", ENDPOINT, format="json").json()["id"]
    assert client.delete(f"/api/v1/webhooks/{endpoint_id}/").status_code == 204
    row = client.get(f"/api/v1/webhooks/{endpoint_id}/").json()
    assert row["active"] is False and row["revoked_at"]
    assert client.delete(f"/api/v1/webhooks/{endpoint_id}/").status_code == 204
    assert client_as("manager").delete(f"/api/v1/webhooks/{endpoint_id}/").status_code == 403


def test_deliveries_list_the_attempts(actors: dict[str, Any], client_as: Callable[[str], APIClient]) -> None:
    client = client_as("quality_director")
    endpoint_id = client.post("/api/v1/webhooks/", ENDPOINT, format="json").json()["id"]
    response = client.get(f"/api/v1/webhooks/{endpoint_id}/deliveries/")
    assert response.status_code == 200
    assert response.json() == []
    assert client.get("/api/v1/webhooks/999999/deliveries/").status_code == 404


def test_a_delivery_shows_each_attempt_with_its_outcome_a_stopped_worker_included(
    actors: dict[str, Any], client_as: Callable[[str], APIClient]
) -> None:
    client = client_as("quality_director")
    endpoint_id = client.post("/api/v1/webhooks/", ENDPOINT, format="json").json()["id"]
    now = timezone.now()
    message = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.WEBHOOK,
        kind="withdrawn",
        dedupe_key="test:withdrawn:1",
        endpoint_id=endpoint_id,
        payload={"id": 1},
        status=OutboxMessage.Status.SENT,
        attempts=2,
        next_attempt_at=now,
        sent_at=now,
    )
    # Attempt 1: its worker was killed mid-send (never finished); attempt 2 delivered.
    DeliveryAttempt.objects.create(message=message, number=1, attempted_at=now - timedelta(minutes=11))
    DeliveryAttempt.objects.create(
        message=message, number=2, attempted_at=now, succeeded=True, http_status=200, duration_ms=40, finished_at=now
    )

    (delivery,) = client.get(f"/api/v1/webhooks/{endpoint_id}/deliveries/").json()

    first, second = delivery["attempts_log"]
    assert (first["number"], first["outcome"], first["succeeded"], first["finished_at"]) == (
        1,
        "worker_stopped",
        None,
        None,
    )
    assert (second["outcome"], second["succeeded"], second["http_status"]) == ("succeeded", True, 200)
