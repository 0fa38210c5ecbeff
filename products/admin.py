from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.skus import is_valid_sku

from .models import Category, Product, ProductImage


# TranslationAdmin shows each translated field once per language ("name [en]", "name [fr]",
# products/translation.py). Not its tabbed variant: that loads jQuery UI from a CDN, which
# the Content-Security-Policy refuses (and an offline machine cannot reach).
@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    # Every language's column: modeltranslation would narrow "name" to the active one.
    search_fields = ("name_en", "name_fr")


class ProductImageInline(admin.TabularInline):
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

    @admin.display(boolean=True, description=_("valid SKU"))
    def sku_is_valid(self, product: Product) -> bool:
        return is_valid_sku(product.sku)
