"""The rules of a review's photos, as pure decisions (no Django, no Pillow, no storage).

What an upload may be (how many, how large, which decoded formats, how many pixels) and
which sizes are made of a photo. reviews.photos applies them: it decodes each file with
Pillow, asks these rules, then stores what they planned. docs/photos.md states them.
"""

from __future__ import annotations

from enum import StrEnum

# The rules every uploaded picture follows (product images too) are core's: one definition.
from core import image_rules
from core.image_rules import ACCEPTED_FORMATS, MAX_JPEG_SCANS, Dimensions, fitted, jpeg_scan_count

# Re-exported: callers and tests read the photos' rules here.
__all__ = [
    "ACCEPTED_FORMATS",
    "APPEAL_WINDOW_DAYS",
    "DERIVED_SIZES",
    "LONGEST_SIDE",
    "MAX_JPEG_SCANS",
    "MAX_PHOTOS_PER_REVIEW",
    "MAX_PHOTO_BYTES",
    "MAX_PHOTO_PIXELS",
    "REVIEW_PHOTO_REQUEST_MAX_BYTES",
    "Dimensions",
    "PhotoProblem",
    "PhotoSize",
    "fitted",
    "jpeg_scan_count",
    "jpeg_scans_problem",
    "photo_bytes_problem",
    "photo_count_problem",
    "photo_header_problem",
    "size_plan",
]

MAX_PHOTO_PIXELS = image_rules.MAX_IMAGE_PIXELS

MAX_PHOTOS_PER_REVIEW = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Formats (ACCEPTED_FORMATS), pixels (MAX_PHOTO_PIXELS: a decompression bomb is refused
# before it is decoded) and a JPEG's scans (MAX_JPEG_SCANS): core.image_rules.
# The multipart request of a review with photos: the photos at their limit plus 1 MiB for
# the text fields and the multipart framing (core.request_limits, settings).
REVIEW_PHOTO_REQUEST_MAX_BYTES = MAX_PHOTOS_PER_REVIEW * MAX_PHOTO_BYTES + 1024 * 1024


class PhotoSize(StrEnum):
    """The stored sizes of a photo, by their longest side. FULL is made at upload (the
    re-encoded, stripped photo); the others by the thumbnail task from FULL."""

    FULL = "full"
    LARGE = "large"
    THUMB = "thumb"


LONGEST_SIDE = {PhotoSize.FULL: 2048, PhotoSize.LARGE: 1024, PhotoSize.THUMB: 320}
DERIVED_SIZES = (PhotoSize.LARGE, PhotoSize.THUMB)


class PhotoProblem(StrEnum):
    TOO_MANY = "too_many"
    TOO_LARGE = "too_large"
    EMPTY = "empty"
    NOT_AN_IMAGE = "not_an_image"
    FORMAT_REFUSED = "format_refused"
    TOO_MANY_PIXELS = "too_many_pixels"
    TOO_MANY_SCANS = "too_many_scans"


def photo_count_problem(count: int) -> PhotoProblem | None:
    return PhotoProblem.TOO_MANY if count > MAX_PHOTOS_PER_REVIEW else None


def photo_bytes_problem(size: int) -> PhotoProblem | None:
    """Checked before anything decodes the file."""
    if size <= 0:
        return PhotoProblem.EMPTY
    if size > MAX_PHOTO_BYTES:
        return PhotoProblem.TOO_LARGE
    return None


def photo_header_problem(*, image_format: str | None, width: int, height: int) -> PhotoProblem | None:
    """Judged from the decoded header alone (format and dimensions), before the pixels are
    decoded: a bomb is refused without allocating its memory (core.image_rules)."""
    problem = image_rules.image_header_problem(image_format=image_format, width=width, height=height)
    return None if problem is None else PhotoProblem(problem.value)


def jpeg_scans_problem(data: bytes) -> PhotoProblem | None:
    """A JPEG with more scans than any camera writes is refused before it is decoded."""
    problem = image_rules.jpeg_scans_problem(data)
    return None if problem is None else PhotoProblem(problem.value)


# A rejected or removed review's photos are kept (never public) while its author may appeal
# the decision: the EU DSA (Art. 20) keeps the internal complaint open 6 months after it.
# Then they are deleted. A review its author deleted loses its photos at once.
APPEAL_WINDOW_DAYS = 183


def size_plan(dimensions: Dimensions) -> dict[PhotoSize, Dimensions]:
    """Every stored size of a photo whose upright dimensions are ``dimensions``."""
    return {size: fitted(dimensions, side) for size, side in LONGEST_SIDE.items()}
