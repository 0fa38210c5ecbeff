from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apikeys.models import ApiKey, ApiKeyScope, scope_sets_holding, scopes_normalised
from apikeys.services import api_key_create, api_key_revoke

# Where save_model leaves the plaintext for response_add, for this one request only.
_PLAINTEXT_ATTR = "_apikeys_plaintext"


class ApiKeyCreationForm(forms.ModelForm):
    """A key's scopes as checkboxes (a JSONField's own widget is a text box of JSON)."""

    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=ApiKeyScope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[ApiKeyScope.READ],
        help_text=gettext_lazy("What the key may do; give it only what its integration needs."),
        error_messages={"required": gettext_lazy("Choose at least one scope.")},
    )

    class Meta:
        model = ApiKey
        fields = ("name", "owner", "scopes")

    def clean_scopes(self) -> list[str]:
        return scopes_normalised(self.cleaned_data["scopes"])


class HoldsScopeFilter(admin.SimpleListFilter):
    title = gettext_lazy("scope")
    parameter_name = "scope"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(value, value) for value in ApiKeyScope.values]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> QuerySet[ApiKey]:
        value = self.value()
        if value not in ApiKeyScope.values:
            return queryset
        return queryset.filter(scopes__in=scope_sets_holding(value))


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "masked_key", "scope_list", "owner", "created_at", "last_used_at", "revoked_at")
    list_filter = (HoldsScopeFilter, ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "owner__username", "owner__email")
    # The owner is picked by name, username or address (accounts' UserAdmin search_fields),
    # not typed as a numeric id.
    autocomplete_fields = ("owner",)
    actions = ["revoke_selected"]
    readonly_fields = ("masked_key", "created_at", "last_used_at", "revoked_at")

    def get_form(self, request: HttpRequest, obj: ApiKey | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = ApiKeyCreationForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> tuple[str, ...]:
        if obj is None:
            return ("name", "owner", "scopes")
        return ("name", "masked_key", "owner", "scope_list", "created_at", "last_used_at", "revoked_at")

    def get_readonly_fields(self, request: HttpRequest, obj: ApiKey | None = None) -> tuple[str, ...]:
        if obj is None:
            return ()
        # A key's owner and scopes are what it was issued with: issue a new key to change them.
        return (*self.readonly_fields, "owner", "scope_list")

    @admin.display(description=gettext_lazy("key"))
    def masked_key(self, obj: ApiKey) -> str:
        return f"rg_{obj.prefix}_…"

    @admin.display(description=gettext_lazy("scopes"))
    def scope_list(self, obj: ApiKey) -> str:
        return ", ".join(obj.scopes)

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        created = api_key_create(name=obj.name, owner=obj.owner, scopes=form.cleaned_data["scopes"])
        obj.pk = created.api_key.pk
        obj.prefix = created.api_key.prefix
        obj.hashed_secret = created.api_key.hashed_secret
        obj.scopes = created.api_key.scopes
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
