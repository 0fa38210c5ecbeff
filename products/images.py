"""Product images (products.ProductImage) cleaned as a review's photos are, by the same
code (core.images): decoded by Pillow whatever the file's name, refused unless JPEG, PNG
or WebP of at most 40 megapixels (judged from the header before decoding; a JPEG of more
scans than a camera writes too), turned upright, and re-encoded as WebP from their pixels
alone, so no EXIF (a camera, a GPS position) nor anything appended to the file is stored
or served, and a file named "x.pdf" is stored and served as the picture it is.
docs/photos.md states the rules.
"""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

from core import images
from core.image_rules import MAX_IMAGE_PIXELS, MAX_JPEG_SCANS, ImageProblem

CleanImage = images.CleanImage
LONGEST_SIDE = 2048
WEBP_QUALITY = 85

REFUSED = _("Upload a JPEG, PNG or WebP image (judged from its content, whatever its name says).")
TOO_MANY_PIXELS = _("This image has more than %(mp)d megapixels: upload a smaller one.")
TOO_MANY_SCANS = _(
    "This image is a JPEG of more than %(scans)d scans, which no camera writes: save it again as an "
    "ordinary JPEG or upload a PNG."
)


def _refusal(problem: ImageProblem) -> ValidationError:
    if problem is ImageProblem.TOO_MANY_PIXELS:
        return ValidationError(TOO_MANY_PIXELS, code="image_pixels", params={"mp": MAX_IMAGE_PIXELS // 10**6})
    if problem is ImageProblem.TOO_MANY_SCANS:
        return ValidationError(TOO_MANY_SCANS, code="image_scans", params={"scans": MAX_JPEG_SCANS})
    return ValidationError(REFUSED, code="image_format")


def product_image_check(stream: IO[bytes]) -> None:
    """Raises ValidationError when the file is not an image we store (the model's clean());
    the header is judged and the pixels decoded, as storing it will."""
    problem = images.image_problem(stream)
    decoded = images.image_decoded(stream) if problem is None else problem
    stream.seek(0)
    if isinstance(decoded, ImageProblem):
        raise _refusal(decoded)


def product_image_cleaned(stream: IO[bytes]) -> CleanImage:
    """The picture re-encoded as WebP from its pixels alone (at most LONGEST_SIDE pixels on
    its longest side); ValidationError when it is refused."""
    cleaned = images.image_cleaned(stream, longest_side=LONGEST_SIDE, quality=WEBP_QUALITY)
    if isinstance(cleaned, ImageProblem):
        raise _refusal(cleaned)
    return cleaned


# What a stored file's first bytes say it is: a product image stored before the cleaning
# (as uploaded, under any name) is served with the type of what it holds, not of its name.
_SIGNATURES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def image_size(stream: IO[bytes]) -> tuple[int, int]:
    """A stored image's width and height, from its header (no decoding)."""
    with Image.open(stream) as image:
        return image.size


def image_content_type(head: bytes) -> str | None:
    """The content type of an image from its first 12 bytes: JPEG, PNG or WebP, else None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None
