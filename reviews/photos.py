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

import io
import logging
import secrets
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any, Protocol

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps, UnidentifiedImageError

from core.errors import ValidationFailed
from products.page_version import page_version_bump
from reviews import services
from reviews.models import ReasonCode, Review, ReviewPhoto, ReviewStatus, ReviewStatusChange
from reviews.photo_rules import (
    APPEAL_WINDOW_DAYS,
    DERIVED_SIZES,
    LONGEST_SIDE,
    MAX_JPEG_SCANS,
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    MAX_PHOTOS_PER_REVIEW,
    Dimensions,
    PhotoProblem,
    PhotoSize,
    fitted,
    jpeg_scans_problem,
    photo_bytes_problem,
    photo_count_problem,
    photo_header_problem,
)
from reviews.verified import review_duplicate_check

logger = logging.getLogger(__name__)

# Pillow's own bomb guard, at our limit: above it Image.open warns, above twice it raises.
# The header check (photo_header_problem) refuses anything above the limit first.
Image.MAX_IMAGE_PIXELS = MAX_PHOTO_PIXELS
WEBP_QUALITY = 82
FIELD = "photos"


class Upload(Protocol):
    """What a photo upload needs to be: Django's UploadedFile, or any named, sized stream."""

    name: str | None
    size: int | None

    def read(self, size: int = -1) -> bytes: ...
    def seek(self, offset: int, whence: int = 0) -> int: ...


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked photo, upright and re-encoded (WebP), ready to store."""

    content: bytes
    width: int
    height: int


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
    dimensions) and, for a JPEG, how many scans its markers announce."""
    size = upload.size if upload.size is not None else len(upload.read())
    problem = photo_bytes_problem(size)
    if problem is not None:
        return problem
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)  # type: ignore[arg-type]  # reads the header only
            problem = photo_header_problem(image_format=image.format, width=image.width, height=image.height)
            image_format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return PhotoProblem.TOO_MANY_PIXELS
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return PhotoProblem.NOT_AN_IMAGE
    if problem is None and image_format in ("JPEG", "MPO"):
        upload.seek(0)
        problem = jpeg_scans_problem(upload.read())
    upload.seek(0)
    return problem


def _decoded(stream: IO[bytes]) -> Image.Image | PhotoProblem:
    """The image, fully decoded and upright, or why it is refused (its header was checked
    by _header_problem; the guards stay for a caller that did not)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
            problem = photo_header_problem(image_format=image.format, width=image.width, height=image.height)
            if problem is not None:
                return problem
            image.load()
            upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return PhotoProblem.TOO_MANY_PIXELS
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        # Not an image, truncated or corrupt (Pillow raises these three for bad data).
        return PhotoProblem.NOT_AN_IMAGE
    return upright


# 16-bit greyscale (PNG): Pillow's convert("RGB") clips each value at 255, so a 16-bit
# photo comes out white; its values are scaled down to 8 bits first.
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})


def _eight_bit(image: Image.Image) -> Image.Image:
    if image.mode not in _SIXTEEN_BIT_MODES:
        return image
    wide = image if image.mode == "I" else image.convert("I")
    return wide.point(lambda value: value * (1 / 256)).convert("L")


def _reencoded(image: Image.Image, longest_side: int) -> PreparedPhoto:
    """Pixels only: a new image, so no metadata of the source can travel with it."""
    image = _eight_bit(image)
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    pixels = image.convert(mode)
    size = fitted(Dimensions(pixels.width, pixels.height), longest_side)
    if (size.width, size.height) != pixels.size:
        pixels = pixels.resize((size.width, size.height), Image.Resampling.LANCZOS)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return PreparedPhoto(content=out.getvalue(), width=clean.width, height=clean.height)


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
    *, review: Review, photos: Sequence[PreparedPhoto], now: datetime, written: list[str]
) -> list[ReviewPhoto]:
    """The photos' FULL files and rows, in the caller's transaction; each name written is
    appended to ``written`` at once, so a caller can delete them if the transaction fails."""
    stored = []
    for position, photo in enumerate(photos):
        token = secrets.token_urlsafe(12)
        name = default_storage.save(_photo_name(review, token, PhotoSize.FULL), ContentFile(photo.content))
        written.append(name)
        stored.append(
            ReviewPhoto.objects.create(
                review=review, position=position, full=name, width=photo.width, height=photo.height, created_at=now
            )
        )
    return stored


def _delete_files(names: Sequence[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError as exc:  # left behind, logged: the storage's lifecycle rules can sweep it
            logger.warning("review photos: could not delete %s: %s", name, exc)


def _queue_sizes_on_commit(photo_ids: Sequence[int], queue: Callable[[int], Any]) -> None:
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
            _queue_sizes_on_commit([photo.pk for photo in photos], queue_sizes)
    except BaseException:
        _delete_files(written)
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
    _delete_files([name for field, name in names.items() if winner.get(field) != name])
    return False


def review_photo_ids_unsized() -> list[int]:
    """Photos still waiting for their sizes (a lost task, a broker outage): the sweep's work."""
    return list(ReviewPhoto.objects.filter(ready_at__isnull=True).order_by("pk").values_list("pk", flat=True)[:500])


# --- Deleting the files ------------------------------------------------------------------


def _photo_files_delete_on_commit(sender: Any, instance: ReviewPhoto, **kwargs: Any) -> None:
    """A ReviewPhoto row deleted (by itself, with its review, in the admin): its files go
    once the deletion commits (never before: a rolled-back deletion keeps them)."""
    names = [field.name for field in (instance.full, instance.large, instance.thumb) if field and field.name]
    transaction.on_commit(lambda: _delete_files(names), robust=True)


def _author_deleted_photos_delete(sender: Any, instance: ReviewStatusChange, created: bool, **kwargs: Any) -> None:
    """A review its author deletes (reviews.services.review_delete_by_author) loses its
    photos at once, rows and files. A photo someone reported is kept with its report (the
    notice's record, handled by moderators) until review_photos_expired_delete."""
    if kwargs.get("raw") or not created:
        return
    if instance.to_status == ReviewStatus.REMOVED and instance.reason == ReasonCode.AUTHOR_DELETED:
        ReviewPhoto.objects.filter(review_id=instance.review_id, reports__isnull=True).delete()


def review_photos_expired_delete(*, now: datetime | None = None) -> int:
    """The photos of reviews rejected or removed more than APPEAL_WINDOW_DAYS ago (rows, and
    files on commit): the appeal window has closed. Idempotent (a daily task). Returns how
    many photos were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=APPEAL_WINDOW_DAYS)
    decided = (
        Review.objects.filter(status__in=[ReviewStatus.REJECTED, ReviewStatus.REMOVED], photos__isnull=False)
        .annotate(decided_at=Max("status_changes__changed_at"))
        .filter(decided_at__lt=cutoff)
        .values("pk")
    )
    deleted = 0
    for photo in ReviewPhoto.objects.filter(review_id__in=decided).order_by("pk")[:1000]:
        photo.delete()
        deleted += 1
    return deleted


def review_photo_signals_connect() -> None:
    """Connects the deletion of files to the rows' (idempotent: each receiver has its uid).
    Called from ReviewsConfig.ready(), so every process has it (site, worker, commands)."""
    post_delete.connect(_photo_files_delete_on_commit, sender=ReviewPhoto, dispatch_uid="review_photo_files_delete")
    post_save.connect(
        _author_deleted_photos_delete, sender=ReviewStatusChange, dispatch_uid="review_photos_author_deleted"
    )

