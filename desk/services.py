"""Every action taken from the product manager's desk.

Each service takes the acting user, checks that they may act (a product's managers and
quality directors on its notices and reviews; moderators on the moderation queue), then
acts through the owning app's services (gate.services, reviews.services) and, in the same
transaction, appends an AuditEntry and writes any email to the outbox. So an action,
its audit row and its emails exist together or not at all.

Moderation never looks at a review's rating: approving and rejecting depend only on the
review's status, its reports and the reason the moderator gives. And nobody moderates
the reviews of a product they manage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import user_can_moderate
from core.errors import Conflict, DomainError, NotAllowed, ValidationFailed
from core.url_converters import sku_reverse
from desk.models import COMMENT_MAX_LENGTH, PERSON_NAME_MAX_LENGTH, AuditAction, AuditEntry, NoticeComment
from desk.outcome_emails import outcome_email_enqueue
from gate.models import LIVE_NOTICE_STATES, Improvement, WithdrawalNotice
from gate.notify import notice_url, quality_directors
from gate.services import improvement_log
from notifications.outbox import user_email_enqueue
from products.access import user_can_manage_product, user_is_listed_manager
from products.models import Product
from products.translated import in_languages
from reviews.models import HOLD_REASONS, REPORT_REASONS, BrandReply, Review, ReviewReport, ReviewStatus
from reviews.reactions import brand_reply_post, review_report_handle
from reviews.services import decision_note_cleaned, review_publish, review_reject

__all__ = [
    "BulkResult",
    "ReplyPosted",
    "audit_record",
    "desk_improvement_log",
    "desk_reply_post",
    "kpis_export_record",
    "moderation_approve",
    "moderation_bulk",
    "moderation_reject",
    "moderator_require",
    "notice_acknowledge",
    "notice_assign",
    "notice_comment_add",
    "product_page_url",
]

BULK_MAX = 200


# --- Audit -------------------------------------------------------------------------------


def _name_of(user: User | None) -> str:
    """The name an audit row or a comment keeps (it outlives the account)."""
    return str(getattr(user, "public_name", "") or getattr(user, "username", "") or "?")[:PERSON_NAME_MAX_LENGTH]


def audit_record(
    *,
    actor: User | None,
    action: str,
    now: datetime,
    product: Product | None = None,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit row (in the caller's transaction)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_name_of(actor),
        at=now,
        action=action,
        product=product,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        details=details or {},
    )


# --- Rights ------------------------------------------------------------------------------


def _require_manager(user: User | None, product: Product) -> None:
    if user is None or not user_can_manage_product(user, product):
        raise NotAllowed(_("Only the product's managers and quality directors can do this."))


def moderator_require(user: User | None, product: Product) -> None:
    """Refuses (NotAllowed) anyone but a moderator, and a moderator who manages the product."""
    _require_moderator(user, product)


def product_page_url(product: Product) -> str | None:
    """The product's public page for an email (None for a legacy SKU without a page)."""
    return _product_url(product)


def _require_moderator(user: User | None, product: Product) -> None:
    if user is None or not user_can_moderate(user):
        raise NotAllowed(_("Only moderators can approve or reject reviews."))
    # A conflict of interest: whoever answers for a product does not judge its reviews.
    if user_is_listed_manager(user, product):
        raise NotAllowed(
            _("You manage this product, so another moderator must decide on its reviews."), code="own_product"
        )


def _require_live(notice: WithdrawalNotice) -> None:
    if notice.state not in LIVE_NOTICE_STATES:
        raise Conflict(_("This notice is closed: %(state)s.") % {"state": notice.get_state_display()}, code="closed")


# --- Notices -----------------------------------------------------------------------------


def _notice_locked(notice: WithdrawalNotice) -> WithdrawalNotice:
    return WithdrawalNotice.objects.select_for_update(of=("self",)).select_related("product").get(pk=notice.pk)


