"""Admin: the gate's history is read-only here (services write it); a notice can be assigned."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.read_only_admin import ReadOnlyAdmin
from gate.models import GateClock, GateEvent, Improvement, ImprovementRequest, WithdrawalNotice


@admin.register(GateEvent)
class GateEventAdmin(ReadOnlyAdmin):
    list_display = ("day", "product", "kind", "average", "count", "improvement", "created_at")
    list_filter = ("kind",)
    search_fields = ("product__sku", "product__name")
    date_hierarchy = "day"
    list_select_related = ("product", "improvement")
    readonly_fields = ("product", "day", "kind", "average", "count", "improvement", "policy", "created_at")


@admin.register(Improvement)
class ImprovementAdmin(ReadOnlyAdmin):
    """Logged through the desk (improvement_log), which evaluates and writes the event;
    imported history through `manage.py import_improvements`."""

    list_display = ("product", "revision", "logged_at", "day", "logged_by", "source", "external_id")
    list_filter = ("source",)
    # The importer's own id (CSV `improvement_id`): how an import row is found again.
    search_fields = ("product__sku", "product__name", "description", "public_note", "external_id")
    date_hierarchy = "logged_at"
    list_select_related = ("product", "logged_by")
    readonly_fields = (
        "product",
        "revision",
        "logged_at",
        "day",
        "logged_by",
        "source",
        "external_id",
        "description",
        "public_note",
        "addressed_phrases",
        "created_at",
    )


@admin.register(ImprovementRequest)
class ImprovementRequestAdmin(ReadOnlyAdmin):
    """Improvements waiting for (or given) a quality director's sign-off. Decided only
    through gate.services.approvals (the desk or the API), which starts the revision and
    emails the manager: an edit here would do neither."""

    list_display = ("product", "state", "requested_by", "requested_at", "decided_by", "decided_at", "improvement")
    list_filter = ("state",)
    search_fields = ("product__sku", "product__name", "description", "rejection_reason")
    date_hierarchy = "requested_at"
    list_select_related = ("product", "requested_by", "decided_by", "improvement")
    readonly_fields = (
        "product",
        "state",
        "requested_by",
        "requested_at",
        "description",
        "public_note",
        "addressed_phrases",
        "decided_by",
        "decided_at",
        "rejection_reason",
        "improvement",
    )


@admin.register(WithdrawalNotice)
class WithdrawalNoticeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("product", "state", "opened_on", "deadline", "assigned_to", "acknowledged_at", "closed_at")
    list_filter = ("state",)
    search_fields = ("product__sku", "product__name")
    date_hierarchy = "opened_on"
    list_select_related = ("product", "assigned_to")
    autocomplete_fields = ("assigned_to",)  # by name (UserAdmin.search_fields), not by id
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
class GateClockAdmin(ReadOnlyAdmin):
    list_display = ("last_evaluated_day", "updated_at")
    readonly_fields = ("last_evaluated_day", "policy", "updated_at")
