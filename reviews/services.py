"""Everything that writes a review: submitting, publishing, moderating, editing.

Votes, reports and brand replies (what others do with a published review) are in
``reviews.reactions``.

Each service validates first (so the user reads a clear message), then writes inside one
transaction, keeping the product's derived figures in step with F() expressions; the
database constraints are the backstop.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.events import EmailVerified
from accounts.models import User
from accounts.roles import user_is_staff_member
from accounts.verification import email_verify_by_invitation
from core.errors import Conflict, NotAllowed, ValidationFailed
from core.local_formats import number_text
from core.text_safety import validate_written_text
from orders.invitation_use import purchase_verified
from products.access import user_is_listed_manager
from products.models import Product
from products.page_version import page_version_bump
from products.services import product_rating_apply
from reviews.bursts import burst_reviews_to_hold
from reviews.content import UNCHANGED, Unchanged, content_check
from reviews.events import ReviewChange, ReviewChanged, review_changed
from reviews.models import (
    AUTHOR_NAME_MAX_LENGTH,
    DECISION_NOTE_MAX_LENGTH,
    REPORT_REASONS,
    ReasonCode,
    Review,
    ReviewSource,
    ReviewStatus,
    ReviewStatusChange,
    written_lengths,
)
from reviews.verified import (
    duplicate_message,
    invitation_lock,
    invitation_open,
    invited_lines_reviewed,
    review_duplicate_check,
)

# Legal moves of a review's status; anything else is refused.
_TRANSITIONS: dict[str, frozenset[str]] = {
    ReviewStatus.PENDING: frozenset({ReviewStatus.PUBLISHED, ReviewStatus.REJECTED, ReviewStatus.REMOVED}),
    ReviewStatus.PUBLISHED: frozenset({ReviewStatus.PENDING, ReviewStatus.REJECTED, ReviewStatus.REMOVED}),
    ReviewStatus.REJECTED: frozenset({ReviewStatus.PUBLISHED, ReviewStatus.PENDING, ReviewStatus.REMOVED}),
    ReviewStatus.REMOVED: frozenset(),
}


def _hold_check(current: str, to_status: str, reason: str) -> None:
    """A move to pending may carry a hold reason (why the site, not a moderator, holds it):
    only the burst rule takes a published review back (reviews.bursts), and nothing but a
    new review waits for its author's email (set at submission, not here)."""
    if to_status != ReviewStatus.PENDING or not reason:
        return
    if reason != ReasonCode.BURST or current not in (ReviewStatus.PENDING, ReviewStatus.PUBLISHED):
        raise Conflict(
            _("A review cannot be held for this reason: %(reason)s.") % {"reason": ReasonCode(reason).label},
            code="illegal_status_change",
        )


def _set_status(
    review: Review,
    to_status: str,
    *,
    reason: str = "",
    note: str = "",
    by: User | None = None,
    now: datetime | None = None,
) -> Review:
    """The one place a review's status changes: refuses illegal moves, keeps figures in step.

    1. lock the review and check the move is legal;
    2. withdraw the rating from the figures if it was counted, add it if it becomes so (an
       employee review is never counted: docs/gate.md);
    3. save the status (a pending review keeps its hold reason) and append the history row.
    """
    now = now or timezone.now()
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if to_status not in _TRANSITIONS[locked.status]:
        raise Conflict(
            _("A review that is %(current)s cannot become %(target)s.")
            % {"current": locked.get_status_display(), "target": ReviewStatus(to_status).label},
            code="illegal_status_change",
        )
    _hold_check(locked.status, to_status, reason)
    was_published = locked.status == ReviewStatus.PUBLISHED
    if was_published and not locked.employee:
        product_rating_apply(product_id=locked.product_id, revision=locked.revision, rating=locked.rating, delta=-1)
    if to_status == ReviewStatus.PUBLISHED:
        locked.published_at = now
        if not locked.employee:
            product_rating_apply(product_id=locked.product_id, revision=locked.revision, rating=locked.rating, delta=+1)
    ReviewStatusChange.objects.create(
        review=locked,
        from_status=locked.status,
        to_status=to_status,
        reason=reason,
        note=note,
        changed_by=by,
        changed_at=now,
    )
    locked.status = to_status
    locked.status_reason = "" if to_status == ReviewStatus.PUBLISHED else reason
    locked.save(update_fields=["status", "status_reason", "published_at", "updated_at"])
    if (was_published or to_status == ReviewStatus.PUBLISHED) and locked.employee:
        # The public page changes; a counted review's figures raised the version already
        # (product_rating_apply), an employee review's moved none (products.page_version).
        page_version_bump(locked.product_id)
    if to_status == ReviewStatus.PUBLISHED:
        _announce(ReviewChange.PUBLISHED, locked, at=now)
    elif was_published:
        _announce(ReviewChange.UNPUBLISHED, locked, at=now)
    return locked


