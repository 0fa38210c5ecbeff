"""Baseline views: what plain Django and DRF do with the same data, served by the same
gunicorn in the same run. Each does the least its endpoint's job needs, idiomatically
(no caching, no hand-written SQL), so a ratio says what the site's own code costs."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from rest_framework import generics, pagination, permissions, serializers

from products.models import Product
from reviews.models import Review, ReviewStatus

LATEST_REVIEWS = 20


def bare_json(request: HttpRequest) -> JsonResponse:
    """No database, no template: the floor of a request through the site's middleware."""
    return JsonResponse({"ok": True})


def product_page(request: HttpRequest, sku: str) -> HttpResponse:
    """One product and its 20 latest published reviews, in a minimal template."""
    product = get_object_or_404(Product, sku=sku)
    reviews = Review.objects.filter(product=product, status=ReviewStatus.PUBLISHED).order_by("-created_at", "-id")[
        :LATEST_REVIEWS
    ]
    return render(request, "bench/minimal_product.html", {"product": product, "reviews": reviews})


class ProductRowSerializer(serializers.ModelSerializer[Product]):
    class Meta:
        model = Product
        fields: ClassVar[list[str]] = [
            "sku",
            "name",
            "on_sale",
            "gate_state",
            "current_count",
            "current_sum",
            "current_average",
            "all_time_count",
            "all_time_sum",
            "updated_at",
        ]


class TwentyPerPage(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


class ProductList(generics.ListAPIView[Product]):
    """The same products, in the API's order, with their stored figures."""

    queryset = Product.objects.order_by("name", "id")
    serializer_class = ProductRowSerializer
    pagination_class = TwentyPerPage
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = [permissions.AllowAny]
    throttle_classes: list[Any] = []
    filter_backends: list[Any] = []


class ReviewInputSerializer(serializers.ModelSerializer[Review]):
    class Meta:
        model = Review
        fields: ClassVar[list[str]] = ["id", "rating", "title", "body"]


class ReviewInsert(generics.CreateAPIView[Review]):
    """A published review of the product named in the path, written in one INSERT."""

    serializer_class = ReviewInputSerializer
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = [permissions.AllowAny]
    throttle_classes: list[Any] = []

    def perform_create(self, serializer: Any) -> None:
        product = get_object_or_404(Product, sku=self.kwargs["sku"])
        now = timezone.now()
        serializer.save(
            product=product,
            author_name="Bench",
            status=ReviewStatus.PUBLISHED,
            created_at=now,
            published_at=now,
        )
