"""Deciding a held burst of reviews (reviews.bursts) in bulk, with a statement to each author.

A moderator releases or rejects a product's held reviews, all of them or a selection,
and writes one statement that every author receives by email (in their language: the
outbox renders at delivery). Release publishes through ``reviews.services.review_publish``
(which never asks the burst rule again), reject goes through ``review_reject`` with a
published reason; each review is its own transaction, so one decided meanwhile by another
moderator (or refused by the services, e.g. a moderator's own review) is skipped and
reported while the others go through.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import user_can_moderate
from core.errors import DomainError, NotAllowed, ValidationFailed
from core.url_converters import sku_reverse
from desk.models import AuditAction
from desk.outcome_emails import outcome_email_enqueue
from desk.services import BULK_MAX, BulkResult, audit_record
from products.access import user_is_listed_manager
from products.models import Product
from products.translated import in_languages
from reviews.bursts import held_as_burst
from reviews.models import REPORT_REASONS, Review
from reviews.services import review_publish, review_reject

__all__ = ["BURST_STATEMENT_MAX_LENGTH", "BurstAction", "burst_decide"]

BURST_STATEMENT_MAX_LENGTH = 2000
# The outbox's kind (at most 16 characters) and the templates emails/review_burst_decision_*.txt.
EMAIL_KIND = "review_burst"
EMAIL_TEMPLATE = "review_burst_decision"


class BurstAction(StrEnum):
    RELEASE = "release"
    REJECT = "reject"


def _check(*, product: Product, action: str, reason: str, statement: str, by: User | None) -> None:
    if by is None or not user_can_moderate(by):
        raise NotAllowed(_("Only moderators can release or reject held reviews."))
    if user_is_listed_manager(by, product):
        raise NotAllowed(
            _("You manage this product, so another moderator must decide on its reviews."), code="own_product"
        )
    errors: dict[str, str] = {}
    if action not in {choice.value for choice in BurstAction}:
        errors["action"] = _("Choose release or reject.")
    if action == BurstAction.REJECT and reason not in {code.value for code in REPORT_REASONS}:
        errors["reason"] = _("Choose the reason for rejecting the reviews.")
    if not statement:
        errors["statement"] = _("Write the statement every author will receive.")
    elif len(statement) > BURST_STATEMENT_MAX_LENGTH:
        errors["statement"] = _("At most %(max)d characters.") % {"max": BURST_STATEMENT_MAX_LENGTH}
    if errors:
        raise ValidationFailed(_("The decision could not be made: please correct the fields shown."), fields=errors)


def _targets(*, product: Product, review_ids: Sequence[int] | None) -> list[Review]:
    reviews = Review.objects.filter(product=product).select_related("product", "author")
    # A selection is taken as chosen (one decided meanwhile is then skipped and said so);
    # "all" is what is held now.
    reviews = reviews.filter(held_as_burst()) if review_ids is None else reviews.filter(pk__in=set(review_ids))
    chosen = list(reviews.order_by("created_at", "pk")[: BULK_MAX + 1])
    if not chosen:
        raise ValidationFailed(
            _("No held review of this product was selected."), fields={"reviews": _("Select at least one review.")}
        )
    if len(chosen) > BULK_MAX:
        raise ValidationFailed(
            _("Decide at most %(max)d reviews at a time.") % {"max": BULK_MAX},
            fields={"reviews": _("Too many reviews selected.")},
        )
    return chosen


def _statement_email(review: Review, *, action: str, reason: str, statement: str, now: datetime) -> bool:
    """The decision and the statement to the author (an account, or an invited guest at
    their order's address: desk.outcome_emails), rendered in their language at delivery.
    False when the author has no address to email. Its own template: the template's name is
    longer than an outbox kind may be."""
    path = sku_reverse("product_detail", sku=review.product.sku)
    return outcome_email_enqueue(
        review,
        kind=EMAIL_KIND,
        template=EMAIL_TEMPLATE,
        # One per decision: a review held again later and decided again gets both emails.
        dedupe_key=f"{EMAIL_KIND}:{review.pk}:{now.isoformat()}",
        context={
            "released": action == BurstAction.RELEASE,
            "product_name": in_languages(review.product, "name"),
            "product_url": None if path is None else settings.SITE_URL + path,
            "review_title": review.title,
            "reason": reason,
            "statement": statement,
            "appeals_email": settings.MODERATION_APPEALS_EMAIL,  # how to contest (EU DSA Art. 17)
            "rules_url": settings.SITE_URL + reverse("about_reviews") + "#bursts",
            "my_reviews_url": settings.SITE_URL + reverse("review_mine"),
        },
        now=now,
    )


def _decide_one(review: Review, *, action: str, reason: str, statement: str, by: User, now: datetime) -> bool:
    """Decide one held review; False when its author has no address to email the decision."""
    with transaction.atomic():
        # Decided meanwhile by another moderator: no longer held, nothing to do here.
        # The lock makes a concurrent decision wait, then the filter sees it.
        if not list(Review.objects.select_for_update().filter(held_as_burst(), pk=review.pk).values_list("pk")):
            raise ValidationFailed(_("This review is no longer held."))
        if action == BurstAction.RELEASE:
            decided = review_publish(review=review, by=by, now=now)
            audit_action = AuditAction.REVIEW_APPROVED
        else:
            decided = review_reject(review=review, reason=reason, note=statement, by=by, now=now)
            audit_action = AuditAction.REVIEW_REJECTED
        audit_record(
            actor=by,
            action=audit_action,
            now=now,
            product=review.product,
            target=decided,
            details={"burst": True, "status_after": decided.status, "reason": reason, "statement": statement},
        )
        return _statement_email(review, action=action, reason=reason, statement=statement, now=now)


def burst_decide(
    *,
    product: Product,
    action: str,
    statement: str,
    by: User | None,
    reason: str = "",
    review_ids: Sequence[int] | None = None,
    now: datetime | None = None,
) -> BulkResult:
    """Release or reject the product's held reviews (``review_ids``: a selection of them;
    None: all of them, at most BULK_MAX), emailing ``statement`` to each author.

    1. check the moderator, the action, the reason (reject) and the statement;
    2. per review, in its own transaction: still held? publish or reject through
       reviews.services, append an audit row, queue the author's email (an account's or an
       invited guest's; one with no address to email is listed in ``unemailed``).
    """
    now = now or timezone.now()
    statement = statement.strip()
    _check(product=product, action=action, reason=reason, statement=statement, by=by)
    assert by is not None  # _check refuses anyone else
    result = BulkResult()
    for review in _targets(product=product, review_ids=review_ids):
        try:
            emailed = _decide_one(review, action=action, reason=reason, statement=statement, by=by, now=now)
        except DomainError as error:
            result.skipped.append((review.pk, error.message))
        else:
            result.done.append(review.pk)
            if not emailed:
                result.unemailed.append(review.pk)
    return result
