"""The admin: quality directors register endpoints (secret shown once) and revoke them;
the outbox is read-only."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR
from gate.notify import gate_event_notify
from notifications.models import OutboxMessage, WebhookEndpoint
from products.models import Product

from .factories import NOW, flag

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/notifications/webhookendpoint/"


def test_a_quality_director_registers_an_endpoint_and_sees_its_secret_once(
    client: Client, make_user: Callable[..., User]
) -> None:
    director = make_user(QUALITY_DIRECTOR, is_staff=True)
    client.force_login(director)

    response = client.post(
        ADD_URL + "add/",
        {"url": "https://erp.example/hooks", "events": ["withdrawn", "flagged"], "description": "ERP"},
    )

    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["flagged", "withdrawn"] and endpoint.created_by == director
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    listing = client.get(ADD_URL)
    detail = client.get(f"{ADD_URL}{endpoint.pk}/change/")
    assert listing.status_code == detail.status_code == 200
    assert endpoint.secret not in listing.content.decode() + detail.content.decode()


def test_the_form_refuses_unknown_schemes_and_empty_events(client: Client, make_user: Callable[..., User]) -> None:
    client.force_login(make_user(QUALITY_DIRECTOR, is_staff=True))
    response = client.post(ADD_URL + "add/", {"url": "ftp://erp.example/hooks", "events": []})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() == {"url", "events"}
    assert not WebhookEndpoint.objects.exists()


def test_a_product_manager_with_admin_access_cannot_register_endpoints(
    client: Client, make_user: Callable[..., User]
) -> None:
    client.force_login(make_user(PRODUCT_MANAGER, is_staff=True))
    response = client.post(ADD_URL + "add/", {"url": "https://erp.example/hooks", "events": ["flagged"]})
    assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()


def test_revoking_from_the_admin_stops_the_endpoint(client: Client, make_user: Callable[..., User]) -> None:
    client.force_login(make_user(QUALITY_DIRECTOR, is_staff=True))
    endpoint = WebhookEndpoint.objects.create(url="https://erp.example/h", secret="whsec_x", events=["flagged"])
    response = client.post(ADD_URL, {"action": "revoke_selected", "_selected_action": [endpoint.pk]})
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.revoked_at is not None


def test_the_outbox_is_read_only_in_the_admin(client: Client, admin_user: User, product: Product) -> None:
    gate_event_notify(event=flag(product), now=NOW)
    message = OutboxMessage.objects.first()
    assert message is not None
    client.force_login(admin_user)
    assert client.get("/admin/notifications/outboxmessage/").status_code == 200
    assert client.get(f"/admin/notifications/outboxmessage/{message.pk}/change/").status_code == 200
    assert client.get("/admin/notifications/outboxmessage/add/").status_code == 403
    assert client.post(f"/admin/notifications/outboxmessage/{message.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OutboxMessage.objects.filter(pk=message.pk).exists()
