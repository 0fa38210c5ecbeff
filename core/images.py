"""An uploaded picture decoded and cleaned, whoever stored it: customers' review photos
(reviews.photos) and product images (products.images) both go through here.

1. ``image_problem`` reads the header only (no pixel decoded): the format Pillow finds in
   the bytes (never the file's name or claimed type), the pixel count (a decompression
   bomb is refused before its memory is allocated), and a JPEG's scans (a CPU bomb);
2. ``image_decoded`` decodes the pixels, under the same guards, and turns them upright by
   the EXIF orientation;
3. ``webp_reencoded`` writes a new WebP from the pixels alone, at most ``longest_side``
   pixels on its longest side: EXIF (a camera, a GPS position), XMP, comments, colour
   profiles and any bytes appended to the file are left behind.

The rules themselves are core.image_rules (pure); docs/photos.md states them.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

from core.image_rules import (
    MAX_IMAGE_PIXELS,
    Dimensions,
    ImageProblem,
    fitted,
    image_header_problem,
    jpeg_scans_problem,
)

# Pillow's own bomb guard, at our limit: above it Image.open warns (turned into a refusal
# below), above twice it raises. The header check refuses anything above the limit first.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

# What Pillow raises for bytes that are not an image, truncated or corrupt.
_UNREADABLE = (UnidentifiedImageError, OSError, ValueError, SyntaxError)


@dataclass(frozen=True)
class CleanImage:
    """A picture re-encoded as WebP from its pixels alone, ready to store."""

    content: bytes
    width: int
    height: int


def image_problem(stream: IO[bytes]) -> ImageProblem | None:
    """The cheap checks, before any pixel is decoded: the header's format and dimensions,
    then, for a JPEG, how many scans its markers announce. The stream is left at 0."""
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)  # reads the header only
            problem = image_header_problem(image_format=image.format, width=image.width, height=image.height)
            image_format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        problem, image_format = ImageProblem.TOO_MANY_PIXELS, None
    except _UNREADABLE:
        problem, image_format = ImageProblem.NOT_AN_IMAGE, None
    if problem is None and image_format in ("JPEG", "MPO"):
        stream.seek(0)
        problem = jpeg_scans_problem(stream.read())
    stream.seek(0)
    return problem


def image_decoded(stream: IO[bytes]) -> Image.Image | ImageProblem:
    """The image, fully decoded and upright, or why it is refused. The header is judged
    again before the pixels are decoded (a caller need not have called image_problem; the
    JPEG scan count is image_problem's alone: call it first for untrusted bytes)."""
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream)
            problem = image_header_problem(image_format=image.format, width=image.width, height=image.height)
            if problem is not None:
                return problem
            image.load()
            return ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ImageProblem.TOO_MANY_PIXELS
    except _UNREADABLE:
        return ImageProblem.NOT_AN_IMAGE


# 16-bit greyscale (PNG): Pillow's convert("RGB") clips each value at 255, so a 16-bit
# photo comes out white; its values are scaled down to 8 bits first.
_SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I"})


def eight_bit(image: Image.Image) -> Image.Image:
    if image.mode not in _SIXTEEN_BIT_MODES:
        return image
    wide = image if image.mode == "I" else image.convert("I")
    return wide.point(lambda value: value * (1 / 256)).convert("L")


def webp_reencoded(image: Image.Image, *, longest_side: int, quality: int) -> CleanImage:
    """Pixels only: a new image, so no metadata of the source can travel with it. Raises
    OSError or ValueError for a mode Pillow cannot turn into RGB (e.g. 32-bit float)."""
    image = eight_bit(image)
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info else "RGB"
    pixels = image.convert(mode)
    size = fitted(Dimensions(pixels.width, pixels.height), longest_side)
    if (size.width, size.height) != pixels.size:
        pixels = pixels.resize((size.width, size.height), Image.Resampling.LANCZOS)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=quality, method=4)
    return CleanImage(content=out.getvalue(), width=clean.width, height=clean.height)


def image_cleaned(stream: IO[bytes], *, longest_side: int, quality: int) -> CleanImage | ImageProblem:
    """The whole cleaning of one untrusted file: its header judged, then its pixels decoded,
    turned upright and re-encoded as WebP; or why it is refused. The stream is left at 0."""
    problem = image_problem(stream)
    if problem is not None:
        return problem
    decoded = image_decoded(stream)
    stream.seek(0)
    if isinstance(decoded, ImageProblem):
        return decoded
    try:
        return webp_reencoded(decoded, longest_side=longest_side, quality=quality)
    except (OSError, ValueError):
        return ImageProblem.NOT_AN_IMAGE


# The chunks a WebP written by webp_reencoded may hold: the picture (lossy VP8, lossless
# VP8L), the extended header VP8X (written with an alpha channel) and the alpha (ALPH).
# EXIF, XMP, ICCP, animation or any unknown chunk means it was not written by the cleaning.
_CLEAN_WEBP_CHUNKS = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH"})
# VP8X's flags that only a picture with metadata or animation sets: ICC, EXIF, XMP, animation.
_VP8X_METADATA_FLAGS = 0x20 | 0x08 | 0x04 | 0x02


def webp_is_clean(data: bytes) -> bool:
    """Whether ``data`` is a WebP as the cleaning writes it: one RIFF container holding the
    picture and nothing else (no EXIF, XMP, colour profile, animation, unknown chunk, nor
    bytes after the container). Read from the chunks alone, nothing decoded."""
    if len(data) < 20 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return False
    if int.from_bytes(data[4:8], "little") + 8 != len(data):
        return False  # bytes appended after the container, or a truncated file
    position = 12
    while position < len(data):
        if position + 8 > len(data):
            return False
        fourcc, size = data[position : position + 4], int.from_bytes(data[position + 4 : position + 8], "little")
        if fourcc not in _CLEAN_WEBP_CHUNKS:
            return False
        if fourcc == b"VP8X" and (size < 1 or data[position + 8] & _VP8X_METADATA_FLAGS):
            return False
        position += 8 + size + (size & 1)
    return position == len(data)
