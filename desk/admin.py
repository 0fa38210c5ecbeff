"""Admin: the audit trail and comments, read-only (only the desk's services write them)."""

from __future__ import annotations

from django.contrib import admin

from core.read_only_admin import ReadOnlyAdmin
from desk.models import AuditEntry, NoticeComment


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "product", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("actor_name", "product__sku", "product__name", "target_id")
    date_hierarchy = "at"
    list_select_related = ("product",)
    readonly_fields = ("at", "actor", "actor_name", "action", "product", "target_type", "target_id", "details")


@admin.register(NoticeComment)
class NoticeCommentAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "author_name", "notice")
    search_fields = ("author_name", "body", "notice__product__sku")
    list_select_related = ("notice",)
    readonly_fields = ("notice", "author", "author_name", "body", "created_at")