def _pending_reason_set(review: Review, reason: str, *, now: datetime) -> Review:
    """Why a pending review waits changes (held for a burst, or its author's email is now
    confirmed and it waits for a moderator): recorded like any status change."""
    locked = Review.objects.select_for_update().get(pk=review.pk)
    if locked.status != ReviewStatus.PENDING or locked.status_reason == reason:
        return locked
    ReviewStatusChange.objects.create(
        review=locked,
        from_status=locked.status,
        to_status=ReviewStatus.PENDING,
        reason=reason,
        changed_by=None,
        changed_at=now,
    )
    locked.status_reason = reason
    locked.save(update_fields=["status_reason", "updated_at"])
    return locked


def _announce(change: ReviewChange, review: Review, *, at: datetime, previous_rating: int | None = None) -> None:
    """Tell the apps above (reviews.events.review_changed), in the caller's transaction."""
    review_changed.publish(
        ReviewChanged(
            change=change,
            review_id=review.pk,
            product_id=review.product_id,
            rating=review.rating,
            previous_rating=review.rating if previous_rating is None else previous_rating,
            at=at,
        )
    )


def user_is_employee(user: User | None) -> bool:
    """Staff, whose reviews are employee reviews: Django's ``is_staff`` (or a superuser), or
    any role other than shopper (moderator, product manager, quality director). An API key
    acts as its owner, so a staff member's key writes employee reviews too."""
    return user_is_staff_member(user)


def _conflict_of_interest_check(*, product: Product, author: User | None) -> None:
    """Whoever the product names among its managers may not review it (FTC 16 CFR 465): the
    same answer as the desk's conflict rule (products.access.user_is_listed_manager). A
    quality director acts on every product but manages none in this sense: their reviews
    elsewhere are employee reviews, shown labelled and counted nowhere."""
    if author is not None and user_is_listed_manager(author, product):
        raise NotAllowed(
            _("You manage this product, so you cannot review it: a review by its own staff is a conflict of interest."),
            code="own_product",
        )


def _publish_or_hold(review: Review, *, now: datetime) -> Review:
    """The normal publication path of a review no moderator has decided on yet:

    1. the burst rule (reviews.bursts): in a burst it waits with the reason ``burst``, and the
       window's reviews the gate has not evaluated yet go back to pending with it (so a
       moderator sees a burst as one, with pre-moderation on too);
    2. with pre-moderation on, it waits for a moderator (no hold reason);
    3. otherwise it is published.
    A moderator's release (review_publish) never comes here: it never asks the burst rule again.
    """
    # The product's row orders concurrent publications on it (review_submit holds it already).
    Product.objects.select_for_update().filter(pk=review.product_id).values_list("pk").first()
    held_ids = burst_reviews_to_hold(review=review, now=now)
    if held_ids is None:
        if settings.REVIEWS_PREMODERATION:
            return _pending_reason_set(review, "", now=now)
        return _set_status(review, ReviewStatus.PUBLISHED, by=None, now=now)
    _published_pull_back(held_ids, exclude=review.pk, now=now)
    return _pending_reason_set(review, ReasonCode.BURST, now=now)


def _published_pull_back(held_ids: list[int], *, exclude: int, now: datetime) -> None:
    """The burst's earlier reviews go back to pending with the reason ``burst``; only those
    still published: one withdrawn meanwhile stays as it is."""
    still_published = (
        Review.objects.select_for_update()
        .filter(pk__in=held_ids, status=ReviewStatus.PUBLISHED)
        .exclude(pk=exclude)
        .order_by("pk")
    )
    for published in still_published:
        _set_status(published, ReviewStatus.PENDING, reason=ReasonCode.BURST, by=None, now=now)


