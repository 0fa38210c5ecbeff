"""Reads of orders shaped for the API."""

from __future__ import annotations

from django.db.models import QuerySet

from orders.models import Order


def order_list_api() -> QuerySet[Order]:
    """Every order, newest purchase first, with what the representation shows joined or
    prefetched, so a page costs a fixed number of queries whatever its length."""
    return Order.objects.select_related("customer").prefetch_related("lines__product", "invitations")
