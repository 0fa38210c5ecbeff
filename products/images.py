"""Product images (products.ProductImage) cleaned as a review's photos are (reviews.photos):
decoded by Pillow whatever the file's name, refused unless JPEG, PNG or WebP of at most
40 megapixels (judged from the header before decoding), turned upright, and re-encoded as
WebP from their pixels alone, so no EXIF (a camera, a GPS position) nor anything appended
to the file is stored or served, and a file named "x.pdf" is stored and served as the
picture it is. docs/photos.md states the rules.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
MAX_PIXELS = 40_000_000
LONGEST_SIDE = 2048
WEBP_QUALITY = 85
# 16-bit greyscale: Pillow's convert("RGB") would clip every value to white.
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})

REFUSED = _("Upload a JPEG, PNG or WebP image (judged from its content, whatever its name says).")
TOO_MANY_PIXELS = _("This image has more than %(mp)d megapixels: upload a smaller one.")


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    width: int
    height: int


def _opened(stream: IO[bytes]) -> Image.Image:
    """The image, its header checked before its pixels are decoded; ValidationError if not."""
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
            if image.format not in ACCEPTED_FORMATS or image.width <= 0 or image.height <= 0:
                raise ValidationError(REFUSED, code="image_format")
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS, code="image_pixels", params={"mp": MAX_PIXELS // 10**6})
            image.load()
            return ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(TOO_MANY_PIXELS, code="image_pixels", params={"mp": MAX_PIXELS // 10**6}) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ValidationError(REFUSED, code="image_format") from exc


def product_image_check(stream: IO[bytes]) -> None:
    """Raises ValidationError when the file is not an image we store (the model's clean())."""
    _opened(stream)
    stream.seek(0)


def product_image_cleaned(stream: IO[bytes]) -> CleanImage:
    """The picture re-encoded as WebP from its pixels alone (at most LONGEST_SIDE pixels on
    its longest side); ValidationError when it is refused."""
    image = _opened(stream)
    stream.seek(0)
    if image.mode in _SIXTEEN_BIT_MODES:
        image = (image if image.mode == "I" else image.convert("I")).point(lambda v: v * (1 / 256)).convert("L")
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    pixels = image.convert(mode)
    pixels.thumbnail((LONGEST_SIDE, LONGEST_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    return CleanImage(content=out.getvalue(), width=clean.width, height=clean.height)


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
