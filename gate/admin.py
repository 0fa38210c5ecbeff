"""Admin: the gate's history is read-only here (services write it); a notice can be assigned."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gate.models import GateClock, GateEvent, Improvement, WithdrawalNotice


class _ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Rows written only by gate.services: an edit here would bypass the engine's checks."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GateEvent)
class GateEventAdmin(_ReadOnlyAdmin):
    list_display = ("day", "product", "kind", "average", "count", "improvement", "created_at")
    list_filter = ("kind",)
    search_fields = ("product__sku", "product__name")
    date_hierarchy = "day"
    list_select_related = ("product", "improvement")
    readonly_fields = ("product", "day", "kind", "average", "count", "improvement", "policy", "created_at")


@admin.register(Improvement)
class ImprovementAdmin(_ReadOnlyAdmin):
    """Logged through the desk (improvement_log), which evaluates and writes the event;
    imported history through `manage.py import_improvements`."""

    list_display = ("product", "revision", "logged_at", "day", "logged_by", "source")
    list_filter = ("source",)
    search_fields = ("product__sku", "product__name", "description", "public_note")
    date_hierarchy = "logged_at"
    list_select_related = ("product", "logged_by")
    readonly_fields = (
        "product",
        "revision",
        "logged_at",
        "day",
        "logged_by",
        "source",
        "description",
        "public_note",
        "addressed_phrases",
        "created_at",
    )


@admin.register(WithdrawalNotice)
class WithdrawalNoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("product", "state", "opened_on", "deadline", "assigned_to", "acknowledged_at", "closed_at")
    list_filter = ("state",)
    search_fields = ("product__sku", "product__name")
    date_hierarchy = "opened_on"
    list_select_related = ("product", "assigned_to")
    raw_id_fields = ("assigned_to",)
    # Only who handles it may change here; how it ends is the engine's to record.
    fields = (
        "product",
        "state",
        "opened_on",
        "deadline",
        "flag_event",
        "assigned_to",
        "acknowledged_by",
        "acknowledged_at",
        "closed_at",
        "resolved_by",
    )
    readonly_fields = (
        "product",
        "state",
        "opened_on",
        "deadline",
        "flag_event",
        "acknowledged_by",
        "acknowledged_at",
        "closed_at",
        "resolved_by",
    )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(GateClock)
class GateClockAdmin(_ReadOnlyAdmin):
    list_display = ("last_evaluated_day", "updated_at")
    readonly_fields = ("last_evaluated_day", "policy", "updated_at")