@transaction.atomic
def review_submit(
    *,
    product: Product,
    author: User | None,
    rating: Any,
    title: str,
    body: str,
    language: str,
    author_name: str = "",
    source: str = ReviewSource.SITE,
    invitation_token: str | None = None,
    recommend: int | None = None,
    now: datetime | None = None,
) -> Review:
    """Writes a new review of the product's current revision (``recommend``: the optional
    0-10 answer of the Net Promoter Score).

    1. through an invitation link (``invitation_token``), the link is the credential: the
       author is the account of the customer's address when it has shown it owns it
       (reviews.verified.invitation_author; ``author`` is then only who is signed in on the
       site, None through the API), else a guest; a refused link raises
       reviews.verified.InvitationRefused;
    2. refused to the product's own managers (a conflict of interest), then validated;
    3. an employee review (user_is_employee) is marked so, for good; verified purchase by
       the one rule (reviews.verified), and nothing else sets it;
    4. an author whose email is not confirmed yet: it is stored pending (reason
       ``email_unverified``), counted nowhere, until accounts.email_verified
       (reviews_waiting_for_email_release); a link used while signed in as the address's
       account confirms that address first;
    5. otherwise the publication path, decided before the row is written so that the row
       is written once (_review_insert_published_or_held: the burst rule, pre-moderation).
    The caller tells the author which from the returned review's status and reason.
    """
    now = now or timezone.now()
    invited, visitor = None, author  # through a link, ``author`` is who is signed in, if anyone
    if invitation_token is not None:  # checked now, recorded once locked (step 4's order)
        invited = invitation_open(invitation_token, now=now, product=product, record=False, visitor=visitor)
    if invited is not None:
        author, source = invited.author, ReviewSource.INVITATION
        author_name = (author_name or invited.guest_name) if author is None else ""
    _conflict_of_interest_check(product=product, author=author)
    content_check(
        rating=rating, title=title, body=body, language=language, lengths=written_lengths(), recommend=recommend
    )
    name = (author_name or (author.public_name if author is not None else "")).strip()[:AUTHOR_NAME_MAX_LENGTH]
    if not name:
        raise ValidationFailed(_("Tell us the name to show with your review."), fields={"author_name": _("Required.")})
    if invited is not None and author is not None and visitor is not None and visitor.pk == author.pk:
        # Signed in as the account of the address, with the link from its mailbox: confirmed.
        email_verify_by_invitation(user=author, email=invited.line.customer.email, now=now)
    # The author's confirmation is read under the author's row lock, taken before the
    # product's as a confirmation takes them (user, then products): a confirmation landing
    # meanwhile either sees this review or is seen by it, so no review waits forever. An
    # invitation's line is locked after the author, as an account's verified review marks
    # its lines reviewed after it: one order, no deadlock.
    email_confirmed = author is not None and _author_verified_locked(author)
    if invitation_token is not None:
        invited = invitation_lock(invitation_token, now=now, product=product, visitor=visitor)
    product = Product.objects.select_for_update().get(pk=product.pk)
    review_duplicate_check(product=product, author=author, invited=invited)
    verified = invited is not None or (author is not None and purchase_verified(author, product, at=now))
    hold_reason = ReasonCode.EMAIL_UNVERIFIED if author is not None and not email_confirmed else ""
    review = Review(
        product=product,
        author=author,
        author_name=name,
        rating=rating,
        recommend=recommend,
        title=title.strip(),
        body=body.strip(),
        language=language,
        revision=product.revision,
        verified_purchase=verified,
        order_line=invited.line.line if invited is not None else None,
        source=source,
        employee=user_is_employee(author),
        status_reason=hold_reason,
        created_at=now,
    )
    # Before the review's row, whose publication is announced as it is written: the lines
    # are marked from the review's product, author and mark, not from its row.
    invited_lines_reviewed(review, invited=invited, now=now)
    if hold_reason:
        _review_insert(review, by=author, now=now)
    else:
        _review_insert_published_or_held(review, by=author, now=now)
    return review


