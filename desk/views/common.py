"""What every desk page shares: who may enter, the acting user, the page's frame (title
and navigation) and numbers as the active language writes them.

Reading is not acting: company readers (accounts.roles.COMPANY_READER) enter the pages that
read products (reader_required: the product list, a product's reviews, the key figures)
and no page or action that changes anything (manager_required: every POST route refuses
them with 403). Pages hide their action forms from them (``desk_can_act``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    user_reads_every_product,
)
from core.errors import DomainError
from desk.approvals import improvement_requests_waiting
from desk.selectors.care import user_reads_care_cases

View = Callable[..., HttpResponse]


def can_manage(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and (user.has_perm(MANAGE_OWN_PRODUCTS) or user.has_perm(MANAGE_ALL_PRODUCTS)))


def can_read_products(user: User | AnonymousUser) -> bool:
    """Who reads products on the desk: those who manage some, and company readers (who
    read every product and act on none: products.access.products_readable_by)."""
    return can_manage(user) or user_reads_every_product(user)


def is_desk_user(user: User | AnonymousUser) -> bool:
    """Anyone the desk has a page for: product managers, quality directors, moderators,
    customer care staff, company readers."""
    return can_read_products(user) or user_can_moderate(user) or user_handles_care_cases(user)


def desk_home_url(user: User | AnonymousUser) -> str:
    """Where the desk's home sends someone who manages no product: their queue, or for a
    company reader the products they read."""
    if user_can_moderate(user):
        return reverse("desk:moderation")
    if user_handles_care_cases(user):
        return reverse("desk:care_queue")
    return reverse("desk:products")


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


def page_with_forms(page: View, actions: Mapping[str, View]) -> View:
    """A desk page whose forms post to the page's own address, as a Django form view does.

    A refused submission (a form with errors, a refusal) is then shown at the address of the
    page it was sent from, not at an action's: reloading, bookmarking or sharing it opens the
    page. Each form names its action in a hidden ``form`` field; the action view keeps its own
    checks (who may act, POST only) and redirects to the page after success, with a message.
    A POST without a known ``form`` goes to the page itself, which answers as it always did.
    The actions' own addresses stay (scripts and tests post there), but no page uses them."""

    @wraps(page)
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        action = actions.get(request.POST.get("form", "")) if request.method == "POST" else None
        # No known form: the page answers as before (sign in, 403, or 405 to a POST).
        return (action or page)(request, *args, **kwargs)

    return view


def manager_required(view: View) -> View:
    """Product managers and quality directors: the pages and actions that act on products."""
    return signed_in(view, can_manage)


def reader_required(view: View) -> View:
    """Product managers, quality directors and company readers: the pages that only read
    products (each reads within products.access.products_readable_by)."""
    return signed_in(view, can_read_products)


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
    if user_reads_every_product(user):
        return _("Company reader's desk")
    return _("Desk")


def render_desk(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """A desk page, with the navigation the user's roles call for."""
    context.setdefault("desk_can_manage", can_manage(request.user))
    # Company readers read the products' pages; only those who act see the action forms.
    context.setdefault("desk_reads_products", can_read_products(request.user))
    context.setdefault("desk_can_act", can_manage(request.user))
    context.setdefault("desk_can_moderate", user_can_moderate(request.user))
    # Care staff work the cases; managers and quality directors read their products' cases.
    context.setdefault("desk_reads_care", user_reads_care_cases(request.user))
    # Quality directors and company readers see every product: "My products" would be wrong.
    context.setdefault("desk_all_products", user_reads_every_product(request.user))
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
