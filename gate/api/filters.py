"""Filters of gate events, withdrawal notices and improvement requests (strict: a bad
value is a 400)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from core.api_http import BoundedIntegerFilter, ordering_filter
from core.strict_dates import IsoDateField
from gate.models import EVENT_KIND_CHOICES, GateEvent, ImprovementRequest, WithdrawalNotice
from products.api.filters import SkuFilter


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