def _review_insert_published_or_held(review: Review, *, by: User | None, now: datetime) -> None:
    """A new review that waits for nothing of its author's takes the publication path
    (_publish_or_hold's rules) decided before its row is written, so that it is written once:

    1. the burst rule, asked of the review not yet saved (the product's row is locked by
       review_submit): in a burst it is stored pending with the reason ``burst``, and the
       window's reviews go back to pending as _publish_or_hold does;
    2. with pre-moderation on, it is stored pending for a moderator;
    3. otherwise it is stored published, with one history row (from nothing to published,
       by nobody: the site published it, as it would have from pending), the product's
       figures moved by one UPDATE, and the publication announced.
    """
    held_ids = burst_reviews_to_hold(review=review, now=now)
    if held_ids is not None:
        review.status_reason = ReasonCode.BURST
        _review_insert(review, by=by, now=now)
        _published_pull_back(held_ids, exclude=review.pk, now=now)
        return
    if settings.REVIEWS_PREMODERATION:
        _review_insert(review, by=by, now=now)
        return
    review.status, review.status_reason, review.published_at = ReviewStatus.PUBLISHED, "", now
    _review_insert(review, by=None, now=now, from_status="")
    if not review.employee:  # its figures' UPDATE raises the page version too
        product_rating_apply(product_id=review.product_id, revision=review.revision, rating=review.rating, delta=+1)
    else:  # shown, never counted: only the page changes (products.page_version)
        page_version_bump(review.product_id)
    # No brand reply exists for a review this transaction has just written: said to the
    # relation, so that whoever shows the new review does not ask the database.
    Review.brand_reply.related.set_cached_value(review, None)
    _announce(ReviewChange.PUBLISHED, review, at=now)


def _review_insert(review: Review, *, by: User | None, now: datetime, from_status: str = "") -> None:
    """The review's row as it stands (pending unless said) and its first history row.

    No savepoint around the INSERT: a concurrent double submit breaks the one-review
    constraint, and the Conflict raised then leaves review_submit's atomic block, which
    rolls the whole submission back."""
    try:
        review.save(force_insert=True)
    except IntegrityError as exc:  # a concurrent double submit: the constraint is the backstop
        raise Conflict(duplicate_message(review.author), code="duplicate_review") from exc
    ReviewStatusChange.objects.create(
        review=review,
        from_status=from_status,
        to_status=review.status,
        reason=review.status_reason,
        changed_by=by,
        changed_at=now,
    )


def _author_verified_locked(author: User) -> bool:
    verified_at = User.objects.select_for_update().filter(pk=author.pk).values_list("email_verified_at", flat=True)
    return verified_at.first() is not None


def reviews_waiting_for_email_release(*, author: User, now: datetime) -> list[Review]:
    """``author`` confirmed their email: each review that waited for it takes the normal
    publication path (_publish_or_hold), in the caller's transaction, product by product."""
    waiting = Review.objects.filter(
        author=author, status=ReviewStatus.PENDING, status_reason=ReasonCode.EMAIL_UNVERIFIED
    ).order_by("product_id", "pk")  # products locked in id order, as every recount does
    return [_publish_or_hold(review, now=now) for review in waiting]


def email_verified_reviews_release(event: EmailVerified) -> None:
    """accounts.email_verified's handler (subscribed in ReviewsConfig.ready()): runs inside
    the publisher's transaction, so the reviews are released with the confirmation or not at all."""
    reviews_waiting_for_email_release(author=event.user, now=event.at)


def own_review_check(review: Review, by: User | None) -> None:
    """Nobody moderates their own review (publishes, rejects, removes it, or closes its reports)."""
    if by is not None and review.author_id is not None and review.author_id == by.pk:
        raise NotAllowed(_("You wrote this review, so another moderator must decide on it."), code="own_review")


@transaction.atomic
def review_publish(*, review: Review, by: User | None = None, now: datetime | None = None) -> Review:
    """A moderator's release (or the system's, ``by=None``): published without asking the
    burst rule again. A review waiting for its author's email is not theirs to release."""
    own_review_check(review, by)
    if Review.objects.filter(
        pk=review.pk, status=ReviewStatus.PENDING, status_reason=ReasonCode.EMAIL_UNVERIFIED
    ).exists():
        raise Conflict(
            _("This review waits for its author to confirm their email address; it is published then."),
            code="email_unverified",
        )
    return _set_status(review, ReviewStatus.PUBLISHED, by=by, now=now)


def reason_check(reason: str, *, allowed: Sequence[ReasonCode]) -> None:
    """A reason code from the list the action allows (reports and moderation decisions differ)."""
    if reason not in {c.value for c in allowed}:
        raise ValidationFailed(
            _("Choose a reason from the list."), fields={"reason": _("Choose a reason from the list.")}
        )


