"""Catalogue endpoints: products with their rating summary and gate state, and the
ratings feed for syndication. Public (anonymous reads are throttled per IP)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet, Subquery
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from core.api_http import CONDITIONAL_PARAMETERS, NOT_MODIFIED, ConditionalGetMixin, UpdatedAtCursorPagination
from core.skus import SKU_URL_PATTERN
from products.api.cached import PageRowsCachedListMixin, VersionCachedRetrieveMixin
from products.api.filters import ProductFilter, RatingFeedFilter
from products.api.selectors import latest_updated_at, product_list_api, product_ratings_feed
from products.api.serializers import ProductDataSerializer, ProductSerializer, RatingFeedItemSerializer
from products.models import Product

PRODUCT_EXAMPLE = {
    "sku": "B000123",
    "name": "Trail running shoe TR500",
    "brand": "Kalenji",
    "category": {"slug": "running-shoes", "name": "Running shoes"},
    "image_url": "",
    "on_sale": True,
    "gate": {"state": "flagged", "flagged_on": "2026-03-01", "withdrawal_deadline": "2026-03-31", "withdrawn_on": None},
    "revision": 1,
    "revision_started_at": "2025-11-02T09:30:00+01:00",
    "rating": {
        "current": {"average": 2.6129, "count": 31, "histogram": {"1": 9, "2": 6, "3": 7, "4": 5, "5": 4}},
        "all_time": {"average": 3.4, "count": 80, "histogram": {"1": 12, "2": 8, "3": 15, "4": 20, "5": 25}},
    },
    "updated_at": "2026-03-01T00:10:04.512000+01:00",
}
RATING_EXAMPLE = {
    "sku": "B000123",
    "gate_state": "withdrawn",
    "on_sale": False,
    "revision": 1,
    "average": 2.6129,
    "count": 31,
    "all_time_average": 3.4,
    "all_time_count": 80,
    "updated_at": "2026-03-31T00:10:02.104000+02:00",
}


@extend_schema_view(
    list=extend_schema(
        summary="List products with their rating summary and gate state",
        parameters=CONDITIONAL_PARAMETERS,
        responses={200: ProductSerializer(many=True), 304: NOT_MODIFIED},
        examples=[OpenApiExample("A product", value=PRODUCT_EXAMPLE, response_only=True, status_codes=["200"])],
    ),
    retrieve=extend_schema(
        summary="One product, by SKU",
        parameters=CONDITIONAL_PARAMETERS,
        responses={200: ProductSerializer, 304: NOT_MODIFIED},
        examples=[OpenApiExample("A flagged product", value=PRODUCT_EXAMPLE, response_only=True, status_codes=["200"])],
    ),
)
class ProductViewSet(VersionCachedRetrieveMixin, ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """Rating figures of the current revision (what the gate and the product page use) and
    of all time, the gate state, and whether the product is on sale."""

    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    lookup_field = "sku"
    # The one SKU rule (DRF's default `[^/.]+` would refuse a valid SKU such as `a.b`).
    lookup_value_regex = SKU_URL_PATTERN

    def get_queryset(self) -> QuerySet[Product]:
        return product_list_api()

    def get_serializer_class(self) -> type[BaseSerializer]:
        # Responses are built as plain data (ProductDataSerializer: the same JSON, without a
        # field object per row); the schema is described by ProductSerializer (extend_schema
        # above), and schema generation, which builds a fake view, keeps it too.
        if getattr(self, "swagger_fake_view", False):
            return ProductSerializer
        return ProductDataSerializer

    def last_modified(self, request: Request, response: Response) -> datetime | None:
        if self.action == "retrieve":
            return self.cached_updated_at or self._object.updated_at
        return latest_updated_at(Product.objects.all())

    def get_object(self) -> Product:
        self._object: Product = super().get_object()
        return self._object


@extend_schema_view(
    list=extend_schema(
        summary="Feed of every product's rating figures, for syncing",
        description=(
            "Cursor-paginated in (updated_at, id) order: follow `next` until it is null, keep the "
            "largest `updated_at` you received, and next time pass it as `updated_since` (inclusive: "
            "expect the boundary rows again). A product that changes while you page moves to the end "
            "of the feed and is served again with its new figures. Changes of the last few seconds "
            "appear on the next call."
        ),
        parameters=CONDITIONAL_PARAMETERS,
        responses={200: RatingFeedItemSerializer(many=True), 304: NOT_MODIFIED},
        examples=[
            OpenApiExample("A withdrawn product", value=RATING_EXAMPLE, response_only=True, status_codes=["200"])
        ],
    ),
)
class RatingFeedViewSet(PageRowsCachedListMixin, ConditionalGetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = RatingFeedItemSerializer
    filterset_class = RatingFeedFilter
    pagination_class = UpdatedAtCursorPagination

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # One clock reading, so the rows served and their Last-Modified agree.
        self.now = timezone.now()

    def get_queryset(self) -> QuerySet[Product]:
        # Schema generation builds the view without a request, hence without `now`.
        return product_ratings_feed(now=getattr(self, "now", None))

    def list_last_modified_expression(self) -> Subquery:
        latest = product_ratings_feed(now=self.now).order_by("-updated_at").values("updated_at")[:1]
        return Subquery(latest)

    def last_modified(self, request: Request, response: Response) -> datetime | None:
        # Of the settled rows only: a row that settles later raises it, so a 304 is never stale.
        if self.list_last_modified_read:  # read with the page's key (products.api.cached)
            return self.list_last_modified
        return latest_updated_at(product_ratings_feed(now=self.now))
