"""An author's edit of a review's photos: remove chosen ones, add new ones, 5 at most in
all, with the text edit's moderation rule (docs/photos.md). The checking, cleaning and
storing are reviews.photos'; this module decides what an edit may do and applies it in one
transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import Conflict, NotAllowed, ValidationFailed
from products.page_version import page_version_bump
from reviews import services
from reviews.models import ReasonCode, Review, ReviewPhoto, ReviewStatus
from reviews.photo_rules import MAX_PHOTOS_PER_REVIEW, photo_count_problem
from reviews.photos import (
    FIELD,
    PhotosRefused,
    Upload,
    photo_files_delete,
    photos_check,
    photos_prepare,
    review_photos_store,
    sizes_queue_on_commit,
)

REMOVE_FIELD = "remove_photos"


def too_many_kept_message(*, kept: int) -> str:
    """An edit that would leave a review more than MAX_PHOTOS_PER_REVIEW photos."""
    room = max(0, MAX_PHOTOS_PER_REVIEW - kept)
    return _(
        "A review has at most %(max)d photos: it keeps %(kept)d, so add at most %(room)d, or remove some first."
    ) % {
        "max": MAX_PHOTOS_PER_REVIEW,
        "kept": kept,
        "room": room,
    }


def _edit_photos_check(*, current: Sequence[int], remove_ids: Sequence[int], adding: int, held: int = 0) -> list[int]:
    """The ids the review keeps, or the refusal: a removal naming a photo that is not this
    review's (another's, gone meanwhile), or more photos than a review may have. ``held``:
    photos a moderator took down, kept for the author's appeal; they hold their place among
    the 5 (the database's position constraint) until review_photos_expired_delete."""
    strangers = sorted(set(remove_ids) - set(current))
    if strangers:
        message = ngettext(
            "Photo %(ids)s is not one of this review's photos.",
            "Photos %(ids)s are not this review's photos.",
            len(strangers),
        ) % {"ids": ", ".join(str(pk) for pk in strangers)}
        raise ValidationFailed(message, fields={REMOVE_FIELD: [message]})
    # A reported photo the author removes is withdrawn, not deleted (_photos_withdraw): it
    # holds its place like a taken-down one.
    held += len(_reported_photo_ids(remove_ids))
    kept = [pk for pk in current if pk not in set(remove_ids)]
    if photo_count_problem(held + len(kept) + adding) is not None:
        message = too_many_kept_message(kept=held + len(kept))
        raise PhotosRefused(message, fields={FIELD: [message]})
    return kept


def _reported_photo_ids(photo_ids: Sequence[int]) -> set[int]:
    if not photo_ids:
        return set()
    return set(ReviewPhoto.objects.filter(pk__in=photo_ids, reports__isnull=False).values_list("pk", flat=True))


def _photos_withdraw(review: Review, photo_ids: Sequence[int], *, by: Any, now: datetime) -> None:
    """Reported photos the author removes: hidden at once, as a moderator's takedown hides
    one (removed_at: never shown again, served to the author and moderators alone), and kept
    with their reports, the notice's record (EU DSA), which moderators still close; deleting
    one would delete its report (ReviewReport.photo cascades). Their files go with the
    appeal window (reviews.photos.review_photos_expired_delete)."""
    ReviewPhoto.objects.filter(review_id=review.pk, pk__in=photo_ids, removed_at__isnull=True).update(
        removed_at=now, removed_by=by, removed_reason=ReasonCode.AUTHOR_DELETED, removed_note=""
    )


def _photo_ids(review_id: int, *, taken_down: bool = True) -> list[int]:
    """The review's photos in their order; without those a moderator took down
    (``taken_down=False``): the author neither sees nor removes them, but they keep their
    place until their appeal window ends."""
    photos = ReviewPhoto.objects.filter(review_id=review_id)
    if not taken_down:
        photos = photos.filter(removed_at__isnull=True)
    return list(photos.order_by("position", "pk").values_list("pk", flat=True))


def review_photos_editable(review: Review) -> list[ReviewPhoto]:
    """The photos an author's edit form lists: theirs, less any a moderator took down."""
    return list(review.photos.filter(removed_at__isnull=True).order_by("position", "pk"))


def _kept_photos_compact(kept: Sequence[int]) -> None:
    """The kept photos renumbered 0, 1, 2... in their order. Each moves down or stays, taken
    in ascending order, so it never lands on a position another still holds (the database's
    one-photo-per-position constraint is checked row by row)."""
    for position, pk in enumerate(kept):
        ReviewPhoto.objects.filter(pk=pk).exclude(position=position).update(position=position)


def review_edit_with_photos(
    *,
    review: Review,
    author: Any,
    uploads: Sequence[Upload],
    remove_ids: Sequence[int],
    queue_sizes: Callable[[int], Any],
    now: datetime | None = None,
    **fields: Any,
) -> Review:
    """An author's edit (reviews.services.review_edit, same fields; a field left out is
    UNCHANGED) that may also remove some of the review's photos and add new ones.

    1. before anything is written or decoded: the author, the removals (this review's photos
       only), the count (kept + new at most MAX_PHOTOS_PER_REVIEW), every new file's header;
       then the new photos decoded and re-encoded, stopping at the first refusal;
    2. in one transaction, the review locked: the removals and the count checked again (an
       edit saved meanwhile); the text edit through services.review_edit whenever the edit
       changes the text or adds photos, so its moderation rule applies (with pre-moderation,
       or a rejected review, it waits for a moderator); the removed rows deleted (their files
       go once the deletion commits: _photo_files_delete_on_commit); the kept renumbered; the
       new FULL files written after them. A removal alone changes what is shown by taking
       away only, so it needs no moderation. Any refusal: the new files already written go;
    3. once committed, ``queue_sizes(photo_id)`` for each new photo (the sizes task).
    """
    now = now or timezone.now()
    if author is None or review.author_id != author.pk:
        raise NotAllowed(_("Only the author can edit this review."))
    remove_ids = list(dict.fromkeys(remove_ids))
    every, shown = _photo_ids(review.pk), _photo_ids(review.pk, taken_down=False)
    _edit_photos_check(current=shown, remove_ids=remove_ids, adding=len(uploads), held=len(every) - len(shown))
    photos_check(uploads)
    prepared = photos_prepare(uploads)
    text_edit = {name: fields.get(name, services.UNCHANGED) for name in ("rating", "title", "body", "language")}
    changes_text = any(value is not services.UNCHANGED for value in text_edit.values()) or "recommend" in fields
    written: list[str] = []
    try:
        with transaction.atomic():
            locked = Review.objects.select_for_update().get(pk=review.pk)
            every, shown = _photo_ids(locked.pk), _photo_ids(locked.pk, taken_down=False)
            _edit_photos_check(current=shown, remove_ids=remove_ids, adding=len(prepared), held=len(every) - len(shown))
            withdrawn = _reported_photo_ids(remove_ids)
            deleted = set(remove_ids) - withdrawn
            # Positions run over every row left, hidden photos included (one photo per position).
            kept = [pk for pk in every if pk not in deleted]
            if changes_text or prepared:
                extra = {"recommend": fields["recommend"]} if "recommend" in fields else {}
                locked = services.review_edit(review=locked, author=author, now=now, **text_edit, **extra)
            elif locked.status == ReviewStatus.REMOVED:
                raise Conflict(_("This review was removed and can no longer be edited."), code="review_removed")
            _photos_withdraw(locked, sorted(withdrawn), by=author, now=now)
            if remove_ids:  # photos leave the product page: products.page_version
                page_version_bump(locked.product_id)
            for photo in ReviewPhoto.objects.filter(review_id=locked.pk, pk__in=deleted):
                photo.delete()  # its files on commit (post_delete receiver)
            _kept_photos_compact(kept)
            stored = review_photos_store(
                review=locked, photos=prepared, now=now, written=written, first_position=len(kept)
            )
            sizes_queue_on_commit([photo.pk for photo in stored], queue_sizes)
    except BaseException:
        photo_files_delete(written)
        raise
    return locked
