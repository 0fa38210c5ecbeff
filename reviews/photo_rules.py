"""The rules of a review's photos, as pure decisions (no Django, no Pillow, no storage).

What an upload may be (how many, how large, which decoded formats, how many pixels) and
which sizes are made of a photo. reviews.photos applies them: it decodes each file with
Pillow, asks these rules, then stores what they planned. docs/photos.md states them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

MAX_PHOTOS_PER_REVIEW = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
# Formats as Pillow names them after decoding the bytes: the file's name and the content
# type its sender claims are never read. GIF (animation), SVG (script) and the rest: refused.
# "MPO" is how Pillow names a JPEG that carries a second picture (many phones' cameras write
# one for depth or a preview): a JPEG file all the same, and only its first picture is kept.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
# A decompression bomb (a small file that decodes to gigapixels) is refused before it is
# decoded: 40 megapixels is more than any phone camera of today (a 200 MP sensor bins to 12.5 MP).
MAX_PHOTO_PIXELS = 40_000_000
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
    decoded: a bomb is refused without allocating its memory."""
    if image_format not in ACCEPTED_FORMATS:
        return PhotoProblem.FORMAT_REFUSED
    if width <= 0 or height <= 0:
        return PhotoProblem.NOT_AN_IMAGE
    if width * height > MAX_PHOTO_PIXELS:
        return PhotoProblem.TOO_MANY_PIXELS
    return None


@dataclass(frozen=True)
class Dimensions:
    width: int
    height: int


def fitted(dimensions: Dimensions, longest_side: int) -> Dimensions:
    """The dimensions scaled so the longest side is at most ``longest_side``, never enlarged,
    aspect ratio kept (each side at least 1 pixel)."""
    longest = max(dimensions.width, dimensions.height)
    if longest <= longest_side:
        return dimensions
    scale = longest_side / longest
    return Dimensions(max(1, round(dimensions.width * scale)), max(1, round(dimensions.height * scale)))


def size_plan(dimensions: Dimensions) -> dict[PhotoSize, Dimensions]:
    """Every stored size of a photo whose upright dimensions are ``dimensions``."""
    return {size: fitted(dimensions, side) for size, side in LONGEST_SIDE.items()}
