"""A review's photos: decoded, cleaned and stored with the review, sized by a task.

1. ``photos_prepare`` decodes each upload with Pillow, whatever its name or claimed type,
   checks it against reviews.photo_rules (count, bytes, decoded format, pixels: a
   decompression bomb is refused from its header), turns it upright (EXIF orientation) and
   re-encodes it as WebP from its pixels alone: EXIF, GPS, XMP, comments and any bytes
   appended to the file are left behind. Every file is checked before anything is stored.
2. ``review_submit_with_photos`` writes the review (reviews.services.review_submit) and the
   photos' FULL size in one transaction; if anything fails, the files it wrote are deleted.
3. ``review_photo_sizes_make`` (reviews.tasks) writes the other sizes and marks the photo
   ready; only ready photos are shown. Safe to repeat: a ready photo is left alone.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import IO, Any, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image

from accounts.models import User
from core import images
from core.errors import ValidationFailed
from core.image_rules import ImageProblem
from orders.events import OrdersAnonymising
from products.page_version import page_version_bump, page_versions_bump
from reviews import services
from reviews.models import ReasonCode, Review, ReviewPhoto, ReviewReport, ReviewStatus, ReviewStatusChange
from reviews.photo_rules import (
    APPEAL_WINDOW_DAYS,
    DERIVED_SIZES,
    LONGEST_SIDE,
    MAX_JPEG_SCANS,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    MAX_PHOTOS_PER_REVIEW,
    PhotoProblem,
    PhotoSize,
    photo_bytes_problem,
    photo_count_problem,
)
from reviews.verified import review_duplicate_check

logger = logging.getLogger(__name__)

WEBP_QUALITY = 82
FIELD = "photos"


class Upload(Protocol):
    """What a photo upload needs to be: Django's UploadedFile, or any named, sized stream."""

    name: str | None
    size: int | None

    def read(self, size: int = -1) -> bytes: ...
    def seek(self, offset: int, whence: int = 0) -> int: ...


# A checked photo, upright and re-encoded (WebP), ready to store.
PreparedPhoto = images.CleanImage