def decision_note_cleaned(reason: str, note: str) -> str:
    """The moderator's note of a rejection's statement of reasons (EU DSA Art. 17), stripped:
    required with "other" (the code alone says nothing), optional with a published rule."""
    note = (note or "").strip()
    if "\x00" in note:  # the per-review notes of the queue are not form fields: no NUL validator
        message = _("The note contains a null character: remove it.")
        raise ValidationFailed(message, fields={"note": message})
    try:
        validate_written_text(note)
    except DjangoValidationError as error:
        raise ValidationFailed(error.messages[0], fields={"note": error.messages[0]}) from error
    if reason == ReasonCode.OTHER and not note:
        message = _("With the reason “Other”, write what the review breaks: the author receives it.")
        raise ValidationFailed(message, fields={"note": message})
    if len(note) > DECISION_NOTE_MAX_LENGTH:
        message = _("Keep the note to %(max)s characters.") % {"max": number_text(DECISION_NOTE_MAX_LENGTH)}
        raise ValidationFailed(message, fields={"note": message})
    return note


@transaction.atomic
def review_reject(
    *, review: Review, reason: str, by: User | None, note: str = "", now: datetime | None = None
) -> Review:
    """Reject a review with a published reason code and, for "other", the moderator's note
    (kept in its history and sent to its author in the statement of reasons)."""
    reason_check(reason, allowed=REPORT_REASONS)
    note = decision_note_cleaned(reason, note)
    own_review_check(review, by)
    return _set_status(review, ReviewStatus.REJECTED, reason=reason, note=note, by=by, now=now)


@transaction.atomic
def review_remove(*, review: Review, reason: str, by: User | None, now: datetime | None = None) -> Review:
    reason_check(reason, allowed=list(ReasonCode))
    own_review_check(review, by)
    return _set_status(review, ReviewStatus.REMOVED, reason=reason, by=by, now=now)


@transaction.atomic
def review_delete_by_author(*, review: Review, author: User | None, now: datetime | None = None) -> Review:
    if author is None or review.author_id != author.pk:
        raise NotAllowed(_("Only the author can delete this review."))
    return _set_status(review, ReviewStatus.REMOVED, reason=ReasonCode.AUTHOR_DELETED, by=author, now=now)


@transaction.atomic
def review_edit(
    *,
    review: Review,
    author: User | None,
    rating: Any,
    title: str | Unchanged,
    body: str | Unchanged,
    language: str | Unchanged,
    recommend: int | Unchanged | None = UNCHANGED,
    now: datetime | None = None,
) -> Review:
    """The author changes their review; with pre-moderation it waits for a moderator again.
    A field given as UNCHANGED keeps its value as stored when the row is locked (not as the
    caller read it earlier); ``recommend`` None clears the answer."""
    if author is None or review.author_id != author.pk:
        raise NotAllowed(_("Only the author can edit this review."))
    locked = Review.objects.select_for_update().get(pk=review.pk)
    rating = locked.rating if isinstance(rating, Unchanged) else rating
    title = locked.title if isinstance(title, Unchanged) else title
    body = locked.body if isinstance(body, Unchanged) else body
    language = locked.language if isinstance(language, Unchanged) else language
    # Measured against the review as stored: an older, longer review keeps its length.
    content_check(
        rating=rating, title=title, body=body, language=language, lengths=written_lengths(locked), recommend=recommend
    )
    if locked.status == ReviewStatus.REMOVED:
        raise Conflict(_("This review was removed and can no longer be edited."), code="review_removed")
    previous_rating = locked.rating
    figures_moved = locked.status == ReviewStatus.PUBLISHED and not locked.employee and rating != locked.rating
    if figures_moved:  # the two UPDATEs raise the page version too
        product_rating_apply(product_id=locked.product_id, revision=locked.revision, rating=locked.rating, delta=-1)
        product_rating_apply(product_id=locked.product_id, revision=locked.revision, rating=rating, delta=+1)
    locked.rating = rating
    locked.title = title.strip()
    locked.body = body.strip()
    locked.language = language
    if not isinstance(recommend, Unchanged):
        locked.recommend = recommend
    locked.save(update_fields=["rating", "recommend", "title", "body", "language", "updated_at"])
    if locked.status == ReviewStatus.PUBLISHED and not figures_moved:
        page_version_bump(locked.product_id)  # the public page changes: products.page_version
    needs_moderation = settings.REVIEWS_PREMODERATION or locked.status == ReviewStatus.REJECTED
    if needs_moderation and locked.status != ReviewStatus.PENDING:
        locked = _set_status(locked, ReviewStatus.PENDING, by=author, now=now)
    elif locked.status == ReviewStatus.PUBLISHED:
        _announce(ReviewChange.EDITED, locked, at=now or timezone.now(), previous_rating=previous_rating)
    return locked
