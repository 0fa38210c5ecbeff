from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("reviewgate", {"fields": ("display_name", "language", "email_verified_at")}),
    )
    # A new account gets its public name and address at once: the name is required (the
    # username is never shown), the address is unique (the form says so when it is taken).
    add_fieldsets = (
        *(BaseUserAdmin.add_fieldsets or ()),
        ("reviewgate", {"classes": ("wide",), "fields": ("display_name", "email", "language")}),
    )
    list_display = ("username", "email", "email_verified_at", "display_name", "language", "is_staff")
    list_filter = ("groups", "language", "is_staff", "is_active")
    # Also what the admin's autocomplete fields search (an API key's owner, a team's members).
    search_fields = ("username", "display_name", "email", "first_name", "last_name")
