"""What others do with a published review: vote on it, report it (and a moderator closes
the report), answer it as the brand.

Each service validates first (so the user reads a clear message), then writes inside one
transaction; the review's vote counters move with F() expressions, and the database's
unique constraints are the backstop against a double vote or report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import Conflict, NotAllowed, ValidationFailed
from core.local_formats import number_text
from products.access import user_can_manage_product
from products.page_version import page_version_bump
from reviews.models import (
    BRAND_REPLY_MAX_LENGTH,
    REPORT_COMMENT_MAX_LENGTH,
    REPORT_REASONS,
    BrandReply,
    ReasonCode,
    Review,
    ReviewPhoto,
    ReviewReport,
    ReviewStatus,
    ReviewVote,
)
from reviews.services import own_review_check, reason_check


@transaction.atomic
def review_vote(*, review: Review, voter: User, helpful: bool) -> ReviewVote:
    """One vote per voter, changeable; never on one's own review or an unpublished one."""
    if review.author_id is not None and review.author_id == voter.pk:
        raise NotAllowed(_("You cannot vote on your own review."), code="own_review")
    if review.status != ReviewStatus.PUBLISHED:
        raise Conflict(_("Only published reviews can be voted on."), code="not_published")
    vote = ReviewVote.objects.select_for_update().filter(review=review, voter=voter).first()
    counters: dict[str, Any] = {}
    if vote is None:
        try:
            with transaction.atomic():
                vote = ReviewVote.objects.create(review=review, voter=voter, helpful=helpful)
        except IntegrityError as exc:
            raise Conflict(_("Your vote was already counted."), code="duplicate_vote") from exc
        counters["helpful_yes" if helpful else "helpful_no"] = F("helpful_yes" if helpful else "helpful_no") + 1
    elif vote.helpful != helpful:
        old, new = ("helpful_yes", "helpful_no") if vote.helpful else ("helpful_no", "helpful_yes")
        counters = {old: F(old) - 1, new: F(new) + 1}
        vote.helpful = helpful
        vote.save(update_fields=["helpful"])
    if counters:
        Review.objects.filter(pk=review.pk).update(**counters)
        page_version_bump(review.product_id)  # the counts are on the public page: products.page_version
    return vote


@transaction.atomic
def review_report(
    *,
    review: Review,
    reporter: User,
    reason: str,
    comment: str = "",
    photo: ReviewPhoto | None = None,
    now: datetime | None = None,
) -> ReviewReport:
    """Sends a review to the moderation queue; it stays published until a moderator decides.
    Nobody reports their own review (they can edit or delete it). ``photo``: the report is
    about that photo of the review (the moderators see which)."""
    if photo is not None and photo.review_id != review.pk:
        raise ValidationFailed(_("This photo is not one of this review's."), fields={"photo": _("Not this review's.")})
    if review.author_id is not None and review.author_id == reporter.pk:
        raise NotAllowed(_("You cannot report your own review: edit or delete it instead."), code="own_review")
    reason_check(reason, allowed=REPORT_REASONS)
    comment = comment.strip()
    if reason == ReasonCode.OTHER and not comment:
        raise ValidationFailed(
            _("Tell us what is wrong with this review."), fields={"comment": _("Required when the reason is Other.")}
        )
    if len(comment) > REPORT_COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            _("The comment is too long."),
            fields={"comment": _("At most %(max)s characters.") % {"max": number_text(REPORT_COMMENT_MAX_LENGTH)}},
        )
    if ReviewReport.objects.filter(review=review, reporter=reporter, handled_at__isnull=True).exists():
        raise Conflict(
            _("You have already reported this review; a moderator will look at it."), code="duplicate_report"
        )
    try:
        with transaction.atomic():
            return ReviewReport.objects.create(
                review=review,
                reporter=reporter,
                reason=reason,
                comment=comment,
                photo=photo,
                created_at=now or timezone.now(),
            )
    except IntegrityError as exc:
        raise Conflict(_("You have already reported this review."), code="duplicate_report") from exc


@transaction.atomic
def review_report_handle(*, report: ReviewReport, by: User | None, now: datetime | None = None) -> ReviewReport:
    own_review_check(report.review, by)
    report.handled_at = now or timezone.now()
    report.handled_by = by
    report.save(update_fields=["handled_at", "handled_by"])
    return report


@transaction.atomic
def brand_reply_post(*, review: Review, author: User, body: str, now: datetime | None = None) -> BrandReply:
    """The brand's public answer: one per review, written (or revised) by a product's manager."""
    if not user_can_manage_product(author, review.product):
        raise NotAllowed(_("Only the product's managers can reply to its reviews."))
    body = body.strip()
    if not body:
        raise ValidationFailed(_("Write the reply first."), fields={"body": _("Required.")})
    if len(body) > BRAND_REPLY_MAX_LENGTH:
        raise ValidationFailed(
            _("The reply is too long."),
            fields={"body": _("At most %(max)s characters.") % {"max": number_text(BRAND_REPLY_MAX_LENGTH)}},
        )
    if review.status != ReviewStatus.PUBLISHED:
        raise Conflict(_("Only published reviews can be answered."), code="not_published")
    now = now or timezone.now()
    reply, created = BrandReply.objects.select_for_update().get_or_create(
        review=review, defaults={"author": author, "body": body, "created_at": now, "updated_at": now}
    )
    if not created:
        reply.author = author
        reply.body = body
        reply.updated_at = now
        reply.save(update_fields=["author", "body", "updated_at"])
    page_version_bump(review.product_id)  # the reply is on the public page: products.page_version
    return reply
