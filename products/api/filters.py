"""The API's product filters: strict (a bad value is a 400 naming the parameter), unlike
the site's catalogue filters (products/filters.py), which ignore what does not validate."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api_http import BoundedIntegerFilter, SafeIsoDateTimeFilter, StrictBooleanFilter, ordering_filter
from products.models import GATE_STATE_CHOICES, Product, validate_sku


class SkuFilter(django_filters.CharFilter):
    """A product by its SKU: a value that breaks the SKU rule is a 400 naming the parameter
    and the rule (it cannot name a product), not an empty list that looks like "no data"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [validate_sku])
        kwargs.setdefault("help_text", _("The product's SKU."))
        super().__init__(*args, **kwargs)


class ProductFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(
        field_name="category__slug", help_text=_("Category slug, e.g. `running-shoes`.")
    )
    state = django_filters.ChoiceFilter(
        field_name="gate_state", choices=GATE_STATE_CHOICES, help_text=_("Quality-gate state.")
    )
    on_sale = StrictBooleanFilter(field_name="on_sale", help_text=_("`false`: only products withdrawn from sale."))
    min_average = django_filters.NumberFilter(
        field_name="current_average",
        lookup_expr="gte",
        min_value=0,
        max_value=5,
        max_digits=5,
        decimal_places=4,
        help_text=_("Current-revision average at least this (0 to 5); unrated products are left out."),
    )
    min_count = BoundedIntegerFilter(
        field_name="current_count",
        lookup_expr="gte",
        help_text=_("At least this many published reviews of the current revision."),
    )
    updated_since = SafeIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Changed at or after this ISO 8601 moment (inclusive), e.g. the `updated_at` you last saw."),
    )
    ordering = ordering_filter(
        [
            ("name", "name"),
            ("sku", "sku"),
            ("current_average", "average"),
            ("current_count", "count"),
            ("all_time_count", "all_time_count"),
            ("updated_at", "updated_at"),
        ]
    )

    class Meta:
        model = Product
        fields: list[str] = []


class RatingFeedFilter(django_filters.FilterSet):
    updated_since = SafeIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Only products changed at or after this ISO 8601 moment (inclusive)."),
    )

    class Meta:
        model = Product
        fields: list[str] = []