def notice_acknowledge(*, notice: WithdrawalNotice, by: User, now: datetime | None = None) -> WithdrawalNotice:
    """Say "I have seen it": the first acknowledgement stands; a second one changes nothing."""
    now = now or timezone.now()
    _require_manager(by, notice.product)
    with transaction.atomic():
        locked = _notice_locked(notice)
        _require_live(locked)
        if locked.acknowledged_at is not None:
            return locked
        locked.acknowledged_by = by
        locked.acknowledged_at = now
        locked.save(update_fields=["acknowledged_by", "acknowledged_at"])
        audit_record(
            actor=by,
            action=AuditAction.NOTICE_ACKNOWLEDGED,
            now=now,
            product=locked.product,
            target=locked,
            details={"state": locked.state},
        )
    return locked


def notice_assignees(*, product: Product) -> list[User]:
    """Who a notice can be assigned to: the product's managers and the quality directors,
    active, by name."""
    people = {user.pk: user for user in product.managers.filter(is_active=True)}
    people.update({user.pk: user for user in quality_directors().filter(is_active=True)})
    return sorted(people.values(), key=lambda user: (_name_of(user).casefold(), user.pk))


def notice_assign(
    *, notice: WithdrawalNotice, assignee: User | None, by: User, now: datetime | None = None
) -> WithdrawalNotice:
    """Hand the notice to a colleague who may act on the product (None: nobody). The new
    assignee is emailed, unless they assigned it to themselves."""
    now = now or timezone.now()
    _require_manager(by, notice.product)
    if assignee is not None and (not assignee.is_active or not user_can_manage_product(assignee, notice.product)):
        raise ValidationFailed(
            _("This person cannot act on this product."),
            fields={"assignee": _("Choose one of the product's managers or a quality director.")},
        )
    with transaction.atomic():
        locked = _notice_locked(notice)
        _require_live(locked)
        previous = locked.assigned_to
        if (previous.pk if previous else None) == (assignee.pk if assignee else None):
            return locked
        locked.assigned_to = assignee
        locked.save(update_fields=["assigned_to"])
        entry = audit_record(
            actor=by,
            action=AuditAction.NOTICE_ASSIGNED,
            now=now,
            product=locked.product,
            target=locked,
            details={
                "from_user_id": previous.pk if previous else None,
                "from": _name_of(previous) if previous else None,
                "to_user_id": assignee.pk if assignee else None,
                "to": _name_of(assignee) if assignee else None,
            },
        )
        if assignee is not None and assignee.pk != by.pk:
            user_email_enqueue(
                recipient=assignee,
                kind="notice_assigned",
                dedupe_key=f"notice_assigned:{entry.pk}",
                context={
                    "product_name": in_languages(locked.product, "name"),
                    "product_sku": locked.product.sku,
                    "notice_state": locked.state,
                    "notice_deadline": locked.deadline.isoformat(),
                    "notice_url": notice_url(locked.pk),
                    "assigned_by": _name_of(by),
                },
                now=now,
            )
    return locked


def notice_comment_add(*, notice: WithdrawalNotice, by: User, body: str, now: datetime | None = None) -> NoticeComment:
    """An internal note on the notice (closed notices too: the team's post-mortem)."""
    now = now or timezone.now()
    _require_manager(by, notice.product)
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(_("Write the comment first."), fields={"body": _("Required.")})
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationFailed(
            _("The comment is too long."),
            fields={"body": _("At most %(max)d characters.") % {"max": COMMENT_MAX_LENGTH}},
        )
    with transaction.atomic():
        comment = NoticeComment.objects.create(
            notice=notice, author=by, author_name=_name_of(by), body=body, created_at=now
        )
        audit_record(
            actor=by,
            action=AuditAction.NOTICE_COMMENTED,
            now=now,
            product=notice.product,
            target=notice,
            details={"comment_id": comment.pk},
        )
    return comment


