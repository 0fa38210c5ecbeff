from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import SHOPPER
from apikeys.models import ApiKey, ApiKeyScope
from apikeys.services import api_key_check, api_key_create, api_key_revoke
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

POST_URL = "/api/v1/products/P1/reviews/"
REVIEW = {"rating": 4, "title": "Fine", "body": "Long enough to be a review body."}


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_only_the_hash_of_the_secret_is_stored(make_user: Callable[..., User]) -> None:
    created = api_key_create(name="ERP", owner=make_user(username="erp"), scope=ApiKeyScope.READ)
    row = ApiKey.objects.get()
    secret = created.plaintext.split("_", 2)[2]
    assert created.plaintext.startswith(f"rg_{row.prefix}_")
    assert row.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in str(value) for value in ApiKey.objects.values_list().get())
    assert api_key_check(plaintext=created.plaintext) == row
    assert api_key_check(plaintext=created.plaintext[:-1] + "x") is None


@pytest.mark.parametrize(
    "header",
    [
        "Api-Key rg_00000000_nope",
        "Api-Key not-a-key",
        "Api-Key",
        "Api-Key two parts",
        "api-key rg_",
    ],
)
def test_bad_keys_are_401(actors: dict[str, Any], header: str) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/products/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == 'Api-Key realm="api"'


def test_a_revoked_key_stops_working_at_once(actors: dict[str, Any]) -> None:
    key = actors["key_read_write"]
    assert with_key(key).get("/api/v1/gate/notices/").status_code == 200
    api_key_revoke(api_key=ApiKey.objects.get(name="write"))
    response = with_key(key).get("/api/v1/products/")
    assert response.status_code == 401
    assert "revoked" in error_of(response)["message"]


def test_a_key_of_a_deactivated_user_is_refused(actors: dict[str, Any]) -> None:
    User.objects.filter(pk=actors["manager"].pk).update(is_active=False)
    assert with_key(actors["key_read"]).get("/api/v1/products/").status_code == 401


def test_a_key_acts_with_its_owners_rights(actors: dict[str, Any], make_user: Callable[..., User]) -> None:
    buyer = make_user(SHOPPER, username="buyer")
    shopper_key = api_key_create(name="s", owner=buyer, scope=ApiKeyScope.READ_WRITE).plaintext
    assert with_key(shopper_key).get("/api/v1/gate/notices/").status_code == 403
    assert with_key(shopper_key).post(POST_URL, REVIEW, format="json").status_code == 201


def test_last_used_is_recorded_at_most_once_a_minute(actors: dict[str, Any]) -> None:
    row = ApiKey.objects.get(name="read")
    assert row.last_used_at is None
    with_key(actors["key_read"]).get("/api/v1/products/")
    first = ApiKey.objects.get(pk=row.pk).last_used_at
    assert first is not None
    with_key(actors["key_read"]).get("/api/v1/products/")
    assert ApiKey.objects.get(pk=row.pk).last_used_at == first
    ApiKey.objects.filter(pk=row.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    with_key(actors["key_read"]).get("/api/v1/products/")
    latest = ApiKey.objects.get(pk=row.pk).last_used_at
    assert latest is not None and latest > first


def test_revoking_twice_keeps_the_first_date(make_user: Callable[..., User]) -> None:
    key = api_key_create(name="k", owner=make_user(username="o")).api_key
    first = api_key_revoke(api_key=key).revoked_at
    assert api_key_revoke(api_key=key, now=timezone.now() + timedelta(days=1)).revoked_at == first


# --- Admin ------------------------------------------------------------------------------------
@pytest.fixture
def admin_client_logged(make_user: Callable[..., User]) -> Client:
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def test_admin_creates_a_key_and_shows_it_once(admin_client_logged: Client, make_user: Callable[..., User]) -> None:
    owner = make_user(username="erp")
    response = admin_client_logged.post(
        "/admin/apikeys/apikey/add/", {"name": "ERP sync", "owner": owner.pk, "scope": "read"}
    )
    assert response.status_code == 200
    row = ApiKey.objects.get()
    page = response.content.decode()
    start = page.index(f"rg_{row.prefix}_")
    plaintext = page[start : page.index('"', start)]
    assert "no-store" in response["Cache-Control"]
    assert api_key_check(plaintext=plaintext) == row
    assert (row.owner, row.scope, row.name) == (owner, "read", "ERP sync")
    change_page = admin_client_logged.get(f"/admin/apikeys/apikey/{row.pk}/change/").content.decode()
    assert plaintext not in change_page
    assert f"rg_{row.prefix}_…" in change_page


def test_admin_revokes_keys(admin_client_logged: Client, make_user: Callable[..., User]) -> None:
    key = api_key_create(name="k", owner=make_user(username="o")).api_key
    response = admin_client_logged.post(
        "/admin/apikeys/apikey/", {"action": "revoke_selected", "_selected_action": [key.pk]}, follow=True
    )
    assert response.status_code == 200
    key.refresh_from_db()
    assert key.revoked_at is not None
