"""Care's emails to a customer: a message from a case, and the closing message with the
effort question. The outbox row names the message and a builder, nothing else (no address,
no link: a link is a credential); at delivery the builder reads where the customer is
reached now (care.customers) and signs a fresh single-use reply link.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from care.customers import review_contact
from care.links import reply_token
from care.models import CaseMessage, MessageDirection, MessageKind
from notifications.builders import EMAIL_BUILDER_KEY, TO_ADDRESS_KEY, TO_LANGUAGE_KEY, email_builder_register
from notifications.outbox import email_message_build, outbox_insert
from products.translated import in_languages

CARE_MESSAGE_BUILDER = "care_message"
MESSAGE_KEY = "care_message"
_TEMPLATES = {MessageKind.MESSAGE: "care_message", MessageKind.CLOSING: "care_closing"}


def reply_link(message_id: int) -> str:
    """The absolute reply link of a care message, signed now."""
    return f"{settings.SITE_URL}{reverse('care_reply', args=[reply_token(message_id)])}"


def care_message_dedupe_key(message_id: int) -> str:
    """The outbox key of care's email for one message (care.erasure clears its errors)."""
    return f"care:message:{message_id}"


def care_message_email_enqueue(message: CaseMessage, *, now: datetime) -> None:
    """The message's email, in the caller's transaction (once: its dedupe key)."""
    kind = MessageKind(message.kind)
    row = email_message_build(
        recipient=None,
        kind="care_" + kind.value,
        template=_TEMPLATES[kind],
        dedupe_key=care_message_dedupe_key(message.pk),
        context={MESSAGE_KEY: message.pk, EMAIL_BUILDER_KEY: CARE_MESSAGE_BUILDER},
        due=now,
    )
    outbox_insert([row])


def care_message_email_context(recipient: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """What the message's template needs, read now; None for "send nothing" (the customer
    can no longer be reached: an erased customer, a closed account)."""
    message_id = context.get(MESSAGE_KEY)
    if isinstance(message_id, bool) or not isinstance(message_id, int):
        return None
    message = (
        CaseMessage.objects.select_related(
            "case__review__product", "case__review__author", "case__review__order_line__order__customer"
        )
        .filter(pk=message_id, direction=MessageDirection.TO_CUSTOMER)
        .first()
    )
    if message is None:
        return None
    review = message.case.review
    contact = review_contact(review)
    if contact is None:
        return None
    return {
        TO_ADDRESS_KEY: contact.address,
        TO_LANGUAGE_KEY: contact.language,
        "customer_name": contact.name,
        "product_name": in_languages(review.product, "name"),
        "review_title": review.title,
        "message_body": message.body,
        # The code, not its label: the builder runs before the worker switches to the
        # customer's language (notifications.delivery); the template says it in theirs.
        "outcome": message.case.outcome if message.kind == MessageKind.CLOSING else "",
        "reply_url": reply_link(message.pk),
        "valid_days": int(settings.CARE_REPLY_LINK_DAYS),
    }


def care_emails_register() -> None:
    """Called by CareConfig.ready()."""
    email_builder_register(CARE_MESSAGE_BUILDER, care_message_email_context)
