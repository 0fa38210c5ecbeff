"""The demo's orders and review invitations, planned from its reviews (no database).

A demo review is a verified purchase only by the rule of docs/invitations.md, never by a
flag: this module creates what makes it true, or leaves the review unverified.

* a guest's review comes from the link of an invitation (or its reminder) about that
  customer's order of the product: the order is dated back from the review;
* a demo account's review is verified when the account's address has a delivered,
  unrefunded order of the product from before it;
* most invited products get no review (a response rate near TARGET_RESPONSE_RATE), some links are
  opened without one, some orders are refunded or cancelled, some customers unsubscribe;
* every invitation and reminder the sweep would have sent before the anchor day is there,
  so the real sweep finds nothing overdue in the demo's history. No order is delivered on
  the day whose invitations fall due on the anchor day, and no invitation is sent on the
  day whose reminders do: the first sweep of `make run` sends only the few orders of
  `due_soon_orders`; later days bring the invitations of the last week's deliveries.

The shop's order feed started ORDERS_SINCE_DAYS before the anchor: older reviews have no
order to prove them and stay unverified, as on a real site that has just started asking.
A customer's orders are delivered at least CUSTOMER_ORDER_GAP apart, so the frequency
caps (orders.policy.cap_allows) never hold an email back in the demo's history.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from devtools.demo import texts
from devtools.demo.catalogue import ProductSpec
from devtools.demo.rows import EMAIL_DOMAIN, SEED, PlannedReview, local_moment
from gate.policy import EventKind, GateEvent, GatePolicy
from orders.policy import InvitationSettings

ORDERS_SINCE_DAYS = 120
# Reviewed invitation lines / invited lines: what the desk shows as the response rate.
TARGET_RESPONSE_RATE = 0.28
CUSTOMER_ORDER_GAP = timedelta(days=31)
# Most reviewers answer the invitation; the others the reminder.
VIA_REMINDER_SHARE = 0.2
OPENED_WITHOUT_REVIEW_SHARE = 0.2
UNSUBSCRIBE_SHARE = 0.05
REFUND_SHARE = 0.04
CANCEL_SHARE = 0.03
REPEAT_CUSTOMER_SHARE = 0.25
DUE_SOON_MINUTES = (1, 2, 2, 3)
DUE_SOON_LANGUAGES = ("en", "fr", "en", "fr")
DUE_SOON_PREFIX = "DEMO-SOON-"
ORDER_PREFIX = "DEMO-"


@dataclass(eq=False)
class PlannedCustomer:
    name: str
    language: str
    email: str = ""  # a guest's; an account's is read from the account when written
    account: str | None = None  # a demo account's username
    unsubscribed_at: datetime | None = None
    orders: list[PlannedOrder] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.email or f"account:{self.account}"


@dataclass(eq=False)
class PlannedLine:
    sku: str
    quantity: int
    link_opened_at: datetime | None = None
    reviewed_at: datetime | None = None


@dataclass(eq=False)
class PlannedOrder:
    customer: PlannedCustomer
    purchased_at: datetime
    lines: list[PlannedLine]
    delivered_at: datetime | None = None
    cancelled_at: datetime | None = None
    refunded_at: datetime | None = None
    # How long after its due time the sweep (every few minutes) sent the invitation.
    sweep_lag: timedelta = timedelta(0)
    order_id: str = ""

    def skus(self) -> set[str]:
        return {line.sku for line in self.lines}


@dataclass(frozen=True)
class PlannedInvitation:
    order_id: str
    kind: str  # orders.models.InvitationKind
    sent_at: datetime
    skus: tuple[str, ...]


@dataclass
class OrderPlan:
    customers: list[PlannedCustomer]
    orders: list[PlannedOrder]
    invitations: list[PlannedInvitation]


def _hours(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(hours=rng.uniform(low, high))


class _Shop:
    """What the planner knows of the shop: when a product could be bought, and by whom."""

    def __init__(
        self,
        *,
        specs: tuple[ProductSpec, ...],
        product_created_at: dict[str, datetime],
        expected_events: dict[str, list[GateEvent]],
        policy: GatePolicy,
        rules: InvitationSettings,
        anchor: date,
        rng: random.Random,
    ) -> None:
        self.policy = policy
        self.rules = rules
        self.anchor = anchor
        self.anchor_start = datetime.combine(anchor, datetime.min.time(), tzinfo=policy.tzinfo)
        self.rng = rng
        self.created_at = product_created_at
        self.off_sale = _off_sale_periods(expected_events)
        self.skus = [spec.sku for spec in specs]
        self.weights = [spec.popularity for spec in specs]
        self.customers: list[PlannedCustomer] = []
        self.accounts: dict[str, PlannedCustomer] = {}
        self.orders: list[PlannedOrder] = []

    def on_sale(self, sku: str, at: datetime) -> bool:
        if at < self.created_at[sku]:
            return False
        day = self.policy.day_of(at)
        return not any(start <= day and (end is None or day < end) for start, end in self.off_sale.get(sku, ()))

    def other_products(self, at: datetime, *, besides: set[str], most: int) -> list[str]:
        chosen: list[str] = []
        for _attempt in range(most * 4):
            if len(chosen) == most:
                break
            sku = self.rng.choices(self.skus, self.weights)[0]
            if sku not in besides and sku not in chosen and self.on_sale(sku, at):
                chosen.append(sku)
        return chosen

    def new_customer(self, language: str, signed_as: str = "") -> PlannedCustomer:
        """A guest customer; their name matches the one they sign reviews with."""
        first, _space, initial = signed_as.partition(" ")
        first = first or self.rng.choice(texts.FIRST_NAMES[language])
        initial = initial.rstrip(".") or self.rng.choice(texts.LAST_INITIALS)
        last = texts.LAST_NAMES[language].get(initial) or self.rng.choice(list(texts.LAST_NAMES[language].values()))
        local = f"{first}.{last}".lower().translate(str.maketrans("éèëêàâîïôöûüç", "eeeeaaiioouuc"))
        local = "".join(ch for ch in local if ch.isascii() and (ch.isalnum() or ch == "."))
        email = f"{local}{len(self.customers) + 101}@{EMAIL_DOMAIN}"
        customer = PlannedCustomer(name=f"{first} {last}", language=language, email=email)
        self.customers.append(customer)
        return customer

    def spaced(self, customer: PlannedCustomer, delivered_at: datetime) -> bool:
        return all(
            abs(delivered_at - order.delivered_at) >= CUSTOMER_ORDER_GAP
            for order in customer.orders
            if order.delivered_at is not None
        )

    def emails_due_on_anchor_day(self, sent_at: datetime) -> bool:
        """True if an invitation sent at `sent_at`, or its reminder, falls due on the anchor
        day: the first sweep of `make run` would send it, among the few orders meant to be
        seen (due_soon_orders)."""
        reminder = sent_at + timedelta(days=self.rules.reminder_days)
        return self.anchor in (self.policy.day_of(sent_at), self.policy.day_of(reminder))

    def quiet_delivery(self, delivered_at: datetime, lag: timedelta) -> datetime:
        """`delivered_at`, or a day earlier if its emails would fall due on the anchor day."""
        while self.emails_due_on_anchor_day(delivered_at + timedelta(days=self.rules.invite_days) + lag):
            delivered_at -= timedelta(days=1)
        return delivered_at

    def add(self, order: PlannedOrder) -> PlannedOrder:
        order.customer.orders.append(order)
        self.orders.append(order)
        return order

    def quantity(self) -> int:
        return 1 if self.rng.random() < 0.85 else self.rng.randint(2, 3)


def _off_sale_periods(expected_events: dict[str, list[GateEvent]]) -> dict[str, list[tuple[date, date | None]]]:
    """Per SKU, the days it was withdrawn from sale (to its reinstatement, or open)."""
    periods: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    for sku, events in expected_events.items():
        start: date | None = None
        for event in events:
            if event.kind is EventKind.WITHDRAWN:
                start = event.day
            elif event.kind is EventKind.REINSTATED and start is not None:
                periods[sku].append((start, event.day))
                start = None
        if start is not None:
            periods[sku].append((start, None))
    return periods


def plan_orders(
    reviews: list[PlannedReview],
    *,
    anchor: date,
    policy: GatePolicy,
    rules: InvitationSettings,
    specs: tuple[ProductSpec, ...],
    product_created_at: dict[str, datetime],
    expected_events: dict[str, list[GateEvent]],
    account_languages: dict[str, str],
) -> OrderPlan:
    """The orders and emails that prove the demo's verified reviews, and the rest of the shop.

    1. guests' reviews (of `bought` ones) dated back to an invitation of their own order;
    2. accounts' reviews to an earlier delivered order of the account;
    3. orders nobody reviews, to bring the response rate near TARGET_RESPONSE_RATE, and the
       last days' orders, delivered or not yet;
    4. ids by purchase time, then every invitation and reminder sent before the anchor day.
    Marks the reviews it proves `verified` (and the invited ones' `order_line`).
    """
    rng = random.Random(f"{SEED}:orders")
    shop = _Shop(
        specs=specs,
        product_created_at=product_created_at,
        expected_events=expected_events,
        policy=policy,
        rules=rules,
        anchor=anchor,
        rng=rng,
    )
    feed_start = local_moment(anchor - timedelta(days=ORDERS_SINCE_DAYS), policy, 9, 0)
    invited: list[tuple[PlannedReview, PlannedOrder]] = []
    for review in sorted(reviews, key=lambda r: (r.created_at, r.external_id)):
        if not review.bought or review.status not in ("published", "pending"):
            continue
        if review.author is None:
            order = _invited_review_order(shop, review, feed_start=feed_start)
            if order is not None:
                invited.append((review, order))
        else:
            _account_review_order(shop, review, language=account_languages[review.author], feed_start=feed_start)
    reviewed_lines = sum(1 for order in shop.orders for line in order.lines if line.reviewed_at is not None)
    _unreviewed_orders(shop, reviewed_lines, feed_start=feed_start)
    for number, order in enumerate(sorted(shop.orders, key=lambda o: (o.purchased_at, o.customer.key)), start=1):
        order.order_id = f"{ORDER_PREFIX}{number:05d}"
    for review, order in invited:
        review.order_line = (order.order_id, review.sku)
    invitations = [
        email for order in shop.orders for email in order_emails(order, rules=rules, before=shop.anchor_start, rng=rng)
    ]
    shop.orders.sort(key=lambda o: o.order_id)
    return OrderPlan(customers=shop.customers, orders=shop.orders, invitations=invitations)


def _invited_review_order(shop: _Shop, review: PlannedReview, *, feed_start: datetime) -> PlannedOrder | None:
    """The order whose invitation link produced this guest's review, or None (unverified)."""
    rng, written, rules = shop.rng, review.created_at, shop.rules
    if rng.random() < VIA_REMINDER_SHARE:
        sent = written - timedelta(days=rules.reminder_days) - _hours(rng, 0.5, 72)
    else:
        sent = written - min(timedelta(hours=0.3) + timedelta(hours=rng.expovariate(1 / 20)), timedelta(days=6))
    while shop.emails_due_on_anchor_day(sent):
        sent -= timedelta(days=1)
    lag = timedelta(seconds=rng.randint(5, 290))
    delivered = sent - timedelta(days=rules.invite_days) - lag
    purchased = delivered - _hours(rng, 40, 140)
    if purchased < feed_start or not shop.on_sale(review.sku, purchased):
        return None
    customer = shop.new_customer(review.language, review.author_name)
    opened = max(sent + timedelta(minutes=1), written - timedelta(minutes=rng.randint(2, 15)))
    lines = [PlannedLine(review.sku, shop.quantity(), link_opened_at=opened, reviewed_at=written)]
    extra = shop.other_products(purchased, besides={review.sku}, most=rng.choice((0, 0, 0, 1, 1, 2)))
    lines += [PlannedLine(sku, shop.quantity()) for sku in extra]
    review.verified, review.source = True, "invitation"
    return shop.add(
        PlannedOrder(customer=customer, purchased_at=purchased, delivered_at=delivered, lines=lines, sweep_lag=lag)
    )


def _account_review_order(shop: _Shop, review: PlannedReview, *, language: str, feed_start: datetime) -> None:
    """Verifies an account's review with an earlier delivered order of theirs, if one fits."""
    rng, written = shop.rng, review.created_at
    assert review.author is not None
    customer = shop.accounts.get(review.author)
    if customer is not None:
        for order in customer.orders:
            delivered = order.delivered_at
            if (
                delivered is not None
                and order.refunded_at is None
                and written - timedelta(days=45) <= delivered < written - timedelta(days=1)
                and review.sku not in order.skus()
                and shop.on_sale(review.sku, order.purchased_at)
            ):
                # As reviews.verified does: a verified account review marks its lines reviewed.
                order.lines.append(PlannedLine(review.sku, shop.quantity(), reviewed_at=written))
                review.verified = True
                return
    lag = timedelta(seconds=rng.randint(5, 290))
    delivered = shop.quiet_delivery(written - _hours(rng, 48, 20 * 24), lag)
    purchased = delivered - _hours(rng, 20, 120)
    if purchased < feed_start or not shop.on_sale(review.sku, purchased):
        return
    if customer is None:
        customer = PlannedCustomer(name="", language=language, account=review.author)
        shop.customers.append(customer)
        shop.accounts[review.author] = customer
    if not shop.spaced(customer, delivered):
        return
    shop.add(
        PlannedOrder(
            customer=customer,
            purchased_at=purchased,
            delivered_at=delivered,
            lines=[PlannedLine(review.sku, shop.quantity(), reviewed_at=written)],
            sweep_lag=lag,
        )
    )
    review.verified = True


def _unreviewed_orders(shop: _Shop, reviewed_lines: int, *, feed_start: datetime) -> None:
    """Orders nobody reviewed, until the invited lines give the target response rate; then
    the last days' deliveries (invited on the coming days) and orders not delivered yet."""
    rng, policy, rules, anchor = shop.rng, shop.policy, shop.rules, shop.anchor
    first_day = shop.policy.day_of(feed_start) + timedelta(days=3)
    last_invited_day = anchor - timedelta(days=rules.invite_days + 1)
    span = (last_invited_day - first_day).days
    invited_lines = sum(
        len(o.lines) for o in shop.orders if o.delivered_at and policy.day_of(o.delivered_at) <= last_invited_day
    )
    wanted = round(reviewed_lines / TARGET_RESPONSE_RATE)
    daily = max(1, wanted // max(span, 1) // 2)
    while invited_lines < wanted:
        day = first_day + timedelta(days=rng.randrange(span + 1))
        order = _unreviewed_order(shop, day)
        if order is not None and order.delivered_at is not None and order.refunded_at is None:
            invited_lines += len(order.lines)
    for days_ago in range(1, rules.invite_days):
        day = anchor - timedelta(days=days_ago)
        for _number in range(daily):
            _unreviewed_order(shop, day)
            _unreviewed_order(shop, day, delivered=False)


def _unreviewed_order(shop: _Shop, day: date, *, delivered: bool = True) -> PlannedOrder | None:
    rng = shop.rng
    lag = timedelta(seconds=rng.randint(5, 290))
    delivered_at = local_moment(day, shop.policy, rng.randint(8, 19), rng.randrange(60), rng.randrange(60))
    delivered_at = shop.quiet_delivery(delivered_at, lag)
    purchased = delivered_at - _hours(rng, 30, 120)
    reusable = [c for c in shop.customers[-200:] if c.email and c.unsubscribed_at is None and c.orders]
    customer: PlannedCustomer | None = None
    if reusable and rng.random() < REPEAT_CUSTOMER_SHARE:
        customer = rng.choice(reusable)
        if not shop.spaced(customer, delivered_at):
            customer = None
    skus = shop.other_products(purchased, besides=set(), most=rng.choice((1, 1, 1, 2, 2, 3)))
    if not skus:
        return None
    if customer is None:
        customer = shop.new_customer("fr" if rng.random() < 0.3 else "en")
    order = PlannedOrder(
        customer=customer,
        purchased_at=purchased,
        lines=[PlannedLine(sku, shop.quantity()) for sku in skus],
        sweep_lag=lag,
    )
    chance = rng.random()
    if not delivered or chance < CANCEL_SHARE:
        if not delivered:
            order.purchased_at = delivered_at - _hours(rng, 2, 60)
        else:
            order.cancelled_at = purchased + _hours(rng, 1, 30)
        return shop.add(order)
    order.delivered_at = delivered_at
    if chance < CANCEL_SHARE + REFUND_SHARE:
        refunded_at = delivered_at + _hours(rng, 24, 20 * 24)
        order.refunded_at = refunded_at if refunded_at < shop.anchor_start else None
    elif not customer.orders and chance > 1 - UNSUBSCRIBE_SHARE:
        # From the unsubscribe link of this order's invitation (only a new customer's).
        unsubscribed_at = delivered_at + timedelta(days=shop.rules.invite_days) + lag + _hours(rng, 0.2, 30)
        customer.unsubscribed_at = unsubscribed_at if unsubscribed_at < shop.anchor_start else None
    return shop.add(order)


def order_emails(
    order: PlannedOrder, *, rules: InvitationSettings, before: datetime, rng: random.Random
) -> list[PlannedInvitation]:
    """The invitation and reminder the sweep sent about this order before `before`, by the
    rules of orders.policy.invitation_owed; opens some links nobody used to write."""
    if order.delivered_at is None or order.cancelled_at is not None:
        return []
    customer = order.customer
    sent = order.delivered_at + timedelta(days=rules.invite_days) + order.sweep_lag

    def still_asked(at: datetime) -> bool:
        return (order.refunded_at is None or order.refunded_at > at) and (
            customer.unsubscribed_at is None or customer.unsubscribed_at > at
        )

    # Like the sweep, an email lists only the products not reviewed yet (an account may have
    # reviewed one on the site before its invitation fell due).
    asked = tuple(line.sku for line in order.lines if line.reviewed_at is None or line.reviewed_at > sent)
    if sent >= before or not asked or not still_asked(sent):
        return []
    emails = [PlannedInvitation(order.order_id, "invitation", sent, asked)]
    for line in order.lines:
        if line.link_opened_at is None and line.reviewed_at is None and rng.random() < OPENED_WITHOUT_REVIEW_SHARE:
            opened = sent + _hours(rng, 0.1, 72)
            line.link_opened_at = opened if opened < before else None
    reminder = sent + timedelta(days=rules.reminder_days) + order.sweep_lag
    unreviewed = tuple(line.sku for line in order.lines if line.reviewed_at is None or line.reviewed_at > reminder)
    if reminder < before and unreviewed and still_asked(reminder):
        emails.append(PlannedInvitation(order.order_id, "reminder", reminder, unreviewed))
    return emails


@dataclass(frozen=True)
class DueSoon:
    order_id: str
    name: str
    email: str
    language: str
    skus: tuple[str, ...]
    purchased_at: datetime
    delivered_at: datetime
    due_at: datetime


def due_soon_orders(*, now: datetime, rules: InvitationSettings, on_sale: list[str]) -> list[DueSoon]:
    """A few orders delivered REVIEW_INVITE_DAYS ago less a minute or three: the sweep of a
    `make run` started now invites them within minutes, in English and in French."""
    rng = random.Random(f"{SEED}:due-soon")
    made = []
    for number, (minutes, language) in enumerate(zip(DUE_SOON_MINUTES, DUE_SOON_LANGUAGES, strict=True), start=1):
        first = rng.choice(texts.FIRST_NAMES[language])
        last = rng.choice(list(texts.LAST_NAMES[language].values()))
        local = f"{first}.{last}".lower().translate(str.maketrans("éèëêàâîïôöûüç", "eeeeaaiioouuc"))
        due = now + timedelta(minutes=minutes)
        delivered = due - timedelta(days=rules.invite_days)
        made.append(
            DueSoon(
                order_id=f"{DUE_SOON_PREFIX}{number}",
                name=f"{first} {last}",
                email=f"{local}.soon{number}@{EMAIL_DOMAIN}",
                language=language,
                skus=tuple(rng.sample(on_sale, 1 + number % 2)),
                purchased_at=delivered - timedelta(days=3, hours=rng.randint(1, 9)),
                delivered_at=delivered,
                due_at=due,
            )
        )
    return made
