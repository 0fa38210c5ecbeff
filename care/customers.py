"""Who a case's customer is and how to reach them: read where the address is stored, once
(the review's account, or the invited guest's orders.Customer), at the moment of sending.

Nothing here is shown to staff: pages and the API read :func:`case_reachable` (a yes or
no) and the review's public display name, never the address.
"""

from __future__ import annotations

from dataclasses import dataclass

from orders.models import Customer
from reviews.models import Review


@dataclass(frozen=True)
class Contact:
    address: str
    language: str
    name: str


def _guest_customer(review: Review) -> Customer | None:
    line = review.order_line
    if line is None:
        return None
    customer = line.order.customer
    if customer is None or customer.erased_at is not None or not customer.email:
        return None
    return customer


def review_contact(review: Review) -> Contact | None:
    """Where an email to the review's author goes now, or None (no active account with an
    address, and no invited customer still on file)."""
    author = review.author
    if author is not None:
        if author.is_active and author.email:
            return Contact(address=author.email, language=author.language, name=author.public_name)
        return None
    customer = _guest_customer(review)
    if customer is None:
        return None
    return Contact(address=customer.email, language=customer.language, name=review.author_name)


def case_reachable(review: Review) -> bool:
    return review_contact(review) is not None


def earlier_reviews(review: Review) -> list[Review]:
    """The same customer's other **published** reviews, newest first: by their account, or
    (a guest) by the orders of the same orders.Customer. Never matched by display name.

    Published only: whoever reads the case (care staff, the product's manager) sees what
    any shopper may read, never a held, rejected or removed review of another product (one
    removed for personal data least of all)."""
    others = (
        Review.objects.published().exclude(pk=review.pk).select_related("product").order_by("-created_at", "-id")
    )
    if review.author_id is not None:
        return list(others.filter(author_id=review.author_id)[:20])
    customer = _guest_customer(review)
    if customer is None:
        return []
    return list(others.filter(order_line__order__customer=customer)[:20])
