"""Erasure and retention by command and in the admin; the admin never shows an address."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import User
from core.commands import BAD_INPUT
from orders.models import Customer, Order
from products.models import Product
from tests.commands import command_refused
from tests.factories import product_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

EMAIL = "Camille.Martin@example.com"


@pytest.fixture
def shoe() -> Product:
    return product_create(sku="SHOE-1")


def run(*args: str, **options: Any) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def test_erase_customer_erases_once_and_never_prints_the_address(shoe: Product) -> None:
    order_create(products=[shoe], email=EMAIL)
    first = run("erase_customer", "camille.martin@EXAMPLE.com")
    assert first == "erased\n"
    assert run("erase_customer", EMAIL) == "no customer with this address\n"
    assert Customer.objects.get().erased_at is not None
    assert Order.objects.get().customer is None
    assert str(command_refused("erase_customer", "  ")) == "give the customer's email address"  # exit 2


def test_erase_customer_reads_the_address_from_stdin_with_a_dash(shoe: Product) -> None:
    """`-`: the address stays out of the shell history and the process list."""
    order_create(products=[shoe], email=EMAIL)
    assert run("erase_customer", "-", stdin=io.StringIO(f" {EMAIL.upper()}\n")) == "erased\n"
    assert Customer.objects.get().erased_at is not None
    with pytest.raises(CommandError) as refused:
        call_command("erase_customer", "-", stdin=io.StringIO("\n"), stderr=io.StringIO())
    assert (refused.value.returncode, str(refused.value)) == (BAD_INPUT, "give the customer's email address")


@override_settings(ORDER_RETENTION_DAYS=30)
def test_anonymise_orders_prints_how_many(shoe: Product) -> None:
    order_create(products=[shoe], purchased_at=timezone.now() - timedelta(days=31))
    order_create(products=[shoe], purchased_at=timezone.now() - timedelta(days=5))
    assert run("anonymise_orders") == "anonymised 1 order purchased more than 30 days ago\n"
    assert run("anonymise_orders") == "anonymised 0 orders purchased more than 30 days ago\n"


@pytest.fixture
def admin_client(make_user: Callable[..., User]) -> Client:
    superuser = User.objects.create_superuser(username="root", email="root@shop.example", password="x")
    client = Client()
    client.force_login(superuser)
    return client


def test_the_admin_never_shows_an_address_but_finds_a_customer_by_it(shoe: Product, admin_client: Client) -> None:
    order = order_create(products=[shoe], email=EMAIL)
    customer = Customer.objects.get()
    pages = [
        admin_client.get("/admin/orders/customer/"),
        admin_client.get(f"/admin/orders/customer/{customer.pk}/change/"),
        admin_client.get("/admin/orders/order/"),
        admin_client.get(f"/admin/orders/order/{order.pk}/change/"),
        admin_client.get("/admin/orders/invitation/"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert b"camille.martin@example.com" not in page.content.lower()
    assert "C…@e…".encode() in pages[0].content
    found = admin_client.get("/admin/orders/customer/", {"q": "camille.martin@example.com"})
    assert f"/admin/orders/customer/{customer.pk}/change/".encode() in found.content
    missed = admin_client.get("/admin/orders/customer/", {"q": "camille"})  # exact address only
    assert f"/admin/orders/customer/{customer.pk}/change/".encode() not in missed.content


def test_the_admin_erase_action(shoe: Product, admin_client: Client) -> None:
    order_create(products=[shoe], email=EMAIL)
    keep = order_create(products=[shoe], email="keep@example.com")
    erased = Customer.objects.get(email=EMAIL)
    response = admin_client.post(
        "/admin/orders/customer/", {"action": "erase_selected", "_selected_action": [erased.pk]}, follow=True
    )
    assert response.status_code == 200
    assert b"1 customer erased." in response.content
    erased.refresh_from_db()
    assert (erased.email, erased.name) == ("", "") and erased.erased_at is not None
    assert keep.customer is not None and Customer.objects.get(pk=keep.customer.pk).erased_at is None
