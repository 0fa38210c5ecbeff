from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apikeys.models import ApiKey
from apikeys.services import api_key_create, api_key_revoke

# Where save_model leaves the plaintext for response_add, for this one request only.
_PLAINTEXT_ATTR = "_apikeys_plaintext"


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "masked_key", "scope", "owner", "created_at", "last_used_at", "revoked_at")
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "owner__username", "owner__email")
    raw_id_fields = ("owner",)
    actions = ["revoke_selected"]
    readonly_fields = ("masked_key", "created_at", "last_used_at", "revoked_at")

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("name", "owner", "scope")
        return ("name", "masked_key", "owner", "scope", "created_at", "last_used_at", "revoked_at")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        # A key's owner and scope are what it was issued with: issue a new key to change them.
        return (*self.readonly_fields, "owner", "scope")

    @admin.display(description=gettext_lazy("key"))
    def masked_key(self, obj: ApiKey) -> str:
        return f"rg_{obj.prefix}_…"

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        created = api_key_create(name=obj.name, owner=obj.owner, scope=obj.scope)
        obj.pk = created.api_key.pk
        obj.prefix = created.api_key.prefix
        obj.hashed_secret = created.api_key.hashed_secret
        obj.created_at = created.api_key.created_at
        setattr(request, _PLAINTEXT_ATTR, created.plaintext)

    def response_add(self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None) -> HttpResponse:
        plaintext = getattr(request, _PLAINTEXT_ATTR, None)
        if plaintext is None:
            return super().response_add(request, obj, post_url_continue)
        # Shown on this page only, never through messages (a cookie) or a log.
        response = TemplateResponse(
            request,
            "admin/apikeys/apikey/key_created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "api_key": obj,
                "plaintext": plaintext,
                "title": _("API key created"),
            },
        )
        response["Cache-Control"] = "no-store"
        return response

    def has_delete_permission(self, request: HttpRequest, obj: ApiKey | None = None) -> bool:
        # Revoke instead: the row keeps the record of who had access and when.
        return False

    @admin.action(description=gettext_lazy("Revoke selected keys"), permissions=["change"])
    def revoke_selected(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        count = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            api_key_revoke(api_key=api_key)
            count += 1
        self.message_user(request, _("%(count)d key(s) revoked.") % {"count": count}, messages.SUCCESS)