def desk_improvement_log(
    *,
    notice: WithdrawalNotice,
    by: User,
    description: str,
    public_note: str = "",
    addressed_phrases: Iterable[str] = (),
    now: datetime | None = None,
) -> Improvement:
    """Log the improvement that answers a notice: a new product revision starting now.

    gate.services.improvement_log does the gate's part (it catches up the days not yet
    evaluated, starts the revision, writes the improved / reinstated event, puts a
    withdrawn product back on sale and resolves the notice); the audit row is written in
    the same transaction.
    """
    now = now or timezone.now()
    _require_manager(by, notice.product)
    _require_live(notice)
    product = notice.product
    state_before = product.gate_state
    with transaction.atomic():
        improvement = improvement_log(
            product=product,
            by=by,
            description=description,
            public_note=public_note,
            addressed_phrases=list(addressed_phrases),
            now=now,
        )
        product.refresh_from_db()
        audit_record(
            actor=by,
            action=AuditAction.IMPROVEMENT_LOGGED,
            now=now,
            product=product,
            target=improvement,
            details={
                "notice_id": notice.pk,
                "revision": improvement.revision,
                "state_before": state_before,
                "state_after": product.gate_state,
                "addressed_phrases": improvement.addressed_phrases,
            },
        )
    return improvement


# --- Replies -----------------------------------------------------------------------------


def _product_url(product: Product) -> str | None:
    """The public page for an email; ``None`` for a legacy SKU outside the rule (no page),
    which the email then leaves out rather than the email failing."""
    path = sku_reverse("product_detail", sku=product.sku)
    return None if path is None else settings.SITE_URL + path


@dataclass(frozen=True)
class ReplyPosted:
    reply: BrandReply
    # The first answer's email was written (False for a correction, and for an author with
    # no address to email now: a closed account, an erased or unknown customer).
    author_emailed: bool


def desk_reply_post(*, review: Review, by: User, body: str, now: datetime | None = None) -> ReplyPosted:
    """The brand's public answer to a review (reviews.reactions.brand_reply_post checks who
    may write it). The first answer is emailed to the review's author, whoever wrote it: an
    account, or a guest who wrote through their order's invitation, reached at the order's
    address read when the email is sent (desk.outcome_emails). A later correction is not
    emailed (one email per review)."""
    now = now or timezone.now()
    _require_manager(by, review.product)
    emailed = False
    with transaction.atomic():
        first = not BrandReply.objects.filter(review=review).exists()
        reply = brand_reply_post(review=review, author=by, body=body, now=now)
        details: dict[str, Any] = {"reply_id": reply.pk, "first": first}
        if first and review.published_at is not None:
            details["hours_after_publication"] = round((now - review.published_at).total_seconds() / 3600, 2)
        audit_record(
            actor=by, action=AuditAction.REVIEW_REPLIED, now=now, product=review.product, target=review, details=details
        )
        if first:
            emailed = outcome_email_enqueue(
                review,
                kind="review_reply",
                template="review_reply",
                dedupe_key=f"review_reply:{review.pk}",
                context={
                    "product_name": in_languages(review.product, "name"),
                    "product_sku": review.product.sku,
                    "product_url": _product_url(review.product),
                    "review_title": review.title,
                    "reply_body": reply.body,
                    "brand": review.product.brand,
                },
                now=now,
            )
    return ReplyPosted(reply=reply, author_emailed=emailed)


# --- Moderation --------------------------------------------------------------------------


def _review_locked(review: Review) -> Review:
    # Only the review's row is locked: PostgreSQL refuses FOR UPDATE on the nullable side
    # of an outer join (the author), and the product needs no lock here.
    return Review.objects.select_for_update(of=("self",)).select_related("product", "author").get(pk=review.pk)


def _queue_review_locked(review: Review) -> Review:
    """The review, locked, for a decision of the ordinary queue. A review held by the site
    (a burst, or waiting for its author's email) is not the queue's to decide: a burst is
    released or rejected with its statement (desk.bursts), an address only its owner confirms."""
    locked = _review_locked(review)
    if locked.status == ReviewStatus.PENDING and locked.status_reason in HOLD_REASONS:
        raise Conflict(
            _("This review is held (%(reason)s): decide on it where it is held, not in the queue.")
            % {"reason": locked.get_status_reason_display()},
            code="held_review",
        )
    return locked


def _reports_close(review: Review, *, by: User, now: datetime) -> int:
    closed = 0
    for report in ReviewReport.objects.select_for_update().filter(review=review, handled_at__isnull=True):
        review_report_handle(report=report, by=by, now=now)
        closed += 1
    return closed


