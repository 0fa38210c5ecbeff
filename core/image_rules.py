"""What an uploaded picture may be, as pure decisions (no Django, no Pillow, no storage).

Shared by customers' review photos (reviews.photo_rules adds their count and byte limits)
and product images (products.images): both are judged by these rules and cleaned by
core.images, which applies them with Pillow. docs/photos.md states them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Formats as Pillow names them after decoding the bytes: the file's name and the content
# type its sender claims are never read. GIF (animation), SVG (script) and the rest: refused.
# "MPO" is how Pillow names a JPEG that carries a second picture (many phones' cameras write
# one for depth or a preview): a JPEG file all the same, and only its first picture is kept.
ACCEPTED_FORMATS = frozenset({"JPEG", "MPO", "PNG", "WEBP"})
# A decompression bomb (a small file that decodes to gigapixels) is refused before it is
# decoded: 40 megapixels is more than any phone camera of today (a 200 MP sensor bins to 12.5 MP).
MAX_IMAGE_PIXELS = 40_000_000
# A progressive JPEG is decoded once per scan (start-of-scan segment): a crafted file of
# thousands of tiny scans costs seconds of CPU per megabyte, and Pillow cannot cap them. A
# camera's or an encoder's progressive JPEG has about 10 scans; a baseline one has 1.
MAX_JPEG_SCANS = 64


class ImageProblem(StrEnum):
    """Why a picture is refused, judged from its content (reviews.photo_rules.PhotoProblem
    uses the same values and adds its own)."""

    NOT_AN_IMAGE = "not_an_image"
    FORMAT_REFUSED = "format_refused"
    TOO_MANY_PIXELS = "too_many_pixels"
    TOO_MANY_SCANS = "too_many_scans"


def image_header_problem(*, image_format: str | None, width: int, height: int) -> ImageProblem | None:
    """Judged from the decoded header alone (format and dimensions), before the pixels are
    decoded: a bomb is refused without allocating its memory."""
    if image_format not in ACCEPTED_FORMATS:
        return ImageProblem.FORMAT_REFUSED
    if width <= 0 or height <= 0:
        return ImageProblem.NOT_AN_IMAGE
    if width * height > MAX_IMAGE_PIXELS:
        return ImageProblem.TOO_MANY_PIXELS
    return None


_SOI, _EOI, _SOS = 0xD8, 0xD9, 0xDA
# Markers without a length: RST0-7 (inside the entropy-coded data), SOI, EOI, TEM.
_STANDALONE = frozenset({*range(0xD0, 0xD8), _SOI, _EOI, 0x01})


def jpeg_scan_count(data: bytes, *, stop_after: int = MAX_JPEG_SCANS) -> int | None:
    """How many scans (start-of-scan segments) the first picture of a JPEG has, read from
    its markers alone (no decoding: a walk over the segments' lengths, and over each scan's
    entropy-coded data to the next marker, which cannot hold a marker: 0xFF there is
    followed by 0x00 or a restart marker). Stops counting after ``stop_after`` + 1.
    None when the bytes are not a well-formed JPEG (the decoder then judges them)."""
    if data[:2] != b"\xff\xd8":
        return None
    scans, position, end = 0, 2, len(data)
    while position < end:
        if data[position] != 0xFF:
            return None
        while position < end and data[position] == 0xFF:  # fill bytes before a marker
            position += 1
        if position >= end:
            return None
        marker = data[position]
        position += 1
        if marker == _EOI:
            return scans
        if marker in _STANDALONE:
            continue
        if position + 2 > end:
            return None
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2:
            return None
        position += length
        if marker != _SOS:
            continue
        scans += 1
        if scans > stop_after:
            return scans
        position = _entropy_coded_end(data, position)
    return scans


def _entropy_coded_end(data: bytes, position: int) -> int:
    """Where the marker after a scan's entropy-coded data starts (or the end of the data)."""
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            return len(data)
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position = found + 1 if following == 0xFF else found + 2
            continue
        return found


def jpeg_scans_problem(data: bytes) -> ImageProblem | None:
    """A JPEG with more scans than any camera writes is refused before it is decoded."""
    scans = jpeg_scan_count(data)
    if scans is not None and scans > MAX_JPEG_SCANS:
        return ImageProblem.TOO_MANY_SCANS
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
