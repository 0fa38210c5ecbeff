"""Filters of the orders list (strict: a bad value is a 400)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.api_http import SafeIsoDateTimeFilter
from orders.models import Order, OrderStatus

# One status, as orders.models.order_status derives it from the times.
STATUS_QUERIES = {
    OrderStatus.CANCELLED: Q(cancelled_at__isnull=False),
    OrderStatus.REFUNDED: Q(cancelled_at__isnull=True, refunded_at__isnull=False),
    OrderStatus.DELIVERED: Q(cancelled_at__isnull=True, refunded_at__isnull=True, delivered_at__isnull=False),
    OrderStatus.PLACED: Q(cancelled_at__isnull=True, refunded_at__isnull=True, delivered_at__isnull=True),
}


class OrderFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=OrderStatus.choices, method="filter_status", help_text=_("Only orders in this status.")
    )
    purchased_after = SafeIsoDateTimeFilter(
        field_name="purchased_at", lookup_expr="gte", help_text=_("Placed at or after this ISO 8601 moment.")
    )
    purchased_before = SafeIsoDateTimeFilter(
        field_name="purchased_at", lookup_expr="lt", help_text=_("Placed before this ISO 8601 moment.")
    )

    class Meta:
        model = Order
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Order], name: str, value: str) -> QuerySet[Order]:
        return queryset.filter(STATUS_QUERIES[OrderStatus(value)]) if value else queryset