def _outcome_email(
    review: Review,
    *,
    kind: str,
    now: datetime,
    reason: str = "",
    note: str = "",
    was_published: bool = False,
    reported: bool = False,
) -> bool:
    """The author's email of a decision, to an account or an invited guest (desk.outcome_emails);
    False when the author has no address to email. A rejection is a statement of reasons (EU
    Digital Services Act, Art. 17; templates/emails/review_rejected_body.txt): the decision, the
    facts it rests on (pending or published, reported or not), the reason code, its published
    rule and the moderator's note, that a person decided it (the burst rule's automated hold is
    told apart in desk.bursts' own email), and how to contest it (a guest has no account to
    edit the review from: the email says so and gives the appeals address)."""
    return outcome_email_enqueue(
        review,
        kind=kind,
        template=kind,
        # One per decision: a review rejected, edited, then published gets both emails.
        dedupe_key=f"{kind}:{review.pk}:{now.isoformat()}",
        context={
            "product_name": in_languages(review.product, "name"),
            "product_sku": review.product.sku,
            "product_url": _product_url(review.product),
            "review_title": review.title,
            "review_written": review.created_at.date().isoformat(),
            "decided_on": now.date().isoformat(),
            "reason": reason,
            "note": note,
            "was_published": was_published,
            "reported": reported,
            "appeals_email": settings.MODERATION_APPEALS_EMAIL,
            "rules_url": settings.SITE_URL + reverse("about_reviews") + "#moderation",
            "my_reviews_url": settings.SITE_URL + reverse("review_mine"),
        },
        now=now,
    )


def moderation_approve(*, review: Review, by: User, now: datetime | None = None) -> Review:
    """Approve a review: a pending one is published (its author is emailed), a reported
    one stays published; either way its open reports are closed."""
    return _approve(review=review, by=by, now=now or timezone.now())[0]


def _approve(*, review: Review, by: User, now: datetime) -> tuple[Review, bool]:
    """moderation_approve, and whether an email owed to the author could not be written
    (no address to email)."""
    _require_moderator(by, review.product)
    with transaction.atomic():
        locked = _queue_review_locked(review)
        status_before = locked.status
        has_reports = ReviewReport.objects.filter(review=locked, handled_at__isnull=True).exists()
        if status_before == ReviewStatus.PENDING:
            locked = review_publish(review=locked, by=by, now=now)
        elif not (status_before == ReviewStatus.PUBLISHED and has_reports):
            raise Conflict(
                _("This review is %(status)s and has no open report: there is nothing to approve.")
                % {"status": locked.get_status_display()},
                code="nothing_to_moderate",
            )
        closed = _reports_close(locked, by=by, now=now)
        audit_record(
            actor=by,
            action=AuditAction.REVIEW_APPROVED,
            now=now,
            product=locked.product,
            target=locked,
            details={"status_before": status_before, "status_after": locked.status, "reports_closed": closed},
        )
        unemailed = False
        if status_before == ReviewStatus.PENDING:
            unemailed = not _outcome_email(locked, kind="review_published", now=now)
    return locked, unemailed


def _check_reason(reason: str) -> None:
    if reason not in {code.value for code in REPORT_REASONS}:
        raise ValidationFailed(
            _("Choose the reason for rejecting the review."), fields={"reason": _("Choose a reason from the list.")}
        )


def moderation_reject(*, review: Review, reason: str, by: User, note: str = "", now: datetime | None = None) -> Review:
    """Reject a pending or a reported review with a published reason code and the moderator's
    note (required for "other"); the author is emailed the statement of reasons (an account,
    or an invited guest at their order's address), when there is an address to email."""
    return _reject(review=review, reason=reason, by=by, note=note, now=now or timezone.now())[0]


