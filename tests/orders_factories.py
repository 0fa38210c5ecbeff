"""The one place tests build customers and orders (through orders.services, as the API
and the import do): shared by the orders, invitation, review and desk tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from orders.models import Order
from orders.services import LineInput, OrderInput, order_receive
from products.models import Product
from tests.factories import next_number


def order_create(
    *,
    products: Sequence[Product],
    email: str | None = None,
    name: str = "Camille Martin",
    language: str = "en",
    purchased_at: datetime | None = None,
    delivered_at: datetime | None = None,
    delivered: bool = True,
    refunded_at: datetime | None = None,
    cancelled_at: datetime | None = None,
    order_id: str | None = None,
) -> Order:
    """An order of one of each product; delivered a day after purchase unless told."""
    number = next_number()
    purchased_at = purchased_at or timezone.now() - timedelta(days=10)
    if delivered and delivered_at is None and cancelled_at is None:
        delivered_at = purchased_at + timedelta(days=1)
    received = order_receive(
        OrderInput(
            order_id=order_id or f"ORD-{number}",
            email=email or f"customer{number}@example.com",
            name=name,
            language=language,
            purchased_at=purchased_at,
            delivered_at=delivered_at,
            cancelled_at=cancelled_at,
            refunded_at=refunded_at,
            lines=tuple(LineInput(sku=product.sku, quantity=1) for product in products),
        )
    )
    return received.order
