from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from core.skus import is_valid_sku

from .models import Category, Product, ProductImage
from .page_version import category_page_versions_bump, page_version_bump


# TranslationAdmin shows each translated field once per language ("name [en]", "name [fr]",
# products/translation.py). Not its tabbed variant: that loads jQuery UI from a CDN, which
# the Content-Security-Policy refuses (and an offline machine cannot reach).
@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    # Every language's column: modeltranslation would narrow "name" to the active one.
    search_fields = ("name_en", "name_fr")

    def save_model(self, request: HttpRequest, obj: Category, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Its name (in every language) is on its products' pages: products.page_version.
        category_page_versions_bump(obj.pk)


class ProductImageInline(TranslationTabularInline):
    """The product's pictures, in position order (the first is the catalogue card's).
    Staff uploads: Django's ImageField checks each is an image Pillow can open."""

    model = ProductImage
    fields = ("image", "alt_text", "position", "width", "height")
    readonly_fields = ("width", "height")
    extra = 1


@admin.register(Product)
class ProductAdmin(TranslationAdmin):
    inlines = (ProductImageInline,)
    # The form checks the SKU rule through the model field's validator (products.models.
    # validate_sku); "valid SKU" points out legacy products stored before it, to rename.
    list_display = (
        "sku",
        "sku_is_valid",
        "name",
        "category",
        "brand",
        "on_sale",
        "current_average",
        "current_count",
        "revision",
    )
    list_filter = ("on_sale", "category", "brand")
    search_fields = ("sku", "name_en", "name_fr", "brand")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("managers",)
    readonly_fields = (
        "on_sale",
        "revision",
        "revision_started_at",
        "current_count",
        "current_sum",
        "current_average",
        "all_time_count",
        "all_time_sum",
        "created_at",
        "updated_at",
    )
    list_select_related = ("category",)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """After the product and its pictures are saved (the admin's one transaction): what
        its page shows changed, names and translations included (products.page_version)."""
        super().save_related(request, form, formsets, change)
        page_version_bump(form.instance.pk)

    @admin.display(boolean=True, description=_("valid SKU"))
    def sku_is_valid(self, product: Product) -> bool:
        return is_valid_sku(product.sku)
