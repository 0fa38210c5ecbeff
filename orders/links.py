"""The signed links of an invitation email: one per product to review, one to unsubscribe.

Django's signing (HMAC with SECRET_KEY, a salt per purpose): a link cannot be forged or
altered, and a review link expires REVIEW_INVITE_LINK_DAYS after it was signed. Neither
carries the address: a link names an order line or a customer by id.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing

_REVIEW_SALT = "orders.invitation.review"
_UNSUBSCRIBE_SALT = "orders.invitation.unsubscribe"


class LinkProblem(StrEnum):
    """Why a link is refused (each has its own page, in both languages)."""

    INVALID = "invalid"  # tampered with, cut short, or not one of ours
    EXPIRED = "expired"
    USED = "used"  # it already produced a review
    UNSUBSCRIBED = "unsubscribed"  # its customer asked for no more invitations
    WITHDRAWN = "withdrawn"  # the order was cancelled or refunded, or the customer erased


class LinkRefused(Exception):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def review_link_max_age() -> timedelta:
    return timedelta(days=settings.REVIEW_INVITE_LINK_DAYS)


def review_token(line_id: int) -> str:
    return signing.dumps({"line": line_id}, salt=_REVIEW_SALT, compress=False)


def review_token_line_id(token: str) -> int:
    """The order line a review link names; LinkRefused(INVALID or EXPIRED) otherwise."""
    try:
        data = signing.loads(token, salt=_REVIEW_SALT, max_age=review_link_max_age())
    except signing.SignatureExpired as exc:
        raise LinkRefused(LinkProblem.EXPIRED) from exc
    except signing.BadSignature as exc:
        raise LinkRefused(LinkProblem.INVALID) from exc
    return _positive_id(data, "line")


def unsubscribe_token(customer_id: int) -> str:
    return signing.dumps({"customer": customer_id}, salt=_UNSUBSCRIBE_SALT, compress=False)


def unsubscribe_token_customer_id(token: str) -> int:
    """The customer an unsubscribe link names (it never expires: an old email's link must
    still work); LinkRefused(INVALID) otherwise."""
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise LinkRefused(LinkProblem.INVALID) from exc
    return _positive_id(data, "customer")


def _positive_id(data: object, key: str) -> int:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LinkRefused(LinkProblem.INVALID)
    return value