def _reject(*, review: Review, reason: str, by: User, note: str, now: datetime) -> tuple[Review, bool]:
    """moderation_reject, and whether the statement could not be written (no address)."""
    _check_reason(reason)
    note = decision_note_cleaned(reason, note)
    _require_moderator(by, review.product)
    with transaction.atomic():
        locked = _queue_review_locked(review)
        status_before = locked.status
        if status_before not in (ReviewStatus.PENDING, ReviewStatus.PUBLISHED):
            raise Conflict(
                _("This review is already %(status)s.") % {"status": locked.get_status_display()},
                code="nothing_to_moderate",
            )
        if (
            status_before == ReviewStatus.PUBLISHED
            and not ReviewReport.objects.filter(review=locked, handled_at__isnull=True).exists()
        ):
            # A published review leaves the site only through a report: moderators do not
            # go looking for reviews to hide.
            raise Conflict(
                _("This review is published and nobody reported it: there is nothing to decide."),
                code="nothing_to_moderate",
            )
        locked = review_reject(review=locked, reason=reason, note=note, by=by, now=now)
        closed = _reports_close(locked, by=by, now=now)
        audit_record(
            actor=by,
            action=AuditAction.REVIEW_REJECTED,
            now=now,
            product=locked.product,
            target=locked,
            details={"status_before": status_before, "reason": reason, "note": note, "reports_closed": closed},
        )
        emailed = _outcome_email(
            locked,
            kind="review_rejected",
            reason=reason,
            note=note,
            was_published=status_before == ReviewStatus.PUBLISHED,
            reported=closed > 0,
            now=now,
        )
    return locked, not emailed


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    # Of ``done``, the published reviews that were kept published (their reports closed).
    kept: list[int] = field(default_factory=list)
    # (review id, why it was skipped)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    # Of ``done``, the reviews whose author was owed an email of the decision but has no
    # address to email (an erased customer, a closed account): nothing was sent to them.
    unemailed: list[int] = field(default_factory=list)


def _bulk_one(
    review: Review, *, action: str, reason: str, note: str, by: User, now: datetime, result: BulkResult
) -> None:
    """One review of a bulk decision, added to ``result`` once decided."""
    if action == "approve":
        was_published = review.status == ReviewStatus.PUBLISHED
        _decided, unemailed = _approve(review=review, by=by, now=now)
        if was_published:
            result.kept.append(review.pk)
    else:
        _decided, unemailed = _reject(review=review, reason=reason, note=note, by=by, now=now)
    result.done.append(review.pk)
    if unemailed:
        result.unemailed.append(review.pk)


def moderation_bulk(
    *,
    review_ids: Sequence[int],
    action: str,
    by: User,
    reason: str = "",
    note: str = "",
    now: datetime | None = None,
) -> BulkResult:
    """The same decision for many reviews, each in its own transaction: one that another
    moderator decided meanwhile (or that the user may not judge) is skipped and reported,
    the others go through."""
    now = now or timezone.now()
    if by is None or not user_can_moderate(by):
        raise NotAllowed(_("Only moderators can approve or reject reviews."))
    if action not in ("approve", "reject"):
        raise ValidationFailed(_("Choose approve or reject."), fields={"action": _("Choose approve or reject.")})
    if action == "reject":
        _check_reason(reason)
        note = decision_note_cleaned(reason, note)
    ids = sorted(set(review_ids))
    if not ids:
        raise ValidationFailed(_("Select at least one review."), fields={"reviews": _("Select at least one review.")})
    if len(ids) > BULK_MAX:
        raise ValidationFailed(
            _("Select at most %(max)d reviews at a time.") % {"max": BULK_MAX},
            fields={"reviews": _("Too many reviews selected.")},
        )
    result = BulkResult()
    reviews = {review.pk: review for review in Review.objects.select_related("product").filter(pk__in=ids)}
    for pk in ids:
        review = reviews.get(pk)
        if review is None:
            result.skipped.append((pk, _("This review no longer exists.")))
            continue
        try:
            _bulk_one(review, action=action, reason=reason, note=note, by=by, now=now, result=result)
        except DomainError as error:
            result.skipped.append((pk, error.message))
    return result


# --- Exports -----------------------------------------------------------------------------


def kpis_export_record(*, by: User, parameters: dict[str, Any], rows: int, now: datetime | None = None) -> AuditEntry:
    """Figures leaving the site are recorded like any other action."""
    return audit_record(
        actor=by,
        action=AuditAction.KPIS_EXPORTED,
        now=now or timezone.now(),
        details={"parameters": parameters, "rows": rows},
    )
