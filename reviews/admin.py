from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from core.text_limits import GroupedLengthsAdminMixin
from products.page_version import page_version_bump, page_versions_bump

from .models import BrandReply, Review, ReviewReport, ReviewStatusChange, ReviewVote


class ReviewStatusChangeInline(admin.TabularInline):
    model = ReviewStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "reason", "changed_by", "changed_at")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Review)
class ReviewAdmin(GroupedLengthsAdminMixin, admin.ModelAdmin):
    """Read-only here: status moves go through the moderation queue's services, which keep
    the product's figures and the history in step."""

    list_display = ("id", "product", "rating", "title", "author_name", "status", "language", "created_at")
    list_filter = ("status", "rating", "language", "verified_purchase", "source")
    search_fields = ("title", "body", "author_name", "product__sku")
    list_select_related = ("product",)
    raw_id_fields = ("product",)
    autocomplete_fields = ("author",)  # people by name (UserAdmin.search_fields), not by id
    inlines = [ReviewStatusChangeInline]

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ReviewReport)
class ReviewReportAdmin(GroupedLengthsAdminMixin, admin.ModelAdmin):
    list_display = ("review", "photo", "reason", "reporter", "created_at", "handled_at")
    list_filter = ("reason", "handled_at")
    raw_id_fields = ("review", "photo")
    autocomplete_fields = ("reporter", "handled_by")


@admin.register(ReviewVote)
class ReviewVoteAdmin(admin.ModelAdmin):
    list_display = ("review", "voter", "helpful", "created_at")
    raw_id_fields = ("review",)
    autocomplete_fields = ("voter",)


@admin.register(BrandReply)
class BrandReplyAdmin(GroupedLengthsAdminMixin, admin.ModelAdmin):
    list_display = ("review", "author", "created_at")
    raw_id_fields = ("review",)
    autocomplete_fields = ("author",)

    # A reply is on its product's public page: an edit or deletion here raises the page's
    # version in its transaction, as reviews.reactions.brand_reply_post does.
    def save_model(self, request: HttpRequest, obj: BrandReply, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        page_version_bump(obj.review.product_id)

    def delete_model(self, request: HttpRequest, obj: BrandReply) -> None:
        product_id = obj.review.product_id
        super().delete_model(request, obj)
        page_version_bump(product_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[BrandReply]) -> None:
        product_ids = list(queryset.values_list("review__product_id", flat=True))
        super().delete_queryset(request, queryset)
        page_versions_bump(product_ids)
