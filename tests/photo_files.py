"""Image files made in the test with Pillow (no file is copied from anywhere)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.image_rules import jpeg_scan_count

# EXIF tags: Orientation, Make, Model, and the GPS IFD with a latitude / longitude.
ORIENTATION = 0x0112
MAKE = 0x010F
GPS_IFD = 0x8825
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4


def image_bytes(
    fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color: tuple[int, ...] = (200, 60, 40), **save: object
) -> bytes:
    mode = "RGBA" if len(color) == 4 else "RGB"
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (80, 40), orientation: int = 1) -> bytes:
    """A JPEG whose EXIF holds a camera, a GPS position (48°51'N 2°21'E) and an orientation."""
    exif = Image.Exif()
    exif[MAKE] = "SpyCam"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[GPS_LATITUDE_REF] = "N"
    gps[GPS_LATITUDE] = (48.0, 51.0, 29.0)
    gps[GPS_LONGITUDE_REF] = "E"
    gps[GPS_LONGITUDE] = (2.0, 21.0, 8.0)
    return image_bytes("JPEG", size, exif=exif.tobytes())


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def bomb_png(side: int = 10_000) -> bytes:
    """A PNG of side x side pixels (100 megapixels for 10,000): a few hundred KB compressed."""
    out = io.BytesIO()
    Image.new("1", (side, side), 0).save(out, format="PNG", optimize=True)
    return out.getvalue()


def many_scans_jpeg(scans: int = 2000) -> bytes:
    """A small progressive JPEG whose scans are repeated ``scans`` times in all: the crafted
    file that costs a decoder seconds per megabyte."""
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (90, 120, 30)).save(out, format="JPEG", progressive=True)
    data = out.getvalue()
    first_scan, end = data.index(b"\xff\xda"), data.rindex(b"\xff\xd9")
    head, body = data[:first_scan], data[first_scan:end]
    copies = scans // (jpeg_scan_count(data) or 1) + 1
    return head + body * copies + b"\xff\xd9"
