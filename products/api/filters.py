"""The API's product filters: strict (a bad value is a 400 naming the parameter), unlike
the site's catalogue filters (products/filters.py), which ignore what does not validate."""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal, InvalidOperation
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.api_http import BoundedIntegerFilter, SafeIsoDateTimeFilter, StrictBooleanFilter, ordering_filter
from core.skus import SKU_URL_PATTERN
from products.models import GATE_STATE_CHOICES, Product, validate_sku

# A JSON number in ASCII, as a query string carries one (`4.5`, `4`, `1e-05`): not "٤",
# "NaN", "Infinity" or " 4" (Decimal() takes them all).
_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]{0,30})(\.[0-9]{1,30})?([eE][+-]?[0-9]{1,4})?", re.ASCII)


class SkuFilter(django_filters.CharFilter):
    """A product by its SKU: a value that breaks the SKU rule is a 400 naming the parameter
    and the rule (it cannot name a product), not an empty list that looks like "no data"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [validate_sku])
        kwargs.setdefault("help_text", _("The product's SKU."))
        super().__init__(*args, **kwargs)
        self.openapi_schema = {"pattern": f"^{SKU_URL_PATTERN}$"}


class JsonNumberField(forms.DecimalField):
    """A number as JSON writes it, at any precision; the range is the field's min/max."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: IntegerField's
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not _JSON_NUMBER.fullmatch(value):
            raise forms.ValidationError(_("Enter a number, such as 4 or 4.25."), code="invalid")
        try:
            return Decimal(value)
        except InvalidOperation:  # the pattern admits only what Decimal reads; kept for mypy's sake
            raise forms.ValidationError(_("Enter a number, such as 4 or 4.25."), code="invalid") from None


class AtLeastDecimalFilter(django_filters.NumberFilter):
    """`column >= value` over a DecimalField with ``decimal_places``: any number within the
    range is accepted (the schema says `number`, 0 to 5), and it is rounded *up* to the
    column's precision, which keeps `>=` exact: a stored 4.2500 is >= 4.24999 and >= its
    rounding up, 4.2500; a stored 4.2499 is neither."""

    field_class = JsonNumberField

    def __init__(self, *args: Any, decimal_places: int, **kwargs: Any) -> None:
        super().__init__(*args, lookup_expr="gte", **kwargs)
        self.quantum = Decimal(1).scaleb(-decimal_places)

    def filter(self, qs: QuerySet[Any], value: Decimal | None) -> QuerySet[Any]:
        if value is None:
            return qs
        return super().filter(qs, value.quantize(self.quantum, rounding=ROUND_CEILING))


class ProductFilter(django_filters.FilterSet):
    category = django_filters.CharFilter(
        field_name="category__slug", help_text=_("Category slug, e.g. `running-shoes`.")
    )
    state = django_filters.ChoiceFilter(
        field_name="gate_state", choices=GATE_STATE_CHOICES, help_text=_("Quality-gate state.")
    )
    on_sale = StrictBooleanFilter(field_name="on_sale", help_text=_("`false`: only products withdrawn from sale."))
    min_average = AtLeastDecimalFilter(
        field_name="current_average",
        min_value=0,
        max_value=5,
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
            ("name_shown", "name"),  # products.api.selectors.product_list_api's annotation
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
