"""Who bought what: customers, their orders, and the review invitations sent about them.

A customer's email address is personal data. It is stored once, here (the outbox row of an
invitation names the invitation, and the worker reads the address at delivery), shown on
no page of the site or the desk, erased on request (orders.services.customer_erase), and
cut from orders older than ORDER_RETENTION_DAYS (orders.services.orders_anonymise_expired).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from products.models import Product

ORDER_ID_MAX_LENGTH = 100
CUSTOMER_NAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254


class CustomerQuerySet(models.QuerySet["Customer"]):
    def with_email(self, email: str) -> CustomerQuerySet:
        """The customer with this address, case-insensitively, through the unique index on
        Lower("email") (``email__iexact`` compares UPPER() and cannot use it)."""
        wanted = email.strip().lower()
        if not wanted:
            return self.none()
        # ~Q(email="") repeats the index's condition, so the planner may use the partial index.
        return self.annotate(email_lower=Lower("email")).filter(email_lower=wanted).exclude(email="")


class Customer(models.Model):
    """A buyer the shop told us about, with or without an account on the site."""

    email = models.CharField(_("email address"), max_length=EMAIL_MAX_LENGTH, blank=True)
    name = models.CharField(_("name"), max_length=CUSTOMER_NAME_MAX_LENGTH, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    # Honoured at once: an invitation already in the outbox sends nothing after this is set.
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    # A guest's "no more thanks emails" (care.thanks), from the link in a thanks email.
    thanks_unsubscribed_at = models.DateTimeField(_("thanks emails turned off at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="orders_customer_email_unique_ci"),
            # An erased customer keeps no address and no name; any other has an address.
            models.CheckConstraint(
                condition=(Q(erased_at__isnull=True) & ~Q(email=""))
                | (Q(erased_at__isnull=False) & Q(email="") & Q(name="")),
                name="orders_customer_erased_has_no_personal_data",
            ),
        ]

    def __str__(self) -> str:
        # Never the address: the admin and logs show this.
        return f"customer #{self.pk}"

    @property
    def masked_email(self) -> str:
        """Enough to recognise an address on the phone with its owner, never the address."""
        if not self.email:
            return ""
        local, _at, domain = self.email.partition("@")
        return f"{local[:1]}…@{domain[:1]}…" if domain else f"{local[:1]}…"


class OrderSource(models.TextChoices):
    API = "api", _("Sent through the API")
    IMPORT = "import", _("Imported from a file")
    DEMO = "demo", _("Demo data")


class Order(models.Model):
    order_id = models.CharField(_("order id"), max_length=ORDER_ID_MAX_LENGTH, unique=True)
    # Null once anonymised (past ORDER_RETENTION_DAYS) or when its customer was erased.
    customer = models.ForeignKey(
        Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders", verbose_name=_("customer")
    )
    purchased_at = models.DateTimeField(_("purchased at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=OrderSource.choices, default=OrderSource.API)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-purchased_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            # The invitation sweep: delivered orders not cancelled or refunded, by delivery.
            models.Index(
                fields=["delivered_at"],
                condition=Q(delivered_at__isnull=False, cancelled_at__isnull=True, refunded_at__isnull=True),
                name="orders_order_invitable",
            ),
            models.Index(fields=["purchased_at"], name="orders_order_purchased"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(order_id=""), name="orders_order_id_present"),
            models.CheckConstraint(
                condition=Q(delivered_at__isnull=True) | Q(delivered_at__gte=F("purchased_at")),
                name="orders_order_delivered_after_purchase",
            ),
            # A delivered order is refunded, not cancelled; only a delivered one is refunded.
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | (Q(delivered_at__isnull=True) & Q(refunded_at__isnull=True)),
                name="orders_order_cancelled_not_delivered",
            ),
            models.CheckConstraint(
                condition=Q(refunded_at__isnull=True) | Q(delivered_at__isnull=False),
                name="orders_order_refunded_was_delivered",
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True) | Q(customer__isnull=True),
                name="orders_order_anonymised_has_no_customer",
            ),
        ]

    def __str__(self) -> str:
        return self.order_id

    @property
    def status(self) -> str:
        return order_status(self)


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


def order_status(order: Order) -> str:
    if order.cancelled_at is not None:
        return OrderStatus.CANCELLED
    if order.refunded_at is not None:
        return OrderStatus.REFUNDED
    if order.delivered_at is not None:
        return OrderStatus.DELIVERED
    return OrderStatus.PLACED


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("product")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    # The figures of the invitation loop, per product: the link was opened, a review written.
    link_opened_at = models.DateTimeField(_("link first opened at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "product"], name="orders_orderline_one_per_product"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orders_orderline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.product_id}"


class InvitationKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")


class Invitation(models.Model):
    """One email asking a customer to review an order's products: the invitation, or its one
    reminder. Unique per order and kind, written in the transaction that puts the email in
    the outbox, so a repeated or restarted sweep never sends twice."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("order"))
    kind = models.CharField(_("kind"), max_length=12, choices=InvitationKind.choices)
    # The frequency caps count per customer; kept (null) when the customer is erased so the
    # figures stay.
    customer = models.ForeignKey(Customer, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations")
    lines = models.ManyToManyField(OrderLine, related_name="invitations", verbose_name=_("products asked about"))
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("review invitation")
        verbose_name_plural = _("review invitations")
        constraints = [
            models.UniqueConstraint(fields=["order", "kind"], name="orders_invitation_one_per_order_and_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=["invitation", "reminder"]), name="orders_invitation_kind_known"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "sent_at"], name="orders_invitation_caps"),
            # The desk's figures read a period of invitations (desk.selectors.invitations).
            models.Index(fields=["sent_at"], name="orders_invitation_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.order_id}"


LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)
