"""Who may call what: a key's scope, and the roles of accounts.roles."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from accounts.roles import MANAGE_OWN_PRODUCTS, user_is_quality_director
from apikeys.models import ApiKey


class ApiKeyScopePermission(permissions.BasePermission):
    """A read-only key may only read, whatever its owner may do."""

    message = _("This API key is read-only: writing needs a read_write key.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ApiKey) and request.method not in permissions.SAFE_METHODS:
            return request.auth.can_write
        return True


class IsProductManagerOrQualityDirector(permissions.BasePermission):
    """Product managers (for their own products: views narrow the queryset) and quality directors."""

    message = _("Only product managers and quality directors can use this endpoint.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(MANAGE_OWN_PRODUCTS))


class IsQualityDirector(permissions.BasePermission):
    message = _("Only quality directors can use this endpoint.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return user_is_quality_director(request.user)
