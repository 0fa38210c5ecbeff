from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import include, path
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from accounts.models import User
from accounts.roles import SHOPPER
from apikeys.models import SCOPE_SETS, ApiKey, ApiKeyScope
from apikeys.permissions import requires_key_scope
from apikeys.services import api_key_check, api_key_create, api_key_revoke
from core.errors import ValidationFailed
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db

POST_URL = "/api/v1/products/P1/reviews/"
REVIEW = {"rating": 4, "title": "Fine", "body": "Long enough to be a review body."}


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client


def test_only_the_hash_of_the_secret_is_stored(make_user: Callable[..., User]) -> None:
    created = api_key_create(name="ERP", owner=make_user(username="erp"), scopes=[ApiKeyScope.READ])
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
    shopper_key = api_key_create(name="s", owner=buyer, scopes=[ApiKeyScope.READ, ApiKeyScope.WRITE]).plaintext
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
        "/admin/apikeys/apikey/add/", {"name": "ERP sync", "owner": owner.pk, "scopes": ["write", "orders"]}
    )
    assert response.status_code == 200
    row = ApiKey.objects.get()
    page = response.content.decode()
    start = page.index(f"rg_{row.prefix}_")
    plaintext = page[start : page.index('"', start)]
    assert "no-store" in response["Cache-Control"]
    assert api_key_check(plaintext=plaintext) == row
    assert (row.owner, row.scopes, row.name) == (owner, ["orders", "write"], "ERP sync")
    assert "(orders, write)" in page
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


def test_the_admin_offers_the_scopes_as_checkboxes_and_lists_them(
    admin_client_logged: Client, make_user: Callable[..., User]
) -> None:
    form = admin_client_logged.get("/admin/apikeys/apikey/add/").content.decode()
    for scope in ApiKeyScope.values:
        assert f'type="checkbox" name="scopes" value="{scope}"' in form
    refused = admin_client_logged.post("/admin/apikeys/apikey/add/", {"name": "none", "owner": make_user().pk})
    assert refused.status_code == 200 and "Choose at least one scope." in refused.content.decode()
    assert not ApiKey.objects.exists()
    api_key_create(name="shop", owner=make_user(username="o"), scopes=["orders"])
    api_key_create(name="erp", owner=make_user(username="p"), scopes=["read", "write"])
    listing = admin_client_logged.get("/admin/apikeys/apikey/").content.decode()
    assert "read, write" in listing and ">orders<" in listing
    holding_orders = admin_client_logged.get("/admin/apikeys/apikey/?scope=orders").content.decode()
    assert "shop" in holding_orders and "erp" not in holding_orders


# --- Scopes -----------------------------------------------------------------------------------
class OrdersOnlyView(APIView):
    """A stand-in for an endpoint reserved to one scope (the orders API)."""

    permission_classes = [requires_key_scope(ApiKeyScope.ORDERS)]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})

    def post(self, request: Request) -> Response:
        return Response({"ok": True}, status=201)


# This module is also the URL configuration of the tests marked `urls` below: the project's
# routes plus the stand-in.
urlpatterns = [path("test-orders/", OrdersOnlyView.as_view()), path("", include("config.urls"))]
SCOPED_URL = "/test-orders/"


@pytest.fixture
def key_of(make_user: Callable[..., User], make_product: Callable[..., Any]) -> Callable[[list[str]], APIClient]:
    """A client with a new key holding the given scopes, owned by a shopper (who may post a
    review of P1, so a write that gets through is a 201)."""
    make_product("P1")

    def make(scopes: list[str]) -> APIClient:
        owner = make_user(SHOPPER, username=f"owner{ApiKey.objects.count()}")
        return with_key(api_key_create(name="k", owner=owner, scopes=scopes).plaintext)

    return make


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("scopes", "reads", "writes", "orders"),
    [
        (["read"], True, False, False),
        (["write"], False, True, False),
        (["orders"], False, False, True),
        (["read", "write"], True, True, False),
        (["orders", "read", "write"], True, True, True),
    ],
)
def test_each_scope_allows_exactly_its_methods(
    key_of: Callable[[list[str]], APIClient], scopes: list[str], reads: bool, writes: bool, orders: bool
) -> None:
    client = key_of(scopes)
    read_statuses = {
        client.get("/api/v1/products/").status_code,
        client.head("/api/v1/products/").status_code,
        client.options("/api/v1/products/").status_code,
    }
    assert read_statuses == ({200} if reads else {403})
    assert client.post(POST_URL, REVIEW, format="json").status_code == (201 if writes else 403)
    scoped = (client.get(SCOPED_URL).status_code, client.post(SCOPED_URL, {}, format="json").status_code)
    assert scoped == ((200, 201) if orders else (403, 403))


