"""Who may call what: a key's scopes, and the roles of accounts.roles.

A request authenticated by an API key (`request.auth` is an ApiKey) is checked against the
key's scopes (apikeys.models.ApiKeyScope) in one of two ways:

* **By method**, the API's default (`ApiKeyScopePermission`, in REST_FRAMEWORK's
  DEFAULT_PERMISSION_CLASSES, and listed by the views that set their own
  `permission_classes`): a safe method (GET, HEAD, OPTIONS) needs `read`, any other method
  `write`. A key holding `write` but not `read` can write but not read. Callers without a
  key (anonymous, a signed-in session) are not its business: IsAuthenticatedOrReadOnly and
  the view's role checks decide for them.

* **By endpoint**: an endpoint reserved to integrations holding one scope (the orders API,
  scope `orders`) declares it *instead of* the defaults::

      from apikeys.models import ApiKeyScope
      from apikeys.permissions import requires_key_scope

      class OrderViewSet(...):
          permission_classes = [requires_key_scope(ApiKeyScope.ORDERS)]

  Every method then needs that scope, and only that one (`read` and `write` play no
  part); only API keys may call it: no credentials is a 401, a signed-in session a 403.
  Role checks the endpoint also needs go after it in the list. Leaving the default
  permission in the list as well would add the read/write rule on top: don't.

Refusals are 403s whose message names the missing scope.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from accounts.roles import MANAGE_OWN_PRODUCTS, user_is_quality_director
from apikeys.models import ApiKey, ApiKeyScope


def missing_scope_message(scope: str) -> str:
    return gettext("This API key lacks the `%(scope)s` scope: ask an administrator for a key that holds it.") % {
        "scope": scope
    }


class ApiKeyScopePermission(permissions.BasePermission):
    """By method: reading needs `read`, writing `write` (see the module's docstring)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not isinstance(request.auth, ApiKey):
            return True
        needed = ApiKeyScope.READ if request.method in permissions.SAFE_METHODS else ApiKeyScope.WRITE
        if request.auth.has_scope(needed):
            return True
        self.message = missing_scope_message(needed)
        return False


class KeyHasScope(permissions.BasePermission):
    """By endpoint: only an API key holding `required_scope`, whatever the method. Made by
    requires_key_scope (see the module's docstring)."""

    required_scope: str = ""

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ApiKey):
            if request.auth.has_scope(self.required_scope):
                return True
            self.message = missing_scope_message(self.required_scope)
            return False
        # Anonymous callers get DRF's 401 (with WWW-Authenticate) from this refusal.
        self.message = gettext(
            "This endpoint is for API keys holding the `%(scope)s` scope: a signed-in session cannot use it."
        ) % {"scope": self.required_scope}
        return False


def requires_key_scope(scope: str) -> type[KeyHasScope]:
    """The permission class of an endpoint reserved to keys holding ``scope`` (one class per
    scope, whether it is named by its ApiKeyScope member or its string)."""
    if scope not in ApiKeyScope.values:
        raise ValueError(f"unknown API key scope {scope!r}; known: {', '.join(ApiKeyScope.values)}")
    return _key_has_scope(str(ApiKeyScope(scope).value))


@cache
def _key_has_scope(scope: str) -> type[KeyHasScope]:
    return type(f"KeyHasScope_{scope}", (KeyHasScope,), {"required_scope": scope, "__module__": __name__})


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
