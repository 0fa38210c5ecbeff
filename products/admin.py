from __future__ import annotations

from django.contrib import admin

from .models import Category, Product


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ("sku", "name", "category", "brand", "on_sale", "current_average", "current_count", "revision")
    list_filter = ("on_sale", "category", "brand")
    search_fields = ("sku", "name", "brand")
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
