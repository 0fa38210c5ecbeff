"""Admin: the audit trail and comments, read-only (only the desk's services write them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from desk.models import AuditEntry, NoticeComment


class _ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(_ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "product", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("actor_name", "product__sku", "product__name", "target_id")
    date_hierarchy = "at"
    list_select_related = ("product",)
    readonly_fields = ("at", "actor", "actor_name", "action", "product", "target_type", "target_id", "details")


@admin.register(NoticeComment)
class NoticeCommentAdmin(_ReadOnlyAdmin):
    list_display = ("created_at", "author_name", "notice")
    search_fields = ("author_name", "body", "notice__product__sku")
    list_select_related = ("notice",)
    readonly_fields = ("notice", "author", "author_name", "body", "created_at")
