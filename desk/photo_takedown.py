"""A moderator takes down one photo of a review, the review staying published.

The same duties as a rejection (desk.services.moderation_reject), for one photo: a
published reason code and the moderator's note (required with "other"), the reports that
named the photo closed, and the author emailed a statement of reasons (EU Digital Services
Act, Art. 17; templates/emails/review_photo_removed_body.txt), an account or an invited
guest alike (desk.outcome_emails). The photo stops being shown at once and is kept, never
public, for the appeal window (a takedown reversed on appeal gets it back); then
reviews.photos.review_photos_expired_delete deletes it, rows and files (docs/photos.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, NotAllowed, ValidationFailed
from desk.outcome_emails import outcome_email_enqueue
from desk.services import moderator_require, product_page_url
from products.translated import in_languages
from reviews.models import REPORT_REASONS, ReviewPhoto, ReviewReport, ReviewStatus
from reviews.photos import review_photo_take_down
from reviews.reactions import review_report_handle
from reviews.services import decision_note_cleaned

__all__ = ["PHOTO_REMOVED_KIND", "PhotoTakedown", "moderation_photo_remove"]

# The outbox's kind (at most 16 characters) and the email's templates.
PHOTO_REMOVED_KIND = "photo_removed"
PHOTO_REMOVED_TEMPLATE = "review_photo_removed"
# Reviews whose photos a moderator may take down: the published (reported, most often) and
# those waiting for a first decision. A rejected or removed review's photos are not shown.
_SHOWN_OR_WAITING = (ReviewStatus.PUBLISHED, ReviewStatus.PENDING)


@dataclass(frozen=True)
class PhotoTakedown:
    photo: ReviewPhoto
    reports_closed: int
    emailed: bool  # False when the author has no address to email (erased, closed account)


def _reason_check(reason: str) -> None:
    if reason not in {code.value for code in REPORT_REASONS}:
        raise ValidationFailed(
            _("Choose the reason for removing the photo."), fields={"reason": _("Choose a reason from the list.")}
        )


def _statement_email(photo: ReviewPhoto, *, reason: str, note: str, reported: bool, now: datetime) -> bool:
    review = photo.review
    return outcome_email_enqueue(
        review,
        kind=PHOTO_REMOVED_KIND,
        template=PHOTO_REMOVED_TEMPLATE,
        dedupe_key=f"{PHOTO_REMOVED_KIND}:{photo.pk}",  # a photo is taken down once
        context={
            "product_name": in_languages(review.product, "name"),
            "product_sku": review.product.sku,
            "product_url": product_page_url(review.product),
            "review_title": review.title,
            "photo_number": photo.number_shown(),  # as the author saw it numbered
            "decided_on": now.date().isoformat(),
            "reason": reason,
            "note": note,
            "reported": reported,
            "appeals_email": settings.MODERATION_APPEALS_EMAIL,
            "rules_url": settings.SITE_URL + reverse("about_reviews") + "#moderation",
        },
        now=now,
    )


def moderation_photo_remove(
    *, photo: ReviewPhoto, reason: str, note: str = "", by: User, now: datetime | None = None
) -> PhotoTakedown:
    """1. checks the reason and the note (as a rejection's), then that ``by`` moderates
       this product and did not write the review;
    2. locks the photo, takes it down (reviews.photos.review_photo_take_down: a
       compare-and-swap; a photo already down is a Conflict);
    3. closes the open reports that named this photo (a report about the review as a whole
       stays in the queue);
    4. writes the author's statement of reasons to the outbox, in the same transaction."""
    now = now or timezone.now()
    _reason_check(reason)
    note = decision_note_cleaned(reason, note)
    review = photo.review
    moderator_require(by, review.product)
    if review.author_id is not None and review.author_id == by.pk:
        raise NotAllowed(_("Nobody moderates their own review."), code="own_review")
    with transaction.atomic():
        locked = ReviewPhoto.objects.select_for_update().select_related("review__product").get(pk=photo.pk)
        if locked.review.status not in _SHOWN_OR_WAITING:
            raise Conflict(
                _("This review is %(status)s: its photos are not shown already.")
                % {"status": locked.review.get_status_display()},
                code="nothing_to_moderate",
            )
        if not review_photo_take_down(photo=locked, reason=reason, note=note, by=by, now=now):
            raise Conflict(_("This photo was already removed."), code="already_removed")
        closed = 0
        for report in ReviewReport.objects.select_for_update().filter(photo=locked, handled_at__isnull=True):
            review_report_handle(report=report, by=by, now=now)
            closed += 1
        emailed = _statement_email(locked, reason=reason, note=note, reported=closed > 0, now=now)
    locked.refresh_from_db()
    return PhotoTakedown(photo=locked, reports_closed=closed, emailed=emailed)
