"""Reads of the catalogue, shaped for the pages and the API."""

from __future__ import annotations

from django.db.models import QuerySet

from products.models import Product


def product_list_public() -> QuerySet[Product]:
    return Product.objects.select_related("category").order_by("name")
