"""The review invitation email: its outbox row, written by the sweep, and its builder, run by
the worker as it sends.

The row holds the invitation's id and the template's name, nothing else: no address, no
name, no link (a link is a credential, and the outbox keeps payloads in the database and
shows them in the admin). At delivery the builder reads the customer as they are then:
the address (stored once, in orders.Customer) and the language, the products still to
review, a fresh signed link for each and the unsubscribe link. It sends nothing when the
customer unsubscribed or was erased, or the order was cancelled or refunded, meanwhile: an
unsubscribe is honoured at once, even for an email already queued.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from notifications.builders import (
    EMAIL_BUILDER_KEY,
    TO_ADDRESS_KEY,
    TO_LANGUAGE_KEY,
    UNSUBSCRIBE_URL_KEY,
    email_builder_register,
)
from notifications.models import OutboxMessage
from notifications.outbox import email_message_build
from orders.links import review_token, unsubscribe_token
from orders.models import Invitation, InvitationKind, OrderLine
from products.translated import in_languages

__all__ = [
    "INVITATION_BUILDER",
    "INVITATION_KEY",
    "invitation_email_context",
    "invitation_email_row",
    "invitation_emails_register",
    "review_link",
    "unsubscribe_link",
]

# The builder's name (in the payload) and the payload's one fact.
INVITATION_BUILDER = "review_invitation"
INVITATION_KEY = "invitation"
# Templates emails/<name>_subject.txt and _body.txt, and outbox kinds (16 characters at most).
_TEMPLATES = {InvitationKind.INVITATION: "review_invitation", InvitationKind.REMINDER: "review_reminder"}
_MESSAGE_KINDS = {InvitationKind.INVITATION: "review_invite", InvitationKind.REMINDER: "review_reminder"}


def invitation_dedupe_key(*, order_id: int, kind: str) -> str:
    return f"invite:{order_id}:{kind}"


def invitation_email_row(invitation: Invitation, *, due: datetime) -> OutboxMessage:
    """The unsaved outbox row of ``invitation`` (for notifications.outbox.outbox_insert)."""
    kind = InvitationKind(invitation.kind)
    return email_message_build(
        recipient=None,
        kind=_MESSAGE_KINDS[kind],
        template=_TEMPLATES[kind],
        dedupe_key=invitation_dedupe_key(order_id=invitation.order_id, kind=kind.value),
        context={INVITATION_KEY: invitation.pk, EMAIL_BUILDER_KEY: INVITATION_BUILDER},
        due=due,
    )


def review_link(line_id: int) -> str:
    """The absolute review link of one order line, signed now (it expires
    REVIEW_INVITE_LINK_DAYS later)."""
    return f"{settings.SITE_URL}{reverse('invitation_review', args=[review_token(line_id)])}"


def unsubscribe_link(customer_id: int) -> str:
    return f"{settings.SITE_URL}{reverse('invitation_unsubscribe', args=[unsubscribe_token(customer_id)])}"


def _still_wanted(invitation: Invitation) -> bool:
    customer, order = invitation.customer, invitation.order
    return (
        customer is not None
        and bool(customer.email)
        and customer.erased_at is None
        and customer.unsubscribed_at is None
        # Anonymised (past ORDER_RETENTION_DAYS) or taken from an erased customer.
        and order.customer_id == customer.pk
        and order.cancelled_at is None
        and order.refunded_at is None
    )


def invitation_email_context(recipient: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """What the invitation's template needs, read now; None for "send nothing"."""
    invitation_id = context.get(INVITATION_KEY)
    if isinstance(invitation_id, bool) or not isinstance(invitation_id, int):
        return None
    invitation = Invitation.objects.select_related("order", "customer").filter(pk=invitation_id).first()
    if invitation is None or not _still_wanted(invitation):
        return None
    # A product reviewed since the row was written is not asked about again.
    lines = list(
        OrderLine.objects.filter(invitations=invitation, reviewed_at__isnull=True)
        .select_related("product")
        .order_by("id")
    )
    if not lines:
        return None
    customer = invitation.customer
    assert customer is not None  # _still_wanted
    return {
        TO_ADDRESS_KEY: customer.email,
        TO_LANGUAGE_KEY: customer.language,
        UNSUBSCRIBE_URL_KEY: unsubscribe_link(customer.pk),
        # Each name in every language: the email is rendered in the customer's.
        "products": [
            {"name": in_languages(line.product, "name"), "review_url": review_link(line.pk)} for line in lines
        ],
        "valid_days": int(settings.REVIEW_INVITE_LINK_DAYS),
    }


def invitation_emails_register() -> None:
    """Called by OrdersConfig.ready(): the worker completes invitation emails with this."""
    email_builder_register(INVITATION_BUILDER, invitation_email_context)
