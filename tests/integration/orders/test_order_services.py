"""orders.services against the database: receive (idempotent, conflicts, one customer per
address), change, erase, anonymise."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from core.errors import Conflict, NotFound, ValidationFailed
from orders.models import Customer, Order, OrderLine
from orders.policy import Change
from orders.services import (
    LineInput,
    OrderInput,
    customer_erase,
    order_change,
    order_receive,
    orders_anonymise_expired,
)
from products.models import Product
from tests.factories import product_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def shoe() -> Product:
    return product_create(sku="SHOE-1")


def order_input(**fields: object) -> OrderInput:
    base = OrderInput(
        order_id="SO-1",
        email="Camille@Example.com",
        name="Camille",
        language="fr",
        purchased_at=T0,
        delivered_at=T0 + timedelta(days=2),
        lines=(LineInput(sku="SHOE-1", quantity=2),),
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def test_receiving_the_same_order_twice_stores_it_once(shoe: Product) -> None:
    first = order_receive(order_input())
    again = order_receive(order_input())
    assert (first.created, again.created) == (True, False)
    assert again.order.pk == first.order.pk
    assert Order.objects.count() == 1 and OrderLine.objects.get().quantity == 2


def test_the_same_id_with_other_content_is_a_conflict(shoe: Product) -> None:
    order_receive(order_input())
    with pytest.raises(Conflict) as refused:
        order_receive(order_input(lines=(LineInput(sku="SHOE-1", quantity=3),)))
    assert refused.value.code == "order_exists"
    with pytest.raises(Conflict):
        order_receive(order_input(email="someone.else@example.com"))
    assert OrderLine.objects.get().quantity == 2


def test_one_customer_per_address_whatever_its_case(shoe: Product) -> None:
    order_receive(order_input())
    order_receive(order_input(order_id="SO-2", email="camille@example.COM", name="Camille M.", language="en"))
    customer = Customer.objects.get()
    assert customer.email == "Camille@Example.com"  # stored once, as first given
    assert (customer.name, customer.language) == ("Camille M.", "en")  # the newest order's
    assert customer.orders.count() == 2


def test_invalid_orders_are_refused_with_field_messages(shoe: Product) -> None:
    with pytest.raises(ValidationFailed) as refused:
        order_receive(order_input(email="not-an-address", language="de", lines=(LineInput(sku="NOPE", quantity=1),)))
    assert set(refused.value.fields) == {"email", "language"}  # format first; the catalogue after
    with pytest.raises(Conflict) as unknown:
        order_receive(order_input(lines=(LineInput(sku="NOPE", quantity=1),)))
    assert unknown.value.code == "unknown_product" and list(unknown.value.fields) == ["lines"]
    assert not Order.objects.exists() and not Customer.objects.exists()


def test_a_cancelled_delivered_order_is_refused(shoe: Product) -> None:
    with pytest.raises(Conflict) as refused:
        order_receive(order_input(cancelled_at=T0 + timedelta(days=3)))
    assert refused.value.code == "illegal_order_change"
    assert list(refused.value.fields) == ["cancelled_at"]


def test_changes_follow_the_lifecycle(shoe: Product) -> None:
    order_receive(order_input(delivered_at=None))
    delivered = order_change(order_id="SO-1", changes={Change.DELIVERED: T0 + timedelta(days=1)})
    assert delivered.status == "delivered"
    updated_at = delivered.updated_at
    same = order_change(order_id="SO-1", changes={Change.DELIVERED: T0 + timedelta(days=1)})
    assert same.updated_at == updated_at  # nothing written
    with pytest.raises(Conflict) as refused:
        order_change(order_id="SO-1", changes={Change.CANCELLED: T0 + timedelta(days=2)})
    assert refused.value.code == "illegal_order_change" and list(refused.value.fields) == ["cancelled_at"]
    refunded = order_change(order_id="SO-1", changes={Change.REFUNDED: T0 + timedelta(days=4)})
    assert refunded.status == "refunded"
    assert Order.objects.get().refunded_at == T0 + timedelta(days=4)


def test_a_refused_change_writes_nothing(shoe: Product) -> None:
    order_receive(order_input(delivered_at=None))
    with pytest.raises(Conflict):
        # The delivery is legal alone; the cancellation with it is not: all or nothing.
        order_change(
            order_id="SO-1",
            changes={Change.DELIVERED: T0 + timedelta(days=1), Change.CANCELLED: T0 + timedelta(days=1)},
        )
    assert Order.objects.get().delivered_at is None


def test_erasing_a_customer_keeps_their_orders_without_them(shoe: Product) -> None:
    order = order_create(products=[shoe], email="Erase.Me@example.com")
    other = order_create(products=[shoe], email="keep@example.com")
    assert customer_erase(email="  erase.me@EXAMPLE.com ") == 1
    assert customer_erase(email="erase.me@example.com") == 0  # nothing left to erase
    erased = Customer.objects.get(erased_at__isnull=False)
    assert (erased.email, erased.name) == ("", "")
    assert erased.unsubscribed_at is not None
    order.refresh_from_db()
    assert order.customer is None and order.anonymised_at is not None
    assert order.lines.count() == 1  # the figures stay
    other.refresh_from_db()
    assert other.customer is not None and other.customer.email == "keep@example.com"


def test_an_erased_customers_order_posted_again_changes_nothing(shoe: Product) -> None:
    order_receive(order_input())
    customer_erase(email="camille@example.com")
    again = order_receive(order_input())
    assert again.created is False
    assert Customer.objects.filter(erased_at__isnull=True).count() == 0  # not brought back


@override_settings(ORDER_RETENTION_DAYS=30)
def test_orders_past_retention_are_anonymised(shoe: Product) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    old = order_create(products=[shoe], email="old@example.com", purchased_at=now - timedelta(days=31))
    both_old = order_create(products=[shoe], email="both@example.com", purchased_at=now - timedelta(days=40))
    both_new = order_create(products=[shoe], email="both@example.com", purchased_at=now - timedelta(days=29))
    assert orders_anonymise_expired(now=now) == 2
    assert orders_anonymise_expired(now=now) == 0  # idempotent
    old.refresh_from_db()
    both_old.refresh_from_db()
    both_new.refresh_from_db()
    assert old.customer is None and old.anonymised_at == now
    assert both_old.customer is None
    assert both_new.customer is not None  # a customer with a recent order stays
    assert Customer.objects.get(pk=both_new.customer.pk).erased_at is None
    # The customer left without any order is erased.
    assert Customer.objects.filter(erased_at=now).count() == 1
    assert not Customer.objects.filter(email="old@example.com").exists()


@override_settings(ORDER_RETENTION_DAYS=30)
def test_an_anonymised_order_sent_again_is_unchanged_not_a_conflict(shoe: Product) -> None:
    old = order_input(order_id="SO-OLD", purchased_at=T0, delivered_at=None)
    order_receive(old)
    order_receive(order_input(order_id="SO-NEW", purchased_at=T0 + timedelta(days=40), delivered_at=None))
    assert orders_anonymise_expired(now=T0 + timedelta(days=41)) == 1
    again = order_receive(old)  # the customer still exists (a newer order), the old order is no longer theirs
    assert again.created is False and again.order.customer is None


def test_changing_an_unknown_order_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        order_change(order_id="NO-SUCH-ORDER", changes={Change.DELIVERED: datetime(2026, 3, 1, tzinfo=UTC)})
    assert (refused.value.http_status, refused.value.code) == (404, "not_found")
