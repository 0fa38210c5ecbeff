"""Admin: quality directors register and revoke webhook endpoints; the outbox and its
delivery attempts are read-only records (the tasks own them)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import user_is_quality_director
from core.errors import DomainError
from core.read_only_admin import ReadOnlyAdmin
from notifications.models import WEBHOOK_EVENT_KINDS, DeliveryAttempt, OutboxMessage, WebhookEndpoint
from notifications.webhooks import webhook_endpoint_create, webhook_endpoint_errors, webhook_endpoint_revoke

# Where save_model leaves the new secret for response_add, for this one request only.
_SECRET_ATTR = "_notifications_webhook_secret"  # noqa: S105 (an attribute name, not a secret)


class WebhookEndpointForm(forms.ModelForm):  # type: ignore[type-arg]
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        choices=[(kind, kind) for kind in WEBHOOK_EVENT_KINDS],
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "events", "description"]

    def clean(self) -> dict[str, Any]:
        # The service's own rules (http/https only, no credentials in the URL, known events).
        data = super().clean() or {}
        errors = webhook_endpoint_errors(
            url=data.get("url") or self.data.get("url", ""),
            events=data.get("events") or [],
            description=data.get("description") or "",
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = WebhookEndpointForm
    list_display = ("url", "events", "active", "masked_secret", "created_by", "created_at", "revoked_at")
    list_filter = ("active",)
    search_fields = ("url", "description")
    actions = ["revoke_selected"]

    def get_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> list[Any]:
        if obj is None:
            return ["url", "events", "description"]
        return ["url", "events", "description", "masked_secret", "active", "created_by", "created_at", "revoked_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: WebhookEndpoint | None = None) -> list[Any]:
        if obj is None:
            return []
        # What an endpoint receives is what it was registered with: register a new one to change it.
        return self.get_fields(request, obj)

    @admin.display(description=gettext_lazy("secret"))
    def masked_secret(self, obj: WebhookEndpoint) -> str:
        return obj.secret_hint

    def has_module_permission(self, request: HttpRequest) -> bool:
        return user_is_quality_director(request.user) or super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_is_quality_director(request.user) or super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return user_is_quality_director(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Changing means revoking (the action); the fields themselves are read-only.
        return user_is_quality_director(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoke instead: deliveries keep pointing at the endpoint they went to.
        return False

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        if change:
            return
        try:
            created, secret = webhook_endpoint_create(
                url=obj.url, events=obj.events, description=obj.description, by=request.user
            )
        except DomainError as exc:
            # The form validated the same rules; this is the service's last word.
            self.message_user(request, exc.message, messages.ERROR)
            raise
        obj.pk = created.pk
        obj.secret = created.secret
        obj.events = created.events
        obj.created_by = created.created_by
        obj.created_at = created.created_at
        setattr(request, _SECRET_ATTR, secret)

    def response_add(
        self, request: HttpRequest, obj: WebhookEndpoint, post_url_continue: str | None = None
    ) -> HttpResponse:
        secret = getattr(request, _SECRET_ATTR, None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        # Shown on this page only, never through messages (a cookie) or a log.
        response = TemplateResponse(
            request,
            "admin/notifications/webhookendpoint/secret_created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "endpoint": obj,
                "secret": secret,
                "title": _("Webhook endpoint registered"),
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=gettext_lazy("Revoke selected endpoints"), permissions=["change"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        count = 0
        for endpoint in queryset.filter(revoked_at__isnull=True):
            webhook_endpoint_revoke(endpoint=endpoint, by=request.user)
            count += 1
        self.message_user(request, _("%(count)d endpoint(s) revoked.") % {"count": count}, messages.SUCCESS)


class _AttemptOutcome:
    @admin.display(description=gettext_lazy("outcome"))
    def outcome(self, attempt: DeliveryAttempt) -> str:
        # "no outcome: the worker stopped" for an attempt its killed worker never completed.
        return attempt.get_outcome_display()


class DeliveryAttemptInline(_AttemptOutcome, admin.TabularInline):  # type: ignore[type-arg]
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("number", "attempted_at", "outcome", "http_status", "duration_ms", "finished_at", "error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "channel",
        "kind",
        "status",
        "recipient",
        "endpoint",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("dedupe_key", "recipient__email", "endpoint__url")
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]
    list_select_related = ("recipient", "endpoint")


@admin.register(DeliveryAttempt)
class DeliveryAttemptAdmin(_AttemptOutcome, ReadOnlyAdmin):
    list_display = ("message", "number", "attempted_at", "outcome", "http_status", "duration_ms")
    # Succeeded "Unknown": attempts in progress, or whose worker stopped mid-send.
    list_filter = ("succeeded",)
    search_fields = ("message__dedupe_key", "error")
    list_select_related = ("message",)
