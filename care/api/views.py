"""GET /api/v1/care-figures/: customer care's figures and the Net Promoter Score per product,
category or month (care.figures defines them), for integrations: API keys holding the `care`
scope only (no credentials 401; a signed-in session, or a key without `care`, 403).

A key acts with its owner's rights, as on the invitation figures: a product manager's key
reads the products they manage; a quality director's or a customer care member's key every
product (care staff handle every product's cases); anyone else's key gets 403."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.roles import MANAGE_ALL_PRODUCTS, MANAGE_OWN_PRODUCTS, user_handles_care_cases
from apikeys.models import ApiKeyScope
from apikeys.permissions import requires_key_scope
from care.api.filters import CARE_FIGURE_GROUPS, DEFAULT_PERIOD_DAYS, CareFigureQuery
from care.api.rows import CareFigureRow, ProductLabel, care_figure_rows
from care.api.serializers import CareFigureSerializer
from care.selectors import case_facts, nps_tallies
from core.period_query import local_midnight, period_parameters
from products.access import products_managed_by
from products.models import Product

FIGURES_EXAMPLE = {
    "key": "TENT-0042",
    "label": "Trekking tent 2P",
    "cases": 12,
    "due": 11,
    "contacted_in_time": 10,
    "in_time_share": 90.9,
    "median_first_contact_hours": 5.5,
    "outcomes": {"solved": 6, "refunded_replaced": 2, "no_answer": 1, "not_reachable": 1},
    "first_contact_resolution_share": 62.5,
    "effort_answers": 5,
    "effort_mean": 5.4,
    "ratings_raised": 3,
    "raised_share": 27.3,
    "nps": 20.0,
    "nps_answers": 15,
}


class CareFiguresReader(permissions.BasePermission):
    """The key's owner reads care figures: a product manager, quality director or care member."""

    message = gettext_lazy(
        "Only the keys of product managers, quality directors and customer care staff can read care figures."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user.is_authenticated and (user.has_perm(MANAGE_OWN_PRODUCTS) or user_handles_care_cases(user)))


def care_figure_products(user: User) -> QuerySet[Product] | None:
    """The products whose figures ``user`` reads; None for every product."""
    if user.has_perm(MANAGE_ALL_PRODUCTS) or user_handles_care_cases(user):
        return None
    return products_managed_by(user)


def _product_labels(product_ids: set[int]) -> dict[int, ProductLabel]:
    rows = Product.objects.filter(pk__in=product_ids).values_list("pk", "sku", "name", "category_id", "category__name")
    return {
        pk: ProductLabel(sku, name, category_id, category_name or "")
        for pk, sku, name, category_id, category_name in rows
    }


class CareFigureViewSet(viewsets.GenericViewSet):
    serializer_class = CareFigureSerializer
    # Keys holding `care` only, whatever the method (not the API's read/write default).
    permission_classes = [requires_key_scope(ApiKeyScope.CARE), CareFiguresReader]
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Customer care figures and Net Promoter Score per product, category or month",
        description=(
            "For the care cases opened from `from` to `to` (days in the shop's time zone; by default the "
            f"{DEFAULT_PERIOD_DAYS} days through today), per group: `cases`; `due` (contacted, or past their "
            "first-contact target); `contacted_in_time` and `in_time_share` (first message by the target, per "
            "due case); `median_first_contact_hours` (over contacted cases); `outcomes` (closed cases per "
            "outcome); `first_contact_resolution_share` (solved or refunded/replaced after one message, per "
            "closed contacted case); `effort_answers` and `effort_mean` (the customer's 1-7 answer); "
            "`ratings_raised` and `raised_share` (ratings raised after the first contact, per contacted "
            "case). Beside them, `nps` and `nps_answers`: the Net Promoter Score of the counted reviews "
            "published in the period (share of 9-10 minus share of 0-6). By month, a case counts in the month "
            "it opened, an answer in the month its review was published. Shares are percents with one "
            "decimal, null when undefined. Only groups with a case or an answer are listed, products and "
            "categories by name, months in calendar order. No customer, address or single answer is ever "
            "in the answer. Needs an API key holding the `care` scope (401 without credentials; 403 for a "
            "signed-in session or a key without the scope); the key reads what its owner may: a product "
            "manager's the products they manage, a quality director's or a customer care member's every "
            "product, anyone else's nothing (403)."
        ),
        parameters=period_parameters(CARE_FIGURE_GROUPS),
        examples=[OpenApiExample("A product", value=FIGURES_EXAMPLE, response_only=True, status_codes=["200"])],
    )
    def list(self, request: Request) -> Response:
        now = timezone.now()
        query = CareFigureQuery(request.query_params, today=timezone.localdate(now, timezone.get_default_timezone()))
        if not query.is_valid():
            raise serializers.ValidationError(query.field_errors())
        group, first, last = query.cleaned_data["group"], query.cleaned_data["first"], query.cleaned_data["last"]
        scope = care_figure_products(request.user)  # type: ignore[arg-type]  # CareFiguresReader: signed in
        product_ids = None if scope is None else scope.values_list("pk", flat=True)
        start, end = local_midnight(first), local_midnight(last + timedelta(days=1))
        cases = case_facts(product_ids=product_ids, opened_from=start, opened_to=end)
        answers = nps_tallies(product_ids=product_ids, published_from=start, published_to=end)
        products = _product_labels({product_id for product_id, _facts in cases} | {row[0] for row in answers})
        rows = care_figure_rows(
            group=group, cases=cases, nps=answers, products=products, no_category=_("(no category)"), now=now
        )
        # DRF's paginators page any sequence; its stubs only say querysets.
        page: list[CareFigureRow] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        if page is None:
            return Response(self.get_serializer(rows, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
