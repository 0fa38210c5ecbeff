"""GET /api/v1/topic-figures/: per month, the share of the counted reviews speaking of each
topic and their average rating (topics.figures defines them), for integrations: API keys
holding the `topics` scope only (no credentials 401; a signed-in session, or a key without
`topics`, 403).

A key acts with its owner's rights, as the desk's topic page: a company reader's or a quality
director's key reads every product; a product manager's the products they manage; anyone
else's key gets 403 (products.access.products_readable_by)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from accounts.roles import MANAGE_OWN_PRODUCTS, user_reads_every_product
from apikeys.models import ApiKeyScope
from apikeys.permissions import requires_key_scope
from core.period_query import DEFAULT_PERIOD_DAYS, period_parameters
from core.skus import SKU_MAX_LENGTH
from core.strict_numbers import DB_ID_MAX
from products.access import products_readable_by
from products.models import Product
from topics.api.filters import TopicFigureQuery
from topics.api.serializers import TopicMonthSerializer
from topics.figures import TopicMonth, period_months, topic_months
from topics.selectors import month_bounds, topic_tallies

MONTH_EXAMPLE = {
    "month": "2026-03",
    "tagged_reviews": 40,
    "topics": [
        {"topic": "delivery", "label": "Delivery", "reviews": 12, "share": 30.0, "average_rating": 2.75, "negated": 1},
        {
            "topic": "quality",
            "label": "Quality and durability",
            "reviews": 9,
            "share": 22.5,
            "average_rating": 3.89,
            "negated": 2,
        },
    ],
}


class TopicFiguresReader(permissions.BasePermission):
    """The key's owner reads topic figures: a company reader, quality director or product manager."""

    message = gettext_lazy(
        "Only the keys of company readers, quality directors and product managers can read topic figures."
    )

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user.is_authenticated and (user_reads_every_product(user) or user.has_perm(MANAGE_OWN_PRODUCTS)))


def topic_figure_products(user: User, *, sku: str | None) -> QuerySet[Any, int] | None:
    """The ids of the products whose figures ``user`` reads (of the SKU ``sku`` only, when
    given); None for every product (no condition for the database to check)."""
    readable: QuerySet[Product] | None = None if user_reads_every_product(user) else products_readable_by(user)
    if sku is not None:
        readable = (readable if readable is not None else Product.objects.all()).filter(sku=sku)
    return None if readable is None else readable.values_list("pk", flat=True)


FILTER_PARAMETERS = [
    OpenApiParameter(
        "product",
        {"type": "string", "minLength": 1, "maxLength": SKU_MAX_LENGTH},
        description="A product's SKU: its figures only (none of the key's products: months without tagged reviews).",
    ),
    OpenApiParameter(
        "category",
        {"type": "integer", "minimum": 1, "maximum": DB_ID_MAX},
        description="A category's id: its products' figures only.",
    ),
]


class TopicFigureViewSet(viewsets.GenericViewSet):
    serializer_class = TopicMonthSerializer
    # Keys holding `topics` only, whatever the method (not the API's read/write default).
    permission_classes = [requires_key_scope(ApiKeyScope.TOPICS), TopicFiguresReader]
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Topic figures per month: share of reviews per topic and their average rating",
        description=(
            "For the counted reviews published from `from` to `to` (days in the shop's time zone; by default the "
            f"{DEFAULT_PERIOD_DAYS} days through today), one row per month of the period, in calendar order, "
            "months without reviews included (a month cut by the period counts its days in the period only): "
            "`tagged_reviews`, the reviews carrying at least one topic; then every topic, in a fixed order, "
            "with `reviews` (tagged with it), `share` (those per tagged review, in percent with one decimal; "
            "a review may speak of several topics, so a month's shares may add up to more than 100), "
            "`average_rating` (their mean rating, two decimals) and `negated` (of those, the reviews where the "
            'topic followed a negation, e.g. "not comfortable"). Shares and averages are null when undefined. '
            "`product` (a SKU) and `category` (an id) narrow the figures. No review, author or text is ever in "
            "the answer. Needs an API key holding the `topics` scope (401 without credentials; 403 for a "
            "signed-in session or a key without the scope); the key reads what its owner may: a company "
            "reader's or a quality director's every product, a product manager's the products they manage, "
            "anyone else's nothing (403)."
        ),
        parameters=[*period_parameters(("month",))[1:], *FILTER_PARAMETERS],
        examples=[OpenApiExample("A month", value=MONTH_EXAMPLE, response_only=True, status_codes=["200"])],
    )
    def list(self, request: Request) -> Response:
        query = TopicFigureQuery(request.query_params, today=timezone.localdate())
        if not query.is_valid():
            raise serializers.ValidationError(query.field_errors())
        first, last = query.cleaned_data["first"], query.cleaned_data["last"]
        sku = query.cleaned_data["product"] or None
        product_ids = topic_figure_products(request.user, sku=sku)  # type: ignore[arg-type]  # signed in
        months = period_months(first, last)
        topics, tagged = topic_tallies(
            product_ids=product_ids, bounds=month_bounds(months), category_id=query.cleaned_data["category"]
        )
        rows = topic_months(months=months, topics=topics, tagged=tagged)
        # DRF's paginators page any sequence; its stubs only say querysets.
        page: list[TopicMonth] | None = self.paginate_queryset(rows)  # type: ignore[arg-type]
        if page is None:
            return Response(self.get_serializer(rows, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
