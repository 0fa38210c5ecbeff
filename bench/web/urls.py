"""The project's URLs, and under /bench/baseline/ the minimal views the bench compares with."""

from __future__ import annotations

from django.urls import include, path

from bench.web import baseline
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("bench/baseline/json/", baseline.bare_json),
    path("bench/baseline/products/", baseline.ProductList.as_view()),
    path("bench/baseline/products/<str:sku>/", baseline.product_page),
    path("bench/baseline/products/<str:sku>/reviews/", baseline.ReviewInsert.as_view()),
    path("", include("config.urls")),
]
