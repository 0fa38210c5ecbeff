"""The account behind a request, typed, for views that already require a signed-in user."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from rest_framework.request import Request

from accounts.models import User


def acting_user(request: HttpRequest | Request) -> User:
    """The signed-in account acting in ``request``.

    For views behind ``login_required`` (pages) or an authentication check (the API): a
    visitor never gets this far, so the refusal below is a backstop, not a path.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
