"""The emails to a review's author, whoever wrote it (moderation's decisions, the brand's
reply): an account, or a guest who wrote through their order's invitation link (no
account: Review.author is None).

An account's email is addressed to the account (notifications.outbox, as before). A
guest's row names the review and a builder, never the address: at delivery the builder
reads where the customer is reached now (care.customers.review_contact: the invited
guest's orders.Customer), in their language, and sends nothing once they were erased.
The same way care's messages and the thanks email reach a guest (docs/care.md).

:func:`outcome_email_enqueue` says whether an email was written, so the desk's message
never claims one was sent to an author with no address to email (an erased customer, a
closed account).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from accounts.models import User
from care.customers import review_contact
from notifications.builders import EMAIL_BUILDER_KEY, TO_ADDRESS_KEY, TO_LANGUAGE_KEY, email_builder_register
from notifications.models import DeliveryAttempt, OutboxMessage
from notifications.outbox import email_message_build, outbox_insert
from orders.events import OrdersAnonymising
from reviews.models import Review

__all__ = [
    "OUTCOME_BUILDER",
    "outcome_email_enqueue",
    "outcome_emails_anonymising_handle",
    "outcome_emails_register",
    "review_outcome_email_context",
]

OUTCOME_BUILDER = "review_outcome"
REVIEW_KEY = "review"


def outcome_email_enqueue(
    review: Review, *, kind: str, template: str, dedupe_key: str, context: Mapping[str, Any], now: datetime
) -> bool:
    """Write the decision's email to ``review``'s author in the caller's transaction.
    True if one was written; False when the author has no address to email now (a closed
    account, an erased or unknown customer) or ``dedupe_key`` was used before."""
    if review_contact(review) is None:
        return False
    author = review.author
    if author is not None:
        row = email_message_build(
            recipient=author, kind=kind, template=template, dedupe_key=f"user:{dedupe_key}", context=context, due=now
        )
    else:
        row = email_message_build(
            recipient=None,
            kind=kind,
            template=template,
            dedupe_key=f"guest:{dedupe_key}",
            context={**context, REVIEW_KEY: review.pk, EMAIL_BUILDER_KEY: OUTCOME_BUILDER},
            due=now,
        )
    return bool(outbox_insert([row]))


def review_outcome_email_context(recipient: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A guest's address, language and name, read now; None for "send nothing" (the
    customer was erased, the review is gone)."""
    review_id = context.get(REVIEW_KEY)
    if isinstance(review_id, bool) or not isinstance(review_id, int):
        return None
    review = (
        Review.objects.select_related("author", "order_line__order__customer")
        .filter(pk=review_id, author__isnull=True)
        .first()
    )
    if review is None:
        return None
    contact = review_contact(review)
    if contact is None:
        return None
    return {
        TO_ADDRESS_KEY: contact.address,
        TO_LANGUAGE_KEY: contact.language,
        # The templates greet the review's name and leave out the account's links.
        "guest": True,
        "author_name": contact.name,
    }


def outcome_emails_anonymising_handle(fact: OrdersAnonymising) -> None:
    """When orders lose their customer: empty the delivery errors of the guest's decision
    emails (a mail server may quote the address in a way the masking does not recognise),
    as care does for its emails. A queued one then sends nothing (the builder)."""
    review_ids = list(
        Review.objects.filter(order_line__order_id__in=list(fact.order_ids), author__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if not review_ids:
        return
    rows = OutboxMessage.objects.filter(payload__email_builder=OUTCOME_BUILDER, payload__review__in=review_ids)
    DeliveryAttempt.objects.filter(message__in=rows).update(error="")
    rows.update(last_error="")


def outcome_emails_register() -> None:
    """Called by DeskConfig.ready()."""
    email_builder_register(OUTCOME_BUILDER, review_outcome_email_context)
