"""Customers, orders and invitations in the admin: read-only, and never a customer's address.

A customer shows as "customer #id" with a masked address (Customer.masked_email); the
search box finds a customer by their exact address (case-insensitive) without showing it,
so an erasure request can be served: find, then "Erase selected customers". Orders and
invitations change only through orders.services (the API, the import, the sweep).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from orders.models import Customer, Invitation, Order, OrderLine
from orders.services import customers_erase


class ReadOnlyAdmin(admin.ModelAdmin):
    """Every field read-only; no adding or deleting here (services keep the rules)."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.get_fields(request, obj)]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "masked_email", "name", "language", "unsubscribed_at", "erased_at", "created_at")
    list_filter = (
        "language",
        ("unsubscribed_at", admin.EmptyFieldListFilter),
        ("erased_at", admin.EmptyFieldListFilter),
    )
    # Never `email`: the form and the list show the masked address only.
    fields = ("masked_email", "name", "language", "unsubscribed_at", "erased_at", "created_at")
    actions = ["erase_selected"]
    search_help_text = gettext_lazy("The customer's exact email address (not shown), or their number.")
    # Declared so that the admin shows its search box; get_search_results does the search.
    search_fields = ("pk",)

    @admin.display(description=gettext_lazy("email address"))
    def masked_email(self, customer: Customer) -> str:
        return customer.masked_email

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Customer], search_term: str
    ) -> tuple[QuerySet[Customer], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        if "@" in term:
            return queryset.filter(pk__in=Customer.objects.with_email(term).values("pk")), False
        number = term.removeprefix("customer").strip().lstrip("#")
        return (queryset.filter(pk=int(number)) if number.isascii() and number.isdigit() else queryset.none()), False

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("orders.change_customer"))

    @admin.action(
        description=gettext_lazy("Erase selected customers (address and name, for good)"), permissions=["erase"]
    )
    def erase_selected(self, request: HttpRequest, queryset: QuerySet[Customer]) -> None:
        with transaction.atomic():
            count = customers_erase(list(queryset.values_list("pk", flat=True)))
        message = ngettext("%(count)d customer erased.", "%(count)d customers erased.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    fields = ("product", "quantity", "link_opened_at", "reviewed_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("order_id", "status", "customer", "purchased_at", "delivered_at", "source", "anonymised_at")
    list_filter = ("source", ("delivered_at", admin.EmptyFieldListFilter), ("refunded_at", admin.EmptyFieldListFilter))
    list_select_related = ("customer",)
    search_fields = ("order_id",)
    date_hierarchy = "purchased_at"
    fields = (
        "order_id",
        "customer",
        "purchased_at",
        "delivered_at",
        "cancelled_at",
        "refunded_at",
        "anonymised_at",
        "source",
        "received_at",
        "updated_at",
    )
    inlines = [OrderLineInline]

    @admin.display(description=gettext_lazy("status"))
    def status(self, order: Order) -> str:
        return str(order.status)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("order", "kind", "customer", "sent_at")
    list_filter = ("kind",)
    list_select_related = ("order", "customer")
    search_fields = ("order__order_id",)
    fields = ("order", "kind", "customer", "lines", "sent_at")
