"""Filters of gate events, withdrawal notices and improvement requests (strict: a bad
value is a 400)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from core.api_http import BoundedIntegerFilter, ordering_filter
from gate.models import EVENT_KIND_CHOICES, GateEvent, ImprovementRequest, WithdrawalNotice
from products.api.filters import SkuFilter

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class IsoDateField(forms.DateField):
    """A day as the schema's `format: date` writes it (2026-03-31): not Django's other input
    formats (03/31/2026), nor other scripts' digits, which strptime() would read."""

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise forms.ValidationError(_("Enter a date as YYYY-MM-DD."), code="invalid")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a date that exists, as YYYY-MM-DD."), code="invalid") from None


class IsoDateFilter(django_filters.DateFilter):
    field_class = IsoDateField


class GateEventFilter(django_filters.FilterSet):
    product = SkuFilter(field_name="product__sku")
    kind = django_filters.MultipleChoiceFilter(
        choices=EVENT_KIND_CHOICES, help_text=_("Only these kinds; repeat for several (`kind=flagged&kind=withdrawn`).")
    )
    day_from = IsoDateFilter(field_name="day", lookup_expr="gte", help_text=_("From this day (inclusive)."))
    day_to = IsoDateFilter(field_name="day", lookup_expr="lte", help_text=_("Through this day (inclusive)."))
    after_id = BoundedIntegerFilter(
        field_name="id",
        lookup_expr="gt",
        max_value=2**63 - 1,
        help_text=_("Only events stored after the event with this id: poll with the largest id you have seen."),
    )
    ordering = ordering_filter(
        [("day", "day"), ("id", "id")],
        help_text=_("`day` or `id`, `-` to reverse; default `-day` (newest first)."),
    )

    class Meta:
        model = GateEvent
        fields: list[str] = []


class WithdrawalNoticeFilter(django_filters.FilterSet):
    product = SkuFilter(field_name="product__sku")
    state = django_filters.MultipleChoiceFilter(
        choices=WithdrawalNotice.State.choices, help_text=_("Only these states; repeat for several.")
    )

    class Meta:
        model = WithdrawalNotice
        fields: list[str] = []


class ImprovementRequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=ImprovementRequest.State.choices, help_text=_("Only requests in this state.")
    )

    class Meta:
        model = ImprovementRequest
        fields: list[str] = []