@pytest.mark.urls(__name__)
def test_a_refusal_names_the_missing_scope(key_of: Callable[[list[str]], APIClient]) -> None:
    write_only, read_only = key_of(["write"]), key_of(["read"])
    for client, url, method, scope in (
        (write_only, "/api/v1/products/", "get", "read"),
        (read_only, POST_URL, "post", "write"),
        (read_only, SCOPED_URL, "get", "orders"),
    ):
        error = error_of(getattr(client, method)(url, REVIEW, format="json"))
        assert error["code"] == "permission_denied"
        assert error["message"] == (
            f"This API key lacks the `{scope}` scope: ask an administrator for a key that holds it."
        )


@pytest.mark.urls(__name__)
def test_an_orders_endpoint_is_for_keys_only(make_user: Callable[..., User]) -> None:
    director = make_user(username="root", is_staff=True, is_superuser=True)
    session = APIClient()
    session.force_login(director)
    for method in ("get", "post"):
        refused = getattr(session, method)(SCOPED_URL, {}, format="json")
        assert refused.status_code == 403
        assert "`orders`" in error_of(refused)["message"]
        anonymous = getattr(APIClient(), method)(SCOPED_URL, {}, format="json")
        assert anonymous.status_code == 401
        assert anonymous["WWW-Authenticate"] == 'Api-Key realm="api"'


def test_an_unknown_scope_cannot_be_required() -> None:
    with pytest.raises(ValueError, match="unknown API key scope 'admin'"):
        requires_key_scope("admin")
    assert requires_key_scope("orders") is requires_key_scope(ApiKeyScope.ORDERS)


def test_scopes_are_stored_sorted_and_once(make_user: Callable[..., User]) -> None:
    key = api_key_create(name="k", owner=make_user(), scopes=["write", "orders", "write", "read"]).api_key
    assert ApiKey.objects.get(pk=key.pk).scopes == ["orders", "read", "write"]
    assert api_key_create(name="d", owner=make_user()).api_key.scopes == ["read"]


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        ([], "Choose at least one scope."),
        (["read", "admin"], "Unknown scope(s): admin. Known: read, write, orders, care, topics."),
        ("read", "Choose at least one scope."),  # a bare string is no list of scopes
    ],
)
def test_creating_a_key_refuses_bad_scopes(make_user: Callable[..., User], scopes: Any, message: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        api_key_create(name="k", owner=make_user(), scopes=scopes)
    assert refused.value.fields == {"scopes": [message]}
    assert not ApiKey.objects.exists()


@pytest.mark.parametrize("stored", [[], ["admin"], ["read", "read"], ["write", "read"], ["read", "Write"], "read"])
def test_the_database_refuses_scopes_not_in_their_stored_form(make_user: Callable[..., User], stored: Any) -> None:
    key = api_key_create(name="k", owner=make_user()).api_key
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiKey.objects.filter(pk=key.pk).update(scopes=stored)
    assert len(SCOPE_SETS) == 2 ** len(ApiKeyScope.values) - 1


def test_keys_holding_a_scope_are_found_on_every_database(make_user: Callable[..., User]) -> None:
    owner = make_user()
    for scopes in (["read"], ["orders", "write"], ["orders"], ["read", "write"]):
        api_key_create(name="+".join(scopes), owner=owner, scopes=scopes)
    assert sorted(ApiKey.objects.holding("orders").values_list("name", flat=True)) == ["orders", "orders+write"]
    assert sorted(ApiKey.objects.holding("write").values_list("name", flat=True)) == ["orders+write", "read+write"]


# --- The migration from one scope to a set -------------------------------------------------------
BEFORE_SCOPES = [("apikeys", "0001_initial")]
AFTER_SCOPES = [("apikeys", "0003_remove_apikey_scope")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_each_old_scope_into_its_set_and_back(make_user: Callable[..., User]) -> None:
    owner = make_user(username="owner")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_SCOPES)
    old_key = executor.loader.project_state(BEFORE_SCOPES).apps.get_model("apikeys", "ApiKey")
    for n, scope in enumerate(("read", "read_write", "read")):
        old_key.objects.create(name=scope, prefix=f"p{n}", hashed_secret="h", scope=scope, owner_id=owner.pk)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER_SCOPES)
    assert sorted(ApiKey.objects.values_list("prefix", "scopes")) == [
        ("p0", ["read"]),
        ("p1", ["read", "write"]),
        ("p2", ["read"]),
    ]

    # Backwards: no key gains a right; one the old scopes cannot express is revoked.
    ApiKey.objects.filter(prefix="p2").update(scopes=["orders", "write"])
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_SCOPES)
    rows = old_key.objects.order_by("prefix").values_list("prefix", "scope", "revoked_at")
    assert [(prefix, scope, revoked is not None) for prefix, scope, revoked in rows] == [
        ("p0", "read", False),
        ("p1", "read_write", False),
        ("p2", "read", True),
    ]
    MigrationExecutor(connection).migrate(AFTER_SCOPES)
