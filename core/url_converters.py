"""The URL converter of a product's SKU, and reversing a SKU's URL without ever raising.

Every URL pattern that takes a SKU matches it with ``<sku:...>`` (the rule of core.skus),
so a request naming an invalid SKU is a 404, and reversing a URL for a stored SKU that
breaks the rule (a legacy product) raises NoReverseMatch: pages that list products ask
:func:`sku_reverse`, which answers ``None`` instead, and show that product unlinked.
"""

from __future__ import annotations

from typing import Any

from django.urls import register_converter, reverse

from core.skus import SKU_URL_PATTERN, is_valid_sku

__all__ = ["SKU_CONVERTER_NAME", "SkuConverter", "register_sku_converter", "sku_reverse"]

SKU_CONVERTER_NAME = "sku"


class SkuConverter:
    """``<sku:sku>``: a SKU by the one rule; the value stays a string."""

    regex = SKU_URL_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def register_sku_converter() -> None:
    """Called once, by CoreConfig.ready(), before any URLconf is imported."""
    register_converter(SkuConverter, SKU_CONVERTER_NAME)


def sku_reverse(viewname: str, *, sku: str, **kwargs: Any) -> str | None:
    """The path of ``viewname`` for ``sku`` (and other URL ``kwargs``), or ``None`` when the
    SKU breaks the rule: such a product has no URL, and a page listing it must not fail."""
    if not is_valid_sku(sku):
        return None
    return reverse(viewname, kwargs={"sku": sku, **kwargs})
