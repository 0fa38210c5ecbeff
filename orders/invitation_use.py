"""What an invitation link does once the customer clicks it, and what proves a purchase.

The orders layer's half of docs/invitations.md "Verified means verified": which order line
a review link names and whether it may still be used (`invitation_link_open`, and
`invitation_line_lock` inside the review's transaction), marking lines reviewed (the
figures, and no reminder about a reviewed product), the account a customer's address
belongs to, and the purchase rule for accounts (`purchase_verified`). reviews.services
calls these; nothing here knows what a review is beyond the reverse relation
``OrderLine.reviews`` (a used link is one that produced a review).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from accounts.models import User
from orders.links import LinkProblem, LinkRefused, review_token_line_id, unsubscribe_token_customer_id
from orders.models import Customer, Order, OrderLine
from orders.services import customer_unsubscribe
from products.models import Product


class LineRefused(LinkRefused):
    """A genuine link refused for its line's state: says which line and in which language
    its customer reads (the refusal page is shown in it; a used link's page points to the
    review the line produced)."""

    def __init__(self, problem: LinkProblem, *, line_id: int, language: str) -> None:
        super().__init__(problem)
        self.line_id = line_id
        self.language = language


@dataclass(frozen=True)
class InvitedLine:
    """A usable review link: what the review form shows and the review records."""

    line: OrderLine
    product: Product
    customer: Customer
    customer_name: str
    language: str


def _line_problem(line: OrderLine, *, used: bool) -> LinkProblem | None:
    """Why a genuine link to ``line`` may not be used now, if it may not. A used link (it
    produced a review) is refused first: its page then points to the review. A line marked
    reviewed by another way (the customer reviewed the product through another order, or
    as a verified account) is not "used": the review form then says the product was
    reviewed already (reviews' duplicate rule), or takes a review of a newer version."""
    order = line.order
    customer = order.customer
    if used:
        return LinkProblem.USED
    if order.cancelled_at is not None or order.refunded_at is not None:
        return LinkProblem.WITHDRAWN
    if customer is None or customer.erased_at is not None or order.anonymised_at is not None:
        return LinkProblem.WITHDRAWN
    if customer.unsubscribed_at is not None:
        return LinkProblem.UNSUBSCRIBED
    return None


def _was_invited(line: OrderLine, order: Order) -> bool:
    """A link is one we sent: the line was in an invitation or reminder, sent after the
    delivery (the sweep sends nothing before). A signature alone proves only our key."""
    if order.delivered_at is None:
        return False
    return line.invitations.filter(sent_at__gte=order.delivered_at).exists()


def _invited_line(token: str, *, lock: bool) -> InvitedLine:
    line_id = review_token_line_id(token)  # INVALID or EXPIRED
    lines = OrderLine.objects.select_related("order__customer", "product")
    if lock:
        lines = lines.select_for_update(of=("self",))
    line = lines.filter(pk=line_id).first()
    if line is None or not _was_invited(line, line.order):
        raise LinkRefused(LinkProblem.INVALID)
    used = OrderLine.objects.filter(pk=line.pk, reviews__isnull=False).exists()
    customer = line.order.customer
    language = customer.language if customer is not None and customer.erased_at is None else ""
    problem = _line_problem(line, used=used)
    if problem is not None:
        raise LineRefused(problem, line_id=line.pk, language=language)
    assert customer is not None  # _line_problem refused a line without its customer
    return InvitedLine(
        line=line, product=line.product, customer=customer, customer_name=customer.name, language=language
    )


def _opened(line: OrderLine, now: datetime) -> None:
    # The first opening only (compare-and-swap): the figure is "links opened", not clicks.
    if OrderLine.objects.filter(pk=line.pk, link_opened_at__isnull=True).update(link_opened_at=now):
        line.link_opened_at = now


def invitation_link_open(token: str, *, now: datetime) -> InvitedLine:
    """The order line a review link names, if it may be used now; records the first
    opening. Raises LinkRefused: INVALID (tampered, not ours, never sent), EXPIRED, and,
    as LineRefused, USED (it produced a review), WITHDRAWN
    (order cancelled or refunded, customer erased or anonymised), UNSUBSCRIBED."""
    invited = _invited_line(token, lock=False)
    _opened(invited.line, now)
    return invited


def invitation_link_check(token: str) -> InvitedLine:
    """invitation_link_open without recording anything: a review's transaction checks
    the link first without taking the line's row, which it locks after its author's."""
    return _invited_line(token, lock=False)


def invitation_line_lock(token: str, *, now: datetime) -> InvitedLine:
    """invitation_link_open inside the caller's transaction, with the line's row locked:
    two submissions through one link at once write one review (the second sees USED)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("invitation_line_lock runs inside the review's transaction")
    invited = _invited_line(token, lock=True)
    _opened(invited.line, now)
    return invited


def line_reviewed(line: OrderLine, *, now: datetime) -> bool:
    """The link produced a review: the line counts as reviewed (figures, no reminder)."""
    updated = OrderLine.objects.filter(pk=line.pk, reviewed_at__isnull=True).update(reviewed_at=now)
    if updated:
        line.reviewed_at = now
    return bool(updated)


def customer_lines_reviewed(
    *, product: Product, now: datetime, email: str = "", customer: Customer | None = None
) -> int:
    """A customer (named by ``customer``, or by an account's ``email``) reviewed
    ``product``: their unreviewed lines of it count as reviewed, so no invitation or
    reminder asks about it again. Returns the lines marked."""
    if customer is not None:
        whose = Q(order__customer=customer)
    elif email.strip():
        whose = Q(order__customer__in=Customer.objects.with_email(email))
    else:
        return 0
    return OrderLine.objects.filter(whose, product=product, reviewed_at__isnull=True).update(reviewed_at=now)


def customer_account(customer: Customer) -> User | None:
    """The account whose address is the customer's (case-insensitively), if any: its review
    through a link is that account's, with all its rules (employee, conflict of interest)."""
    if not customer.email.strip():
        return None
    return User.objects.filter(email__iexact=customer.email.strip()).exclude(email="").order_by("pk").first()


def _delivered_purchases(email: str, product: Product, at: datetime) -> Q:
    return Q(
        customer__in=Customer.objects.with_email(email),
        lines__product=product,
        delivered_at__isnull=False,
        delivered_at__lte=at,
        refunded_at__isnull=True,
        cancelled_at__isnull=True,
    )


def purchase_verified(user: User, product: Product, *, at: datetime) -> bool:
    """The account side of the verified rule: its address is confirmed (read from the
    database, not the object a request carried) and a customer with that address has an
    order of ``product`` delivered at or before ``at``, neither refunded nor cancelled."""
    email = (
        User.objects.filter(pk=user.pk, email_verified_at__isnull=False)
        .exclude(email="")
        .values_list("email", flat=True)
        .first()
    )
    if email is None:
        return False
    return Order.objects.filter(_delivered_purchases(email.strip(), product, at)).exists()


def unsubscribe_customer(token: str) -> Customer:
    """The customer an unsubscribe link names; LinkRefused(INVALID) otherwise (an erased
    customer's link is still theirs: they are unsubscribed already)."""
    customer = Customer.objects.filter(pk=unsubscribe_token_customer_id(token)).first()
    if customer is None:
        raise LinkRefused(LinkProblem.INVALID)
    return customer


def unsubscribe(token: str, *, now: datetime) -> bool:
    """No more invitations for the link's customer, at once. True if this call
    unsubscribed them, False if they were already (the page says so either way)."""
    customer = unsubscribe_customer(token)
    return customer_unsubscribe(customer_id=customer.pk, now=now)
