"""Writing orders and customers: received, changed, erased, anonymised.

Every service validates first (field messages a shop's developer can act on), then writes
in one transaction; the database constraints (orders.models) are the backstop.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict, NotFound, ValidationFailed
from core.local_formats import number_text
from core.text_safety import validate_display_text
from notifications.models import DeliveryAttempt, OutboxMessage
from orders.emails import invitation_dedupe_key
from orders.events import AnonymisingReason, OrdersAnonymising, orders_anonymising
from orders.models import (
    CUSTOMER_NAME_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    LANGUAGE_CODES,
    Customer,
    Invitation,
    Order,
    OrderLine,
    OrderSource,
)
from orders.policy import Change, OrderTimes, Refusal, change_refusal
from products.models import Product

# An order id travels in URLs (/api/v1/orders/<order_id>/) and CSV files: the SKU's
# alphabet, longer.
ORDER_ID_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}"
_ORDER_ID = re.compile(rf"\A{ORDER_ID_PATTERN}\Z")
MAX_LINES = 200
# The addresses taken, by the API and the import alike (one rule): a dot-atom local part and
# a domain of LDH labels with a letters-only top-level label, a subset of what Django's
# EmailValidator accepts (no internationalised domain: the API's schema states this pattern).
EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_EMAIL = re.compile(EMAIL_PATTERN)
# A customer's name may greet them and default their review's display name: never an address.
NAME_PATTERN = r"^[^@\u0000]*$"
NAME_NOT_AN_ADDRESS = gettext_lazy("A name, not an email address (“@” is not allowed): it may be shown with a review.")
MAX_QUANTITY = 10_000
# An order's times come as ISO 8601 date-times with their offset (Z or +hh:mm), through the
# API and the import alike: a time without one would be read in a zone the shop did not mean.
MOMENT_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})"
_MOMENT = re.compile(MOMENT_PATTERN, re.ASCII)


def offset_moment(text: str) -> datetime | None:
    """``text`` as a UTC date-time when it is an ISO 8601 date-time with its offset, else
    None. In UTC: PostgreSQL refuses offsets beyond 15:59, which ISO 8601 allows."""
    if not _MOMENT.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except (ValueError, OverflowError):  # 2026-02-30, +24:00, or out of datetime's years
        return None


@dataclass(frozen=True)
class LineInput:
    sku: str
    quantity: int


@dataclass(frozen=True)
class OrderInput:
    order_id: str
    email: str
    name: str
    language: str
    purchased_at: datetime
    lines: tuple[LineInput, ...]
    delivered_at: datetime | None = None
    cancelled_at: datetime | None = None
    refunded_at: datetime | None = None
    source: str = OrderSource.API


@dataclass
class Received:
    order: Order
    created: bool  # False: the same order was received before and nothing changed


def order_id_problem(order_id: str) -> str | None:
    if not _ORDER_ID.match(order_id):
        return _("1 to 100 characters: ASCII letters, digits, “.”, “_” and “-”, starting with a letter or digit.")
    return None


def customer_name_problem(name: str) -> str:
    """Why a customer's name is refused, or "": its length, the display-text rule, and no
    address (a shop that sends the address as the name would see it shown on a review)."""
    try:
        if len(name) > CUSTOMER_NAME_MAX_LENGTH:
            raise ValidationError(_("At most %(max)s characters.") % {"max": number_text(CUSTOMER_NAME_MAX_LENGTH)})
        validate_display_text(name)
        if "@" in name:
            raise ValidationError(str(NAME_NOT_AN_ADDRESS))
    except ValidationError as exc:
        return " ".join(str(message) for message in exc.messages)
    return ""


def _validate(data: OrderInput) -> dict[str, Product]:
    """The order's products by SKU; else its field errors: what the API's schema refuses
    (ValidationFailed, 400), then what a rule refuses in a well-formed order (Conflict, 409)."""
    errors: dict[str, str] = {}
    problem = order_id_problem(data.order_id)
    if problem:
        errors["order_id"] = problem
    try:
        if len(data.email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(data.email)
        if not _EMAIL.match(data.email):
            raise ValidationError("outside the API's pattern")
    except ValidationError:
        errors["email"] = _("Enter a valid email address.")
    name_problem = customer_name_problem(data.name)
    if name_problem:
        errors["name"] = name_problem
    if data.language not in LANGUAGE_CODES:
        errors["language"] = _("One of: %(codes)s.") % {"codes": ", ".join(sorted(LANGUAGE_CODES))}
    products, line_error = _line_products(data.lines)
    if line_error:
        errors["lines"] = line_error
    if errors:
        raise ValidationFailed(_("The order could not be saved: please correct the fields shown."), fields=errors)
    # Well-formed orders that the rules refuse are 409s, as the API's schema accepts them (a
    # 400 is what the schema refuses): times out of the lifecycle's order (PATCH's refusal
    # too), a product on two lines, and products reviewgate does not know yet (the same
    # order succeeds once the catalogue has them).
    times_errors = _times_problems(data)
    if times_errors:
        raise Conflict(
            _("The order's times do not follow its lifecycle: see the fields."),
            fields=times_errors,
            code="illegal_order_change",
        )
    skus = [line.sku for line in data.lines]
    if len(set(skus)) != len(skus):
        raise Conflict(
            _("The order names a product on two lines: one line per product."),
            fields={"lines": _("Each product appears on one line: add the quantities up.")},
            code="duplicate_product",
        )
    unknown = [line.sku for line in data.lines if line.sku not in products]
    if unknown:
        raise Conflict(
            _("The order names products reviewgate does not know: add them to the catalogue first."),
            fields={"lines": _("Unknown product SKU: %(skus)s.") % {"skus": ", ".join(unknown[:10])}},
            code="unknown_product",
        )
    return products


def _times_problems(data: OrderInput) -> dict[str, str]:
    times = OrderTimes(purchased_at=data.purchased_at)
    errors: dict[str, str] = {}
    for change in (Change.DELIVERED, Change.CANCELLED, Change.REFUNDED):
        at = getattr(data, change.value)
        if at is None:
            continue
        refusal = change_refusal(times, change, at)
        if refusal is not None:
            errors[change.value] = refusal_message(refusal)
            return errors
        times = OrderTimes(**{**times.__dict__, change.value: at})
    return errors


def _line_products(lines: Sequence[LineInput]) -> tuple[dict[str, Product], str]:
    if not lines:
        return {}, _("An order has at least one line.")
    if len(lines) > MAX_LINES:
        return {}, _("An order has at most %(max)d lines.") % {"max": MAX_LINES}
    skus = [line.sku for line in lines]
    for line in lines:
        if isinstance(line.quantity, bool) or not 1 <= line.quantity <= MAX_QUANTITY:
            return {}, _("Quantities are whole numbers from 1 to %(max)d.") % {"max": MAX_QUANTITY}
    # Unknown SKUs are _validate's: a conflict with the catalogue, once the input is valid.
    return {product.sku: product for product in Product.objects.filter(sku__in=skus)}, ""


def refusal_message(refusal: Refusal) -> str:
    messages = {
        Refusal.ALREADY_SET: _("Already set to another time: a time is set once."),
        Refusal.BEFORE_PURCHASE: _("Cannot be before the purchase."),
        Refusal.BEFORE_DELIVERY: _("Cannot be before the delivery."),
        Refusal.CANCELLED: _("The order was cancelled."),
        Refusal.DELIVERED: _("The order was delivered: refund it instead of cancelling it."),
        Refusal.NOT_DELIVERED: _("Only a delivered order is refunded: cancel it instead."),
        Refusal.REFUNDED: _("The order was refunded."),
    }
    return messages[refusal]


def _same_order(order: Order, data: OrderInput, customer_id: int | None) -> bool:
    stored_lines = sorted(order.lines.values_list("product__sku", "quantity"))
    # An anonymised order no longer says whose it was: its customer cannot differ (a shop
    # sending its history again gets "unchanged", not a conflict).
    return (
        (order.anonymised_at is not None or order.customer_id == customer_id)
        and order.purchased_at == data.purchased_at
        and order.delivered_at == data.delivered_at
        and order.cancelled_at == data.cancelled_at
        and order.refunded_at == data.refunded_at
        and stored_lines == sorted((line.sku, line.quantity) for line in data.lines)
    )


def customer_for_email(email: str) -> Customer | None:
    return Customer.objects.with_email(email).first()


def _customer_upsert(data: OrderInput) -> Customer:
    """The one row for this address (case-insensitive); a new order updates its name and
    language (the shop knows best), never its unsubscription."""
    customer = Customer.objects.select_for_update().with_email(data.email).first()
    if customer is None:
        return Customer.objects.create(email=data.email.strip(), name=data.name.strip(), language=data.language)
    if (customer.name, customer.language) != (data.name.strip(), data.language):
        customer.name, customer.language = data.name.strip(), data.language
        customer.save(update_fields=["name", "language"])
    return customer


def order_receive(data: OrderInput) -> Received:
    """Stores the order, or finds it stored already: idempotent by order id.

    The same order again (same customer, times and lines) changes nothing and returns it
    (``created`` False); the same id with other content is a Conflict (409
    ``order_exists``): a change of delivery, cancellation or refund is a PATCH.
    """
    products = _validate(data)
    # Twice at most: a concurrent post of the same order id, or of another order of the same
    # new customer, can win the race to the unique constraints; the second attempt sees it.
    for attempt in (1, 2):
        try:
            return _order_store(data, products)
        except IntegrityError:
            existing = Order.objects.filter(order_id=data.order_id).first()
            if existing is not None:
                return _received_again(existing, data)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _order_store(data: OrderInput, products: dict[str, Product]) -> Received:
    with transaction.atomic():
        existing = Order.objects.select_for_update().filter(order_id=data.order_id).first()
        if existing is not None:
            return _received_again(existing, data)
        customer = _customer_upsert(data)
        order = Order.objects.create(
            order_id=data.order_id,
            customer=customer,
            purchased_at=data.purchased_at,
            delivered_at=data.delivered_at,
            cancelled_at=data.cancelled_at,
            refunded_at=data.refunded_at,
            source=data.source,
        )
        OrderLine.objects.bulk_create(
            OrderLine(order=order, product=products[line.sku], quantity=line.quantity) for line in data.lines
        )
        _lines_already_reviewed(order)
    return Received(order=order, created=True)


def _lines_already_reviewed(order: Order) -> None:
    """A product its customer reviewed before (through an invitation, or as a verified
    account) counts as reviewed on a new order too: one review per customer and product, so
    no invitation asks about it again."""
    if order.customer_id is None:
        return
    reviewed = OrderLine.objects.filter(order__customer_id=order.customer_id, reviewed_at__isnull=False).values(
        "product_id"
    )
    OrderLine.objects.filter(order=order, product_id__in=reviewed).update(reviewed_at=timezone.now())


def _received_again(existing: Order, data: OrderInput) -> Received:
    customer = customer_for_email(data.email)
    if _same_order(existing, data, customer.pk if customer else None):
        return Received(order=existing, created=False)
    message = _("Order %(order_id)s was received before with other content: ") + _(
        "change its delivery, cancellation or refund with PATCH."
    )
    raise Conflict(message % {"order_id": data.order_id}, code="order_exists")


@transaction.atomic
def order_change(*, order_id: str, changes: dict[Change, datetime]) -> Order:
    """Records delivery, cancellation or refund (each set once; the same time again is a
    no-op). Applied in the order delivered, refunded, cancelled; all or nothing."""
    order = Order.objects.select_for_update().filter(order_id=order_id).first()
    if order is None:
        raise NotFound(_("No order has this id."))
    times = OrderTimes(order.purchased_at, order.delivered_at, order.cancelled_at, order.refunded_at)
    errors: dict[str, str] = {}
    for change in (Change.DELIVERED, Change.REFUNDED, Change.CANCELLED):
        at = changes.get(change)
        if at is None:
            continue
        refusal = change_refusal(times, change, at)
        if refusal is not None:
            errors[change.value] = refusal_message(refusal)
            break
        times = OrderTimes(**{**times.__dict__, change.value: at})
    if errors:
        raise Conflict(_("The order cannot change this way."), fields=errors, code="illegal_order_change")
    updated = [
        name for name in ("delivered_at", "cancelled_at", "refunded_at") if getattr(order, name) != getattr(times, name)
    ]
    for name in updated:
        setattr(order, name, getattr(times, name))
    if updated:
        order.save(update_fields=[*updated, "updated_at"])
    return order


@transaction.atomic
def customer_unsubscribe(*, customer_id: int, now: datetime | None = None) -> bool:
    """No more invitations, at once (an email already in the outbox sends nothing: its
    builder reads this at delivery). True if this call unsubscribed them."""
    return bool(
        Customer.objects.filter(pk=customer_id, unsubscribed_at__isnull=True).update(
            unsubscribed_at=now or timezone.now()
        )
    )


@transaction.atomic
def customer_erase(*, email: str, now: datetime | None = None) -> int:
    """Erases a customer on request: the address and name go, their orders stay (without
    them) for the figures, and no invitation is sent again. Returns how many customers
    were erased (0 or 1)."""
    customer = Customer.objects.select_for_update().with_email(email).first()
    if customer is None:
        return 0
    customers_erase([customer.pk], now=now)
    return 1


def customers_erase(customer_ids: Sequence[int], *, now: datetime | None = None) -> int:
    """The admin action's and customer_erase's one way of erasing (in the caller's transaction)."""
    now = now or timezone.now()
    _invitation_delivery_errors_clear(customer_ids)
    _orders_unlink(Order.objects.filter(customer_id__in=customer_ids), now=now, reason=AnonymisingReason.ERASURE)
    return Customer.objects.filter(pk__in=customer_ids, erased_at__isnull=True).update(
        email="", name="", erased_at=now, unsubscribed_at=now
    )


def _invitation_delivery_errors_clear(customer_ids: Sequence[int]) -> None:
    """A delivery error may quote what the mail server said about the address (the worker
    masks the address it knows, notifications.delivery.addresses_masked; a server may
    spell it otherwise): an erased customer's invitation emails keep no error text."""
    keys = [
        invitation_dedupe_key(order_id=order_id, kind=kind)
        for order_id, kind in Invitation.objects.filter(customer_id__in=customer_ids).values_list("order_id", "kind")
    ]
    OutboxMessage.objects.filter(dedupe_key__in=keys).update(last_error="")
    DeliveryAttempt.objects.filter(message__dedupe_key__in=keys).update(error="")


@transaction.atomic
def _orders_unlink(orders: QuerySet[Order], *, now: datetime, reason: AnonymisingReason) -> int:
    """The orders lose their customer. Announced first (orders.events.orders_anonymising),
    while they still name the customer, saying why (``reason``): care erases what the
    customer wrote to it; on erasure, reviews deletes their guest reviews' photos."""
    order_ids = tuple(orders.order_by("pk").values_list("pk", flat=True))
    if not order_ids:
        return 0
    orders_anonymising.publish(OrdersAnonymising(order_ids=order_ids, at=now, reason=reason))
    return Order.objects.filter(pk__in=order_ids).update(customer=None, anonymised_at=now)


def orders_anonymise_expired(*, now: datetime | None = None) -> int:
    """Orders purchased more than ORDER_RETENTION_DAYS ago lose their customer; a customer
    left with no order is erased. Idempotent (the daily task). Returns the orders changed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ORDER_RETENTION_DAYS)
    expired = Order.objects.filter(purchased_at__lt=cutoff, customer__isnull=False)
    customer_ids = set(expired.values_list("customer_id", flat=True))
    changed = _orders_unlink(expired, now=now, reason=AnonymisingReason.RETENTION)
    orphaned = Customer.objects.filter(pk__in=customer_ids, orders__isnull=True).values_list("pk", flat=True)
    customers_erase(list(orphaned), now=now)
    return changed
