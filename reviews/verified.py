"""The invitation link as a review's credential, and the one verified-purchase rule.

A review is a verified purchase if, and only if, it was written through an invitation
sent after the order was delivered, or by a signed-in account whose confirmed email has a
delivered, not refunded order of that product before the review (docs/invitations.md).
reviews.services.review_submit applies it with these helpers; nothing else sets the flag.

Through a link, who writes is the link's customer, whoever is signed in: the review is
the account's whose address is the customer's when that account has shown it owns the
address (invitation_author), with every rule an account brings (an employee review, the
conflict of interest); otherwise a guest's, shown under the customer's first name unless
they choose another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import user_is_staff_member
from core.errors import Conflict, DomainError
from core.text_safety import validate_display_name
from orders.invitation_use import (
    InvitedLine,
    LineRefused,
    customer_account,
    customer_lines_reviewed,
    invitation_line_lock,
    invitation_link_check,
    invitation_link_open,
    line_reviewed,
)
from orders.links import LinkProblem, LinkRefused
from orders.models import Customer
from products.models import Product
from reviews.models import AUTHOR_NAME_MAX_LENGTH, Review, ReviewStatus

# The status a refused link answers with, on the page and in the API: 403 for a link that
# is not one of ours (a credential that opens nothing; in the API a well-formed string the
# schema cannot tell from a genuine token, so not a 400), 410 for one that was ours and is
# gone for good, 403 for one its customer switched off (unsubscribed: we no longer ask them).
LINK_PROBLEM_STATUS: dict[LinkProblem, int] = {
    LinkProblem.INVALID: 403,
    LinkProblem.EXPIRED: 410,
    LinkProblem.USED: 410,
    LinkProblem.WITHDRAWN: 410,
    LinkProblem.UNSUBSCRIBED: 403,
}


def link_problem_message(problem: LinkProblem) -> str:
    messages = {
        LinkProblem.INVALID: _(
            "This review link is not valid: it may have been cut short or changed. "
            "Open it again from the email, or copy the whole address."
        ),
        LinkProblem.EXPIRED: _("This review link has expired: invitation links work for a limited time."),
        LinkProblem.USED: _("This review link was already used: a review was written with it."),
        LinkProblem.WITHDRAWN: _(
            "This review link no longer works: the order was cancelled or refunded, or its data was erased."
        ),
        LinkProblem.UNSUBSCRIBED: _(
            "This review link no longer works: you asked us not to send you review invitations."
        ),
    }
    return messages[problem]


class InvitationRefused(DomainError):
    """A review link that may not be used: code ``invitation_<problem>``, status by
    LINK_PROBLEM_STATUS. ``line_id`` and ``language`` are known when the link was genuine."""

    def __init__(self, problem: LinkProblem, *, line_id: int | None = None, language: str = "") -> None:
        super().__init__(link_problem_message(problem), code=f"invitation_{problem.value}")
        self.problem = problem
        self.http_status = LINK_PROBLEM_STATUS[problem]
        self.line_id = line_id
        self.language = language


def invitation_refused(refused: LinkRefused) -> InvitationRefused:
    if isinstance(refused, LineRefused):
        return InvitationRefused(refused.problem, line_id=refused.line_id, language=refused.language)
    return InvitationRefused(refused.problem)


@dataclass(frozen=True)
class Invited:
    """A usable link and who writes through it: the account of the customer's address, or
    nobody (a guest review)."""

    line: InvitedLine
    author: User | None

    @property
    def guest_name(self) -> str:
        return guest_display_name(self.line.customer_name)

    @property
    def rate_limit_key(self) -> str:
        """Whom the review-post limit counts: the account (one budget with its own posts on
        the site and the API), else the customer."""
        if self.author is not None:
            return f"user:{self.author.pk}"
        return f"customer:{self.line.customer.pk}"


def guest_display_name(customer_name: str) -> str:
    """An invited guest's default display name: the first name the shop gave. Never the
    full name: the published rules reject reviews that show anyone's full name; and never
    what looks like an address (a shop that sends the address as the name), nor text the
    display-name rule refuses: then no default, and the guest types one."""
    first = customer_name.strip().split(maxsplit=1)[0] if customer_name.strip() else ""
    if "@" in first:
        return ""
    try:
        validate_display_name(first)
    except ValidationError:
        return ""
    return first[:AUTHOR_NAME_MAX_LENGTH]


def invitation_author(customer: Customer, *, visitor: User | None) -> User | None:
    """Whose review a link writes: the account with the customer's address, if it has shown
    it owns that address, else nobody (a guest review of the customer).

    1. a staff account, always: its review is an employee review, or refused on a product it
       manages; an unconfirmed address does not dodge the conflict-of-interest rules;
    2. an active account whose address is confirmed (it read that mailbox before);
    3. an active account signed in now (``visitor``): its password and the link's mailbox
       together; the link then confirms the address (reviews.services.review_submit).
    Anyone may sign up with any address, unconfirmed: such an account gets nothing from the
    customer's link (not their review, not their verified purchases, not a confirmation).
    """
    account = customer_account(customer)
    if account is None:
        return None
    if user_is_staff_member(account):
        return account
    if not account.is_active:
        return None
    if account.email_verified_at is not None:
        return account
    return account if visitor is not None and visitor.pk == account.pk else None


def _checked(line: InvitedLine, product: Product | None, visitor: User | None) -> Invited:
    if product is not None and line.product.pk != product.pk:
        raise InvitationRefused(LinkProblem.INVALID)
    return Invited(line=line, author=invitation_author(line.customer, visitor=visitor))


def invitation_open(
    token: str,
    *,
    now: datetime,
    product: Product | None = None,
    record: bool = True,
    visitor: User | None = None,
) -> Invited:
    """The link's line (first opening recorded, unless ``record`` is False) and author
    (``visitor``: the account signed in on the site, if any); InvitationRefused otherwise,
    also for a link to another product than ``product``."""
    try:
        line = invitation_link_open(token, now=now) if record else invitation_link_check(token)
    except LinkRefused as exc:
        raise invitation_refused(exc) from exc
    return _checked(line, product, visitor)


def invitation_lock(token: str, *, now: datetime, product: Product, visitor: User | None = None) -> Invited:
    """invitation_open with the line's row locked, in the review's transaction."""
    try:
        line = invitation_line_lock(token, now=now)
    except LinkRefused as exc:
        raise invitation_refused(exc) from exc
    return _checked(line, product, visitor)


def review_duplicate_check(*, product: Product, author: User | None, invited: Invited | None) -> None:
    """One review per product revision: per account, and per invited customer (a guest
    invited again for the product by another order has reviewed it already)."""
    same = Q(author=author) if author is not None else Q()
    if invited is not None:
        same |= Q(order_line__order__customer=invited.line.customer)
    if not same:
        return
    reviews = Review.objects.filter(product=product, revision=product.revision).exclude(status=ReviewStatus.REMOVED)
    if reviews.filter(same).exists():
        raise Conflict(duplicate_message(author), code="duplicate_review")


def duplicate_message(author: User | None) -> str:
    if author is None:
        return _("You have already reviewed this product: one review per customer and product version.")
    return _("You have already reviewed this product. You can edit your review instead.")


def invited_lines_reviewed(review: Review, *, invited: Invited | None, now: datetime) -> None:
    """The invitation's line is used, and every other unreviewed line of the product in the
    customer's orders counts as reviewed (one review per customer and product: no later
    invitation or reminder asks about it again); a verified account's lines likewise."""
    if invited is not None:
        line_reviewed(invited.line.line, now=now)
        customer_lines_reviewed(customer=invited.line.customer, product=review.product, now=now)
    if review.verified_purchase and review.author is not None:
        customer_lines_reviewed(email=review.author.email, product=review.product, now=now)
