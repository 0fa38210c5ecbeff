from __future__ import annotations

from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    """The shopper's pages that bring every part together: the catalogue, the product page
    (ratings, reviews, the gate's public status) and the transparency page."""

    name = "storefront"
    verbose_name = "Shopper's site"
