"""Writes the demo's orders (devtools.demo.orders) to the database: only what is missing.

Orders are found again by their order id (`DEMO-00001`, `DEMO-SOON-1`), customers by
address; an order's lines and invitations are written only with the order. The orders
whose invitations fall due while `make run` runs go through orders.services.order_receive,
the service the API and the CSV import use.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import F, Min, OuterRef, Subquery

from accounts.models import User
from devtools.demo.orders import DUE_SOON_PREFIX, DueSoon, OrderPlan, PlannedCustomer, PlannedOrder, due_soon_orders
from devtools.demo.rows import PlannedReview
from orders.models import Customer, Invitation, Order, OrderLine, OrderSource
from orders.policy import InvitationSettings
from orders.services import LineInput, OrderInput, order_receive
from products.models import Product
from reviews.models import Review

BATCH_SIZE = 500
LineKey = tuple[str, str]  # (order id, SKU)


def demo_orders_write(
    plan: OrderPlan, *, products: dict[str, Product], users: dict[str, User], created: Counter[str]
) -> dict[LineKey, int]:
    """Writes the planned orders not stored yet, with their customers, lines and emails;
    returns the id of every planned order line, by (order id, SKU)."""
    stored = set(
        Order.objects.filter(order_id__in=[o.order_id for o in plan.orders]).values_list("order_id", flat=True)
    )
    missing = [order for order in plan.orders if order.order_id not in stored]
    if not missing:
        return _stored_line_ids()
    customer_ids, new_customers = _customers_write(missing, users, created)
    rows = [
        Order(
            order_id=order.order_id,
            customer_id=customer_ids[_address(order.customer, users)],
            purchased_at=order.purchased_at,
            delivered_at=order.delivered_at,
            cancelled_at=order.cancelled_at,
            refunded_at=order.refunded_at,
            source=OrderSource.DEMO,
        )
        for order in missing
    ]
    Order.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    order_ids = {row.order_id: _pk(row.pk) for row in rows}
    # received_at is auto_now_add: a demo order was received when it was placed.
    Order.objects.filter(source=OrderSource.DEMO, order_id__in=list(order_ids)).update(received_at=F("purchased_at"))
    # created_at is auto_now_add too: a customer is as old as their first order.
    first_order = Order.objects.filter(customer=OuterRef("pk")).values("customer").annotate(at=Min("purchased_at"))
    Customer.objects.filter(pk__in=new_customers).update(created_at=Subquery(first_order.values("at")))
    created["orders"] += len(rows)
    line_ids = _lines_write(missing, order_ids, products, created)
    _invitations_write(plan, order_ids, customer_ids, line_ids, users, created)
    return line_ids if not stored else _stored_line_ids()


def _pk(pk: int | None) -> int:
    # bulk_create sets ids on PostgreSQL and SQLite 3.35+, the databases reviewgate runs on.
    assert pk is not None, "bulk_create did not return ids: this database is not supported"
    return pk


def _address(customer: PlannedCustomer, users: dict[str, User]) -> str:
    return users[customer.account].email.lower() if customer.account else customer.email


def _customers_write(
    orders: list[PlannedOrder], users: dict[str, User], created: Counter[str]
) -> tuple[dict[str, int], list[int]]:
    """The customer id of every address these orders need, creating the missing ones."""
    planned: dict[str, PlannedCustomer] = {}
    for order in orders:
        planned.setdefault(_address(order.customer, users), order.customer)
    ids = dict(Customer.objects.filter(email__in=list(planned)).values_list("email", "pk"))
    new = []
    for address, customer in planned.items():
        if address in ids:
            continue
        account = users[customer.account] if customer.account else None
        new.append(
            Customer(
                email=address,
                name=f"{account.first_name} {account.last_name}".strip() if account else customer.name,
                language=account.language if account else customer.language,
                unsubscribed_at=customer.unsubscribed_at,
            )
        )
    Customer.objects.bulk_create(new, batch_size=BATCH_SIZE)
    ids.update({row.email: _pk(row.pk) for row in new})
    created["customers (orders)"] += len(new)
    return ids, [_pk(row.pk) for row in new]


def _lines_write(
    orders: list[PlannedOrder], order_ids: dict[str, int], products: dict[str, Product], created: Counter[str]
) -> dict[LineKey, int]:
    keys: list[LineKey] = []
    rows = []
    for order in orders:
        for line in order.lines:
            keys.append((order.order_id, line.sku))
            rows.append(
                OrderLine(
                    order_id=order_ids[order.order_id],
                    product_id=products[line.sku].pk,
                    quantity=line.quantity,
                    link_opened_at=line.link_opened_at,
                    reviewed_at=line.reviewed_at,
                )
            )
    OrderLine.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    created["order lines"] += len(rows)
    return {key: _pk(row.pk) for key, row in zip(keys, rows, strict=True)}


def _invitations_write(
    plan: OrderPlan,
    order_ids: dict[str, int],
    customer_ids: dict[str, int],
    line_ids: dict[LineKey, int],
    users: dict[str, User],
    created: Counter[str],
) -> None:
    customers = {order.order_id: customer_ids[_address(order.customer, users)] for order in plan.orders}
    emails = [email for email in plan.invitations if email.order_id in order_ids]
    rows = [
        Invitation(
            order_id=order_ids[email.order_id],
            kind=email.kind,
            customer_id=customers[email.order_id],
            sent_at=email.sent_at,
        )
        for email in emails
    ]
    Invitation.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    # The largest table of the demo's orders, and two integers a row: written without
    # building a model instance per row (a third of the orders' seeding time otherwise).
    through = Invitation.lines.through._meta
    quote = connection.ops.quote_name
    pairs = [
        (_pk(row.pk), line_ids[(email.order_id, sku)])
        for email, row in zip(emails, rows, strict=True)
        for sku in email.skus
    ]
    # Django's auto-created through table: a column per side, named after its model.
    columns = ", ".join(quote(f"{name}_id") for name in ("invitation", "orderline"))
    with connection.cursor() as cursor:
        for offset in range(0, len(pairs), BATCH_SIZE * 10):
            cursor.executemany(
                f"INSERT INTO {quote(through.db_table)} ({columns}) VALUES (%s, %s)",  # noqa: S608  # nosec B608  # names from the models, values are parameters
                pairs[offset : offset + BATCH_SIZE * 10],
            )
    created["invitations and reminders"] += len(rows)


def _stored_line_ids() -> dict[LineKey, int]:
    lines = OrderLine.objects.filter(order__source=OrderSource.DEMO).values_list(
        "order__order_id", "product__sku", "pk"
    )
    return {(order_id, sku): pk for order_id, sku, pk in lines}


def stored_reviews_prove(reviews: Iterable[PlannedReview], line_ids: dict[LineKey, int]) -> int:
    """Reviews stored by a seeding from before the demo had orders (their old flags were
    cleared by reviews migration 0008) get the proof their orders now give. Returns how
    many changed."""
    proven = {review.external_id: review for review in reviews if review.verified}
    changed = []
    for review in Review.objects.filter(
        external_id__in=list(proven), verified_purchase=False, order_line__isnull=True
    ).only("id", "external_id"):
        planned = proven[str(review.external_id)]
        review.verified_purchase = True
        if planned.order_line is not None:
            review.order_line_id, review.source = line_ids[planned.order_line], "invitation"
        changed.append(review)
    Review.objects.bulk_update(changed, ["verified_purchase", "order_line", "source"], batch_size=BATCH_SIZE)
    return len(changed)


@dataclass(frozen=True)
class DueSoonState:
    order_id: str
    language: str
    products: int
    due_at: datetime
    invited: bool


def due_soon_write(
    *, now: datetime, rules: InvitationSettings, on_sale: list[str], created: Counter[str]
) -> list[DueSoonState]:
    """The orders whose invitations fall due minutes after the first seeding (received
    through the order service, once: later seedings find them), and where they stand."""
    for planned in due_soon_orders(now=now, rules=rules, on_sale=on_sale):
        if Order.objects.filter(order_id=planned.order_id).exists():
            continue
        received = order_receive(_order_input(planned))
        created["orders due soon"] += received.created
    return [
        DueSoonState(
            order_id=order.order_id,
            language=order.customer.language if order.customer else "",
            products=order.lines.count(),
            due_at=order.delivered_at + timedelta(days=rules.invite_days),
            invited=order.invitations.exists(),
        )
        for order in Order.objects.filter(order_id__startswith=DUE_SOON_PREFIX, delivered_at__isnull=False)
        .select_related("customer")
        .order_by("delivered_at", "order_id")
        if order.delivered_at is not None
    ]


def _order_input(planned: DueSoon) -> OrderInput:
    return OrderInput(
        order_id=planned.order_id,
        email=planned.email,
        name=planned.name,
        language=planned.language,
        purchased_at=planned.purchased_at,
        delivered_at=planned.delivered_at,
        lines=tuple(LineInput(sku=sku, quantity=1) for sku in planned.skus),
        source=OrderSource.DEMO,
    )


@dataclass(frozen=True)
class InvitationFigures:
    orders: int
    invitations: int
    reminders: int
    invited_lines: int
    reviewed: int

    @property
    def response_rate(self) -> float:
        return self.reviewed / self.invited_lines if self.invited_lines else 0.0


def demo_invitation_figures() -> InvitationFigures:
    """The demo orders' invitation figures, for the seeding's report (the desk has its own)."""
    emails = Counter(Invitation.objects.filter(order__source=OrderSource.DEMO).values_list("kind", flat=True))
    lines = OrderLine.objects.filter(order__source=OrderSource.DEMO, invitations__kind="invitation")
    return InvitationFigures(
        orders=Order.objects.filter(source=OrderSource.DEMO).count(),
        invitations=emails["invitation"],
        reminders=emails["reminder"],
        invited_lines=lines.count(),
        reviewed=lines.filter(reviewed_at__isnull=False).count(),
    )
