"""The orders API: POST (idempotent), GET, PATCH, by API keys holding the `orders` scope;
no answer ever holds a customer's email address."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from apikeys.services import api_key_create
from orders.models import Customer, Invitation, Order, OrderLine
from products.models import Product
from tests.api.conftest import error_of
from tests.factories import product_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/orders/"
EMAIL = "Camille.Martin@example.com"
ORDER = {
    "order_id": "SO-2026-1",
    "customer": {"email": EMAIL, "name": "Camille Martin", "language": "fr"},
    "purchased_at": "2026-03-02T10:15:00+01:00",
    "delivered_at": "2026-03-04T16:40:00+01:00",
    "lines": [{"sku": "SHOE-1", "quantity": 2}, {"sku": "SOCK-1", "quantity": 1}],
}


@pytest.fixture
def products() -> list[Product]:
    return [product_create(sku="SHOE-1"), product_create(sku="SOCK-1")]


@pytest.fixture
def owner(make_user: Callable[..., User]) -> User:
    return make_user(username="shop")


def key_client(owner: User, *scopes: str) -> APIClient:
    client = APIClient()
    created = api_key_create(name=f"shop {'+'.join(scopes)}", owner=owner, scopes=scopes)
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {created.plaintext}")
    return client


@pytest.fixture
def shop(owner: User, products: list[Product]) -> APIClient:
    return key_client(owner, "orders")


def no_email_in(response: Any) -> None:
    assert EMAIL.lower().encode() not in response.content.lower()
    assert b"@example.com" not in response.content


def post(client: APIClient, body: dict[str, Any]) -> Any:
    return client.post(URL, body, format="json")


def test_a_new_order_is_201_with_its_location_and_no_address(shop: APIClient) -> None:
    response = post(shop, ORDER)
    assert response.status_code == 201, response.content
    assert response["Location"].endswith("/api/v1/orders/SO-2026-1/")
    body = response.json()
    assert body["status"] == "delivered"
    assert body["customer"] == {"name": "Camille Martin", "language": "fr", "unsubscribed": False}
    assert body["lines"] == [
        {"sku": "SHOE-1", "quantity": 2, "reviewed": False},
        {"sku": "SOCK-1", "quantity": 1, "reviewed": False},
    ]
    assert body["invitation"] == {"invited_at": None, "reminded_at": None}
    assert body["source"] == "api"
    no_email_in(response)
    order = Order.objects.get()
    assert order.delivered_at == datetime(2026, 3, 4, 15, 40, tzinfo=UTC)
    assert order.customer is not None and order.customer.email == EMAIL


def test_the_same_order_again_is_200_and_changes_nothing(shop: APIClient) -> None:
    first = post(shop, ORDER)
    updated_at = Order.objects.get().updated_at
    # The same moments written in another offset are the same order.
    again = post(shop, {**ORDER, "purchased_at": "2026-03-02T09:15:00Z"})
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert "Location" not in again
    assert Order.objects.get().updated_at == updated_at
    assert OrderLine.objects.count() == 2


def test_the_same_id_with_other_lines_is_409(shop: APIClient) -> None:
    post(shop, ORDER)
    response = post(shop, {**ORDER, "lines": [{"sku": "SHOE-1", "quantity": 1}]})
    assert response.status_code == 409, response.content
    assert error_of(response)["code"] == "order_exists"
    assert OrderLine.objects.get(product__sku="SHOE-1").quantity == 2
    no_email_in(response)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"order_id": "../etc"}, "order_id"),
        ({"order_id": 42}, "order_id"),
        ({"purchased_at": "2026-03-02T10:15:00"}, "purchased_at"),  # no offset
        ({"purchased_at": "2026-03-02"}, "purchased_at"),
        ({"purchased_at": "02/03/2026 10:15+01:00"}, "purchased_at"),
        ({"purchased_at": "2026-02-30T10:15:00+01:00"}, "purchased_at"),
        ({"purchased_at": "2026-03-02T10:15:00+24:00"}, "purchased_at"),
        ({"lines": []}, "lines"),
        ({"lines": [{"sku": "SHOE 1", "quantity": 1}]}, "lines.0.sku"),
        ({"lines": [{"sku": "SHOE-1", "quantity": 1}, {"sku": "SHOE-1", "quantity": 1}]}, "lines"),  # uniqueItems
        ({"lines": [{"sku": "SHOE-1", "quantity": "1"}]}, "lines.0.quantity"),
        ({"lines": [{"sku": "SHOE-1", "quantity": 0}]}, "lines.0.quantity"),
        ({"customer": {"email": "not an address", "name": "C", "language": "fr"}}, "customer.email"),
        ({"customer": {"email": "c@localhost", "name": "C", "language": "fr"}}, "customer.email"),
        ({"customer": {"email": EMAIL, "name": "C", "language": "de"}}, "customer.language"),
        ({"customer": {"email": EMAIL, "name": "C\x00", "language": "fr"}}, "customer.name"),
    ],
)
def test_bad_input_is_400_naming_the_field(shop: APIClient, change: dict[str, Any], field: str) -> None:
    response = post(shop, {**ORDER, **change})
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == [field]
    assert not Order.objects.exists() and not Customer.objects.exists()
    no_email_in(response)


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"delivered_at": "2026-03-01T10:15:00+01:00"}, "illegal_order_change", "delivered_at"),  # before purchase
        ({"cancelled_at": "2026-03-05T10:15:00+01:00"}, "illegal_order_change", "cancelled_at"),  # refund instead
        ({"delivered_at": None, "refunded_at": "2026-03-05T10:15:00+01:00"}, "illegal_order_change", "refunded_at"),
        ({"lines": [{"sku": "UNKNOWN", "quantity": 1}]}, "unknown_product", "lines"),
        ({"lines": [{"sku": "SHOE-1", "quantity": 1}, {"sku": "SHOE-1", "quantity": 2}]}, "duplicate_product", "lines"),
    ],
)
def test_a_well_formed_order_the_rules_refuse_is_409(
    shop: APIClient, change: dict[str, Any], code: str, field: str
) -> None:
    # 400 is what the schema refuses; what it accepts and a rule refuses is a 409.
    response = post(shop, {**ORDER, **change})
    assert response.status_code == 409, response.content
    assert error_of(response)["code"] == code
    assert list(error_of(response)["fields"]) == [field]
    assert not Order.objects.exists() and not Customer.objects.exists()
    no_email_in(response)


def test_strings_are_trimmed(shop: APIClient) -> None:
    customer = {"email": f"  {EMAIL} ", "name": " Camille Martin ", "language": "fr"}
    response = post(shop, {**ORDER, "order_id": " SO-2026-1 ", "customer": customer})
    assert response.status_code == 201, response.content
    assert Order.objects.get().order_id == "SO-2026-1"
    assert Customer.objects.get().email == EMAIL


def test_list_filters_and_detail(shop: APIClient) -> None:
    post(shop, ORDER)
    post(shop, {**ORDER, "order_id": "SO-2", "purchased_at": "2026-04-01T10:00:00+02:00", "delivered_at": None})
    listed = shop.get(URL)
    assert listed.status_code == 200
    assert [row["order_id"] for row in listed.json()["results"]] == ["SO-2", "SO-2026-1"]
    assert [row["order_id"] for row in shop.get(URL, {"status": "placed"}).json()["results"]] == ["SO-2"]
    after = shop.get(URL, {"purchased_after": "2026-03-15T00:00:00Z"}).json()["results"]
    assert [row["order_id"] for row in after] == ["SO-2"]
    before = shop.get(URL, {"purchased_before": "2026-03-15"}).json()["results"]
    assert [row["order_id"] for row in before] == ["SO-2026-1"]
    assert shop.get(URL, {"status": "lost"}).status_code == 400
    detail = shop.get(f"{URL}SO-2026-1/")
    assert detail.status_code == 200 and detail.json()["order_id"] == "SO-2026-1"
    for response in (listed, detail):
        no_email_in(response)


def test_the_invitation_state_is_shown(shop: APIClient) -> None:
    post(shop, ORDER)
    order = Order.objects.get()
    sent = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
    Invitation.objects.create(order=order, kind="invitation", customer=order.customer, sent_at=sent)
    body = shop.get(f"{URL}SO-2026-1/").json()
    assert body["invitation"] == {"invited_at": "2026-03-11T09:00:00+01:00", "reminded_at": None}


@pytest.mark.parametrize("order_id", ["NOPE", "-dash-first", "x" * 101, "%E2%80%AE", "a%2Fb"])
def test_an_unknown_or_invalid_order_id_is_404(shop: APIClient, order_id: str) -> None:
    assert shop.get(f"{URL}{order_id}/").status_code == 404
    assert shop.patch(f"{URL}{order_id}/", {"delivered_at": "2026-03-04T16:40:00Z"}, format="json").status_code == 404


def test_patch_records_changes_and_refuses_illegal_ones(shop: APIClient) -> None:
    post(shop, {**ORDER, "delivered_at": None})
    url = f"{URL}SO-2026-1/"
    delivered = shop.patch(url, {"delivered_at": "2026-03-04T16:40:00+01:00"}, format="json")
    assert delivered.status_code == 200, delivered.content
    assert delivered.json()["status"] == "delivered"
    updated_at = Order.objects.get().updated_at
    again = shop.patch(url, {"delivered_at": "2026-03-04T15:40:00Z"}, format="json")
    assert again.status_code == 200 and again.json() == delivered.json()
    assert Order.objects.get().updated_at == updated_at
    illegal = shop.patch(url, {"cancelled_at": "2026-03-05T10:00:00+01:00"}, format="json")
    assert illegal.status_code == 409, illegal.content
    assert error_of(illegal)["code"] == "illegal_order_change"
    assert list(error_of(illegal)["fields"]) == ["cancelled_at"]
    moved = shop.patch(url, {"delivered_at": "2026-03-06T10:00:00+01:00"}, format="json")
    assert moved.status_code == 409 and list(error_of(moved)["fields"]) == ["delivered_at"]
    nothing = shop.patch(url, {}, format="json")
    assert nothing.status_code == 200 and nothing.json() == delivered.json()
    assert shop.patch(url, {"refunded_at": "2026-03-10"}, format="json").status_code == 400
    refunded = shop.patch(url, {"refunded_at": "2026-03-10T10:00:00+01:00"}, format="json")
    assert refunded.status_code == 200 and refunded.json()["status"] == "refunded"
    for response in (delivered, illegal, refunded):
        no_email_in(response)


def test_put_and_delete_are_not_allowed(shop: APIClient) -> None:
    post(shop, ORDER)
    assert shop.put(f"{URL}SO-2026-1/", ORDER, format="json").status_code == 405
    assert shop.delete(f"{URL}SO-2026-1/").status_code == 405
    assert Order.objects.exists()


def test_only_keys_holding_the_orders_scope_get_in(owner: User, products: list[Product]) -> None:
    assert APIClient().get(URL).status_code == 401
    assert post(APIClient(), ORDER).status_code == 401
    session = APIClient()
    session.force_login(owner)
    assert session.get(URL).status_code == 403
    assert post(session, ORDER).status_code == 403
    read_write = key_client(owner, "read", "write")
    assert read_write.get(URL).status_code == 403
    refused = post(read_write, ORDER)
    assert refused.status_code == 403 and error_of(refused)["code"] == "permission_denied"
    assert not Order.objects.exists()
    with_orders = key_client(owner, "read", "orders")
    assert post(with_orders, ORDER).status_code == 201


def test_the_key_throttle_applies(shop: APIClient, settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/min", "user": "1000/min", "api_key": "2/min"},
    }
    settings.RATELIMIT_ENABLED = True
    assert [shop.get(URL).status_code for _ in range(3)] == [200, 200, 429]
