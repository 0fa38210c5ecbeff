"""reviews.photo_rules.jpeg_scan_count: a JPEG's scans counted from its markers alone."""

from __future__ import annotations

import io

from PIL import Image

from reviews.photo_rules import MAX_JPEG_SCANS, PhotoProblem, jpeg_scan_count, jpeg_scans_problem


def _jpeg(**save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 30)).save(out, format="JPEG", **save)
    return out.getvalue()


def test_a_baseline_jpeg_has_one_scan_and_a_progressive_one_a_few() -> None:
    assert jpeg_scan_count(_jpeg()) == 1
    assert 1 < (jpeg_scan_count(_jpeg(progressive=True)) or 0) <= 12
    assert jpeg_scans_problem(_jpeg(progressive=True)) is None


def test_repeated_scans_are_counted_and_refused_past_the_limit() -> None:
    data = _jpeg(progressive=True)
    first, end = data.index(b"\xff\xda"), data.rindex(b"\xff\xd9")
    crafted = data[:first] + data[first:end] * 10 + b"\xff\xd9"
    assert jpeg_scan_count(crafted, stop_after=10**6) == 10 * (jpeg_scan_count(data) or 0)
    assert jpeg_scans_problem(crafted) is PhotoProblem.TOO_MANY_SCANS
    assert jpeg_scan_count(crafted) == MAX_JPEG_SCANS + 1  # stops counting once over


def test_a_scan_marker_inside_a_metadata_segment_is_not_counted() -> None:
    payload = b"Exif\x00\x00" + b"\xff\xda" * 200  # e.g. an embedded thumbnail's bytes
    segment = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    data = _jpeg()
    assert jpeg_scan_count(data[:2] + segment + data[2:]) == 1


def test_what_is_not_a_jpeg_is_left_to_the_decoder() -> None:
    assert jpeg_scan_count(b"\x89PNG\r\n\x1a\n") is None
    assert jpeg_scan_count(b"\xff\xd8\x00\x00") is None
    assert jpeg_scans_problem(b"") is None
