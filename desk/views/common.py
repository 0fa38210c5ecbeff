"""What every desk page shares: who may enter, the acting user, the page's frame (title
and navigation) and numbers as the active language writes them."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import (
    MANAGE_ALL_PRODUCTS,
    MANAGE_OWN_PRODUCTS,
    user_can_moderate,
    user_handles_care_cases,
    user_is_quality_director,
)
from core.errors import DomainError
from desk.approvals import improvement_requests_waiting
from desk.selectors.care import user_reads_care_cases

View = Callable[..., HttpResponse]


def can_manage(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.has_perm(MANAGE_OWN_PRODUCTS) or user.has_perm(MANAGE_ALL_PRODUCTS)))


def is_desk_user(user: User | AnonymousUser) -> bool:
    """Anyone the desk has a page for: product managers, quality directors, moderators,
    customer care staff."""
    return can_manage(user) or user_can_moderate(user) or user_handles_care_cases(user)


def desk_home_url(user: User | AnonymousUser) -> str:
    """Where the desk's home sends someone who manages no product: their queue."""
    return reverse("desk:moderation" if user_can_moderate(user) else "desk:care_queue")


def signed_in(view: View, allowed: Callable[[User | AnonymousUser], bool]) -> View:
    """``view`` for signed-in users that ``allowed`` lets in (others: sign in, or 403)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not allowed(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def manager_required(view: View) -> View:
    """Product managers and quality directors."""
    return signed_in(view, can_manage)


def moderator_required(view: View) -> View:
    return signed_in(view, user_can_moderate)


def desk_title(user: User | AnonymousUser) -> str:
    """The desk's name as this user's roles make it: the widest role they hold names it.

    Managing products outranks moderating (a product manager who also moderates still
    mostly works on their products, and the navigation lists the queue anyway)."""
    if user_is_quality_director(user):
        return _("Quality director's desk")
    if can_manage(user):
        return _("Product manager's desk")
    if user_handles_care_cases(user):
        return _("Customer care desk")
    if user_can_moderate(user):
        return _("Moderation desk")
    return _("Desk")


def render_desk(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """A desk page, with the navigation the user's roles call for."""
    context.setdefault("desk_can_manage", can_manage(request.user))
    context.setdefault("desk_can_moderate", user_can_moderate(request.user))
    # Care staff work the cases; managers and quality directors read their products' cases.
    context.setdefault("desk_reads_care", user_reads_care_cases(request.user))
    # A quality director acts on every product: "My products" would be wrong for them.
    context.setdefault("desk_all_products", user_is_quality_director(request.user))
    context.setdefault("desk_title", desk_title(request.user))
    context.setdefault("desk_improvements_waiting", improvement_requests_waiting(user=request.user))
    return render(request, template, context, status=status)


def refused(request: HttpRequest, error: DomainError, *, back_url: str) -> HttpResponse:
    """The page saying why an action was refused, with a way back."""
    return render_desk(
        request, "desk/refused.html", {"message": error.message, "back_url": back_url}, error.http_status
    )


def number_text(value: Any) -> str:
    """A number as the active language writes it, without trailing zeros (3, 2.75 / 2,75)."""
    decimal = Decimal(str(value))
    if decimal == decimal.to_integral_value():
        return str(int(decimal))
    return number_format(decimal.normalize(), use_l10n=True)
