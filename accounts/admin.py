from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("reviewgate", {"fields": ("display_name", "language")}),
    )
    list_display = ("username", "email", "display_name", "language", "is_staff")
    list_filter = ("groups", "language", "is_staff", "is_active")
