"""The thanks email to every published review's author (imports aside), the same text
whatever the rating: nothing in it depends on the stars, and nothing is offered.

Once per review: the outbox row's dedupe key is ``thanks:<review id>``, so re-publishing,
editing or a repeated delivery task never sends a second one. The row names the review and
a builder, nothing else (no address, no link); at delivery the builder reads the author as
they are then (care.customers: the account, or the invited guest's orders.Customer) and
sends nothing when they turned these emails off, even for an email already queued, or when
the review is no longer published.

Employee reviews are thanked like any other: their author wrote a review; the email is the
same for everyone. Imported history is never thanked (an import publishes nothing, and the
source is checked here too).

Turning them off: the profile's checkbox (User.review_thanks_emails) or the email's signed
link (its own salt; it names the account or the customer by id, never the address; it never
expires, as an old email's link must still work), whose page is care.thanks_views.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from care.customers import review_contact
from core.url_converters import sku_reverse
from notifications.builders import (
    EMAIL_BUILDER_KEY,
    TO_ADDRESS_KEY,
    TO_LANGUAGE_KEY,
    UNSUBSCRIBE_URL_KEY,
    email_builder_register,
)
from notifications.outbox import email_message_build, outbox_insert
from orders.models import Customer
from products.translated import in_languages
from reviews.models import Review, ReviewSource, ReviewStatus

__all__ = [
    "THANKS_BUILDER",
    "ThanksLinkInvalid",
    "ThanksOwner",
    "ThanksOwnerKind",
    "review_thanks_email_context",
    "review_thanks_owed",
    "thanks_dedupe_key",
    "thanks_emails_register",
    "thanks_off",
    "thanks_turn_off",
    "thanks_unsubscribe_link",
    "thanks_unsubscribe_owner",
    "thanks_unsubscribe_token",
]

THANKS_BUILDER = "review_thanks"
REVIEW_KEY = "review"
_TEMPLATE = "review_thanks"  # emails/review_thanks_subject.txt and _body.txt
_KIND = "review_thanks"  # the outbox kind (16 characters at most)
_UNSUBSCRIBE_SALT = "care.thanks.unsubscribe"


def thanks_dedupe_key(review_id: int) -> str:
    return f"thanks:{review_id}"


def review_thanks_owed(review: Review, *, now: datetime) -> None:
    """Write the thanks email of ``review`` (once per review: its dedupe key), in the
    caller's transaction. Called by care.services when a review is published."""
    if review.source == ReviewSource.IMPORT:
        return
    row = email_message_build(
        recipient=None,
        kind=_KIND,
        template=_TEMPLATE,
        dedupe_key=thanks_dedupe_key(review.pk),
        context={REVIEW_KEY: review.pk, EMAIL_BUILDER_KEY: THANKS_BUILDER},
        due=now,
    )
    outbox_insert([row])


# --- Whose thanks: an account or an invited guest (orders.Customer) ---------------------
class ThanksOwnerKind(StrEnum):
    USER = "user"
    CUSTOMER = "customer"


@dataclass(frozen=True)
class ThanksOwner:
    """Who a thanks email is for, and who its unsubscribe link turns them off for."""

    kind: ThanksOwnerKind
    id: int


class ThanksLinkInvalid(Exception):
    """An unsubscribe link that is not one of ours (tampered with, cut short)."""


def _owner_of(review: Review) -> ThanksOwner | None:
    """The account that wrote ``review``, else the invited guest's customer, or None."""
    if review.author_id is not None:
        return ThanksOwner(ThanksOwnerKind.USER, review.author_id)
    line = review.order_line
    if line is not None and line.order.customer_id is not None:
        return ThanksOwner(ThanksOwnerKind.CUSTOMER, line.order.customer_id)
    return None


def thanks_unsubscribe_token(owner: ThanksOwner) -> str:
    return signing.dumps({owner.kind.value: owner.id}, salt=_UNSUBSCRIBE_SALT, compress=False)


def thanks_unsubscribe_owner(token: str) -> ThanksOwner:
    """Whom an unsubscribe link names (it never expires); ThanksLinkInvalid otherwise."""
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise ThanksLinkInvalid from exc
    if not isinstance(data, dict) or len(data) != 1:
        raise ThanksLinkInvalid
    [(key, value)] = data.items()
    if key not in {kind.value for kind in ThanksOwnerKind}:
        raise ThanksLinkInvalid
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ThanksLinkInvalid
    return ThanksOwner(ThanksOwnerKind(key), value)


def thanks_unsubscribe_link(owner: ThanksOwner) -> str:
    return f"{settings.SITE_URL}{reverse('thanks_unsubscribe', args=[thanks_unsubscribe_token(owner)])}"


def thanks_off(owner: ThanksOwner) -> bool:
    """True when ``owner`` receives no thanks emails (turned off, or no longer on file)."""
    if owner.kind == ThanksOwnerKind.USER:
        return not User.objects.filter(pk=owner.id, review_thanks_emails=True).exists()
    return not Customer.objects.filter(pk=owner.id, thanks_unsubscribed_at__isnull=True).exists()


@transaction.atomic
def thanks_turn_off(owner: ThanksOwner, *, now: datetime) -> bool:
    """No more thanks emails for ``owner``, at once (an email already queued included: the
    builder reads this at delivery). True if this call turned them off, False if they
    were off already. A compare-and-swap: two clicks at once turn it off once."""
    if owner.kind == ThanksOwnerKind.USER:
        changed = User.objects.filter(pk=owner.id, review_thanks_emails=True).update(review_thanks_emails=False)
    else:
        changed = Customer.objects.filter(pk=owner.id, thanks_unsubscribed_at__isnull=True).update(
            thanks_unsubscribed_at=now
        )
    return changed == 1


# --- The builder, run by the worker as it sends ------------------------------------------
def _wants_thanks(review: Review) -> bool:
    author = review.author
    if author is not None:
        return author.review_thanks_emails
    line = review.order_line
    customer = line.order.customer if line is not None else None
    return customer is not None and customer.thanks_unsubscribed_at is None


def _review_url(review: Review) -> str:
    path = sku_reverse("product_detail", sku=review.product.sku)
    return f"{settings.SITE_URL}{path}#review-{review.pk}" if path else ""


def review_thanks_email_context(recipient: User | None, context: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """What the thanks template needs, read now; None for "send nothing": the review is no
    longer published, its author turned these emails off, or cannot be reached."""
    review_id = context.get(REVIEW_KEY)
    if isinstance(review_id, bool) or not isinstance(review_id, int):
        return None
    review = (
        Review.objects.select_related("product", "author", "order_line__order__customer")
        .filter(pk=review_id, status=ReviewStatus.PUBLISHED)
        .exclude(source=ReviewSource.IMPORT)
        .first()
    )
    if review is None or not _wants_thanks(review):
        return None
    contact = review_contact(review)
    owner = _owner_of(review)
    if contact is None or owner is None:
        return None
    return {
        TO_ADDRESS_KEY: contact.address,
        TO_LANGUAGE_KEY: contact.language,
        UNSUBSCRIBE_URL_KEY: thanks_unsubscribe_link(owner),
        "author_name": contact.name,
        "product_name": in_languages(review.product, "name"),
        "review_url": _review_url(review),
        "profile_url": f"{settings.SITE_URL}{reverse('profile')}" if owner.kind == ThanksOwnerKind.USER else "",
    }


def thanks_emails_register() -> None:
    """Called by CareConfig.ready(): the worker completes thanks emails with this."""
    email_builder_register(THANKS_BUILDER, review_thanks_email_context)