def _problem_message(problem: PhotoProblem, name: str) -> str:
    messages = {
        PhotoProblem.TOO_LARGE: _("“%(name)s” is larger than %(mb)d MB: send a smaller photo."),
        PhotoProblem.EMPTY: _("“%(name)s” is empty."),
        PhotoProblem.NOT_AN_IMAGE: _("“%(name)s” is not a photo we can read: send a JPEG, PNG or WebP image."),
        PhotoProblem.FORMAT_REFUSED: _("“%(name)s” is not a JPEG, PNG or WebP image (whatever its name says)."),
        PhotoProblem.TOO_MANY_PIXELS: _(
            "“%(name)s” has too many pixels (more than %(mp)d megapixels): send a smaller photo."
        ),
        PhotoProblem.TOO_MANY_SCANS: _(
            "“%(name)s” is a JPEG of more than %(scans)d scans, which no camera writes: save it again as an "
            "ordinary JPEG or send a PNG."
        ),
    }
    limits = {"mb": MAX_PHOTO_BYTES // (1024 * 1024), "mp": MAX_PHOTO_PIXELS // 10**6, "scans": MAX_JPEG_SCANS}
    return messages[problem] % {"name": name[:80], **limits}


def too_many_photos_message() -> str:
    return ngettext(
        "Add at most %(max)d photo to a review.", "Add at most %(max)d photos to a review.", MAX_PHOTOS_PER_REVIEW
    ) % {"max": MAX_PHOTOS_PER_REVIEW}


class PhotosRefused(ValidationFailed):
    """A review refused because of its photos. Unlike a refusal of the review itself, it
    is not given back to the rate limit (docs/photos.md): reading photos costs CPU."""


def _header_problem(upload: Upload) -> PhotoProblem | None:
    """The cheap checks, before any pixel is decoded: the size, then the header (format,
    dimensions) and, for a JPEG, how many scans its markers announce (core.images)."""
    size = upload.size if upload.size is not None else len(upload.read())
    problem = photo_bytes_problem(size)
    if problem is not None:
        return problem
    found = images.image_problem(upload)  # type: ignore[arg-type]
    return None if found is None else PhotoProblem(found.value)


def _decoded(stream: IO[bytes]) -> Image.Image | PhotoProblem:
    """The image, fully decoded and upright, or why it is refused (core.images; its header
    was checked by _header_problem, the guards stay for a caller that did not)."""
    decoded = images.image_decoded(stream)
    return PhotoProblem(decoded.value) if isinstance(decoded, ImageProblem) else decoded


def _reencoded(image: Image.Image, longest_side: int) -> PreparedPhoto:
    """Pixels only: a new WebP, so no metadata of the source can travel with it."""
    return images.webp_reencoded(image, longest_side=longest_side, quality=WEBP_QUALITY)


def _refused(problem: PhotoProblem, name: str) -> PhotosRefused:
    message = _problem_message(problem, name)
    return PhotosRefused(_("Some photos could not be accepted: nothing was sent."), fields={FIELD: [message]})


def photos_check(uploads: Sequence[Upload]) -> None:
    """The count, then every file's header (cheap), before anything is decoded: stops at
    the first refusal (PhotosRefused, naming that file)."""
    if photo_count_problem(len(uploads)) is not None:
        message = too_many_photos_message()
        raise PhotosRefused(message, fields={FIELD: message})
    for upload in uploads:
        problem = _header_problem(upload)
        if problem is not None:
            raise _refused(problem, upload.name or _("photo"))


def photo_prepare(upload: Upload) -> PreparedPhoto | str:
    """One upload, checked and re-encoded at the FULL size, or the message saying why not."""
    name = upload.name or _("photo")
    problem = _header_problem(upload)
    if problem is not None:
        return _problem_message(problem, name)
    decoded = _decoded(upload)  # type: ignore[arg-type]
    if isinstance(decoded, PhotoProblem):
        return _problem_message(decoded, name)
    try:
        return _reencoded(decoded, LONGEST_SIDE[PhotoSize.FULL])
    except (OSError, ValueError):  # a mode Pillow cannot turn into RGB (e.g. 32-bit float)
        return _problem_message(PhotoProblem.NOT_AN_IMAGE, name)


def photos_prepare(uploads: Sequence[Upload]) -> list[PreparedPhoto]:
    """Every upload checked from its header first (photos_check), then decoded one by one;
    the first refusal refuses them all (PhotosRefused) and nothing after it is decoded."""
    photos_check(uploads)
    prepared: list[PreparedPhoto] = []
    for upload in uploads:
        result = photo_prepare(upload)
        if isinstance(result, str):
            raise PhotosRefused(_("Some photos could not be accepted: nothing was sent."), fields={FIELD: [result]})
        prepared.append(result)
    return prepared


def _photo_name(review: Review, token: str, size: PhotoSize) -> str:
    # The random part keeps names unguessable in the bucket too (serving checks visibility).
    return f"review-photos/{review.product_id}/{review.pk}/{token}/{size.value}.webp"


def _folder_token(photo: ReviewPhoto) -> str:
    return photo.full.name.rsplit("/", 2)[-2]


def review_photos_store(
    *, review: Review, photos: Sequence[PreparedPhoto], now: datetime, written: list[str], first_position: int = 0
) -> list[ReviewPhoto]:
    """The photos' FULL files and rows, in the caller's transaction; each name written is
    appended to ``written`` at once, so a caller can delete them if the transaction fails.
    ``first_position``: after the photos a review keeps (an edit)."""
    stored = []
    for position, photo in enumerate(photos, start=first_position):
        token = secrets.token_urlsafe(12)
        name = default_storage.save(_photo_name(review, token, PhotoSize.FULL), ContentFile(photo.content))
        written.append(name)
        stored.append(
            ReviewPhoto.objects.create(
                review=review, position=position, full=name, width=photo.width, height=photo.height, created_at=now
            )
        )
    return stored


def photo_files_delete(names: Sequence[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError as exc:  # left behind, logged: the storage's lifecycle rules can sweep it
            logger.warning("review photos: could not delete %s: %s", name, exc)


def sizes_queue_on_commit(photo_ids: Sequence[int], queue: Callable[[int], Any]) -> None:
    def kick() -> None:
        for photo_id in photo_ids:
            try:
                queue(photo_id)
            except (OperationalError, ConnectionError, OSError) as exc:
                # The photo stays hidden until the beat sweep (review_photo_sizes_sweep_task) makes it.
                logger.warning("review photos: broker unavailable, photo %s left to the sweep: %s", photo_id, exc)
                return

    transaction.on_commit(kick, robust=True)


def review_submit_with_photos(
    *, uploads: Sequence[Upload], queue_sizes: Callable[[int], Any], now: datetime | None = None, **fields: Any
) -> Review:
    """A new review (reviews.services.review_submit, same arguments) with its photos.

    1. every photo's header is checked (photos_check: count, size, format, pixels, a JPEG's
       scans), then the review's cheap checks that need no lock (a duplicate): only then
       are the photos decoded and re-encoded, stopping at the first refusal;
    2. the review and the photos' FULL files are written in one transaction; if the review
       is refused (or anything fails) the files already written are deleted;
    3. once committed, ``queue_sizes(photo_id)`` is called for each photo (the task).
    A caller's rate limit counts an attempt with photos even when it is refused
    (photos_count_against_limit): decoding them is the cost the limit bounds.
    """
    now = now or timezone.now()
    photos_check(uploads)
    if uploads and fields.get("invitation_token") is None:
        # The service checks again under its locks; this spares decoding a duplicate's photos.
        review_duplicate_check(product=fields["product"], author=fields.get("author"), invited=None)
    prepared = photos_prepare(uploads)
    written: list[str] = []
    try:
        with transaction.atomic():
            review = services.review_submit(now=now, **fields)
            photos = review_photos_store(review=review, photos=prepared, now=now, written=written)
            sizes_queue_on_commit([photo.pk for photo in photos], queue_sizes)
    except BaseException:
        photo_files_delete(written)
        raise
    return review


def photos_count_against_limit(uploads: Sequence[Upload]) -> bool:
    """Whether a refused attempt keeps its rate-limit count: one with photos does (their
    headers were read, perhaps their pixels decoded; a refusal must not make that free),
    one without is given back as before (core.ratelimit: only successes count)."""
    return bool(uploads)


def _save_replacing(name: str, content: bytes) -> str:
    """A derived size at its fixed name: a half-done earlier run's file is replaced, so a
    repeated task leaves one file per size."""
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def review_photo_sizes_make(*, photo_id: int, now: datetime | None = None) -> bool:
    """Writes the derived sizes of a photo and marks it ready; False when there was nothing
    to do (already ready, or gone with its review). Two runs at once (a redelivered task,
    the sweep) both write; the compare-and-swap on ``ready_at`` picks one, and the loser
    deletes any file it wrote that the winner's row does not name (the storage renames a
    file saved at a name taken meanwhile), so no orphan is left."""
    photo = ReviewPhoto.objects.select_related("review").filter(pk=photo_id, ready_at__isnull=True).first()
    if photo is None:
        return False
    with default_storage.open(photo.full.name, "rb") as stream:
        full = Image.open(stream)
        full.load()
    names = {}
    token = _folder_token(photo)
    for size in DERIVED_SIZES:
        sized = _reencoded(full, LONGEST_SIDE[size])
        names[size.value] = _save_replacing(_photo_name(photo.review, token, size), sized.content)
    with transaction.atomic():
        updated = ReviewPhoto.objects.filter(pk=photo.pk, ready_at__isnull=True).update(
            **names, ready_at=now or timezone.now()
        )
        if updated == 1:  # shown from now on (ReviewPhoto.objects.public()): products.page_version
            page_version_bump(photo.review.product_id)
    if updated == 1:
        return True
    winner = ReviewPhoto.objects.filter(pk=photo.pk).values(*names).first() or {}
    photo_files_delete([name for field, name in names.items() if winner.get(field) != name])
    return False


def review_photo_ids_unsized() -> list[int]:
    """Photos still waiting for their sizes (a lost task, a broker outage): the sweep's work."""
    return list(ReviewPhoto.objects.filter(ready_at__isnull=True).order_by("pk").values_list("pk", flat=True)[:500])


# --- Deleting the files ------------------------------------------------------------------


def _photo_files_delete_on_commit(sender: Any, instance: ReviewPhoto, **kwargs: Any) -> None:
    """A ReviewPhoto row deleted (by itself, with its review, in the admin): its files go
    once the deletion commits (never before: a rolled-back deletion keeps them)."""
    names = [field.name for field in (instance.full, instance.large, instance.thumb) if field and field.name]
    transaction.on_commit(lambda: photo_files_delete(names), robust=True)


def _author_deleted_photos_delete(sender: Any, instance: ReviewStatusChange, created: bool, **kwargs: Any) -> None:
    """A review its author deletes (reviews.services.review_delete_by_author) loses its
    photos at once, rows and files. A photo someone reported is kept with its report (the
    notice's record, handled by moderators) until review_photos_expired_delete."""
    if kwargs.get("raw") or not created:
        return
    if instance.to_status == ReviewStatus.REMOVED and instance.reason == ReasonCode.AUTHOR_DELETED:
        ReviewPhoto.objects.filter(review_id=instance.review_id, reports__isnull=True).delete()


def review_photo_take_down(*, photo: ReviewPhoto, reason: str, note: str, by: User, now: datetime) -> bool:
    """A moderator takes one photo down, the review staying: never shown again (ready()
    leaves it out; reviews.photo_views serves it to its author and moderators alone), kept
    for the appeal window, then deleted (review_photos_expired_delete). A compare-and-swap:
    True if this call took it down, False if it was down already. The checks (moderator,
    reason, note) and the author's statement of reasons are the desk's
    (desk.photo_takedown)."""
    taken = ReviewPhoto.objects.filter(pk=photo.pk, removed_at__isnull=True).update(
        removed_at=now, removed_by=by, removed_reason=reason, removed_note=note
    )
    if taken:  # no longer on the product page: products.page_version
        page_version_bump(Review.objects.values_list("product_id", flat=True).get(pk=photo.review_id))
    return bool(taken)


def review_photos_expired_delete(*, now: datetime | None = None) -> int:
    """The photos of reviews rejected or removed more than APPEAL_WINDOW_DAYS ago, and the
    photos moderators took down that long ago (rows, and files on commit): the appeal window
    has closed. Idempotent (a daily task). Returns how
    many photos were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=APPEAL_WINDOW_DAYS)
    decided = (
        Review.objects.filter(status__in=[ReviewStatus.REJECTED, ReviewStatus.REMOVED], photos__isnull=False)
        .annotate(decided_at=Max("status_changes__changed_at"))
        .filter(decided_at__lt=cutoff)
        .values("pk")
    )
    # A photo a moderator took down alone (review_photo_take_down) has its own window.
    expired = Q(review_id__in=decided) | Q(removed_at__lt=cutoff)
    batch = list(ReviewPhoto.objects.filter(expired).order_by("pk")[:1000])
    # A report that named one keeps its review, reason and comment (the moderators' record),
    # without the photo: ReviewReport.photo would cascade.
    ReviewReport.objects.filter(photo__in=batch).update(photo=None)
    for photo in batch:
        photo.delete()
    return len(batch)


def _photos_erase(photos: QuerySet[ReviewPhoto]) -> int:
    """Erasure: the photos go, rows now and files on commit, reported or not (a photo may
    show its author; the erasure outranks the report). A report that named one keeps its
    review, reason and comment: the moderators' record stays, without the photo."""
    photo_ids = list(photos.order_by("pk").values_list("pk", flat=True))
    if not photo_ids:
        return 0
    # Their products' pages showed them: products.page_version.
    page_versions_bump(ReviewPhoto.objects.filter(pk__in=photo_ids).values_list("review__product_id", flat=True))
    ReviewReport.objects.filter(photo_id__in=photo_ids).update(photo=None)
    for photo in ReviewPhoto.objects.filter(pk__in=photo_ids).order_by("pk"):
        photo.delete()  # one by one: post_delete queues each photo's files for after commit
    return len(photo_ids)


def orders_anonymising_photos_delete(fact: OrdersAnonymising) -> None:
    """orders.events.orders_anonymising's handler (ReviewsConfig.ready()): a customer erased
    on request loses the photos of the guest reviews written through their orders; orders
    that only passed their retention keep them (the review stays, and so do its photos).
    In orders' transaction, while the orders still name their customer."""
    if fact.is_erasure:
        _photos_erase(
            ReviewPhoto.objects.filter(
                review__order_line__order_id__in=list(fact.order_ids), review__author__isnull=True
            )
        )


def _account_photos_delete(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An account deleted (the admin: accounts have no erasure service of their own): its
    reviews stay without an author (Review.author is SET_NULL), so their photos, which may
    show the person, are deleted first, in the deletion's transaction."""
    _photos_erase(ReviewPhoto.objects.filter(review__author_id=instance.pk))


def review_photo_signals_connect() -> None:
    """Connects the deletion of files to the rows' (idempotent: each receiver has its uid).
    Called from ReviewsConfig.ready(), so every process has it (site, worker, commands)."""
    post_delete.connect(_photo_files_delete_on_commit, sender=ReviewPhoto, dispatch_uid="review_photo_files_delete")
    post_save.connect(
        _author_deleted_photos_delete, sender=ReviewStatusChange, dispatch_uid="review_photos_author_deleted"
    )
    pre_delete.connect(
        _account_photos_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="review_photos_account_deleted"
    )
