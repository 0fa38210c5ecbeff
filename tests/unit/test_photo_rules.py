from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from core import image_rules
from reviews import photo_rules
from reviews.photo_rules import (
    MAX_PHOTO_BYTES,
    MAX_PHOTO_PIXELS,
    MAX_PHOTOS_PER_REVIEW,
    REVIEW_PHOTO_REQUEST_MAX_BYTES,
    Dimensions,
    PhotoProblem,
    PhotoSize,
    fitted,
    photo_bytes_problem,
    photo_count_problem,
    photo_header_problem,
    size_plan,
)


@pytest.mark.parametrize(
    ("count", "problem"), [(0, None), (1, None), (5, None), (6, PhotoProblem.TOO_MANY), (50, PhotoProblem.TOO_MANY)]
)
def test_a_review_takes_at_most_five_photos(count: int, problem: PhotoProblem | None) -> None:
    assert MAX_PHOTOS_PER_REVIEW == 5
    assert photo_count_problem(count) is problem


@pytest.mark.parametrize(
    ("size", "problem"),
    [
        (0, PhotoProblem.EMPTY),
        (1, None),
        (10 * 1024 * 1024, None),
        (10 * 1024 * 1024 + 1, PhotoProblem.TOO_LARGE),
    ],
)
def test_a_photo_is_at_most_10_mb(size: int, problem: PhotoProblem | None) -> None:
    assert photo_bytes_problem(size) is problem


def test_the_request_limit_holds_five_full_photos_and_the_fields() -> None:
    assert REVIEW_PHOTO_REQUEST_MAX_BYTES == 51 * 1024 * 1024
    assert REVIEW_PHOTO_REQUEST_MAX_BYTES > MAX_PHOTOS_PER_REVIEW * MAX_PHOTO_BYTES


@pytest.mark.parametrize(
    ("fmt", "width", "height", "problem"),
    [
        ("JPEG", 4000, 3000, None),
        ("PNG", 1, 1, None),
        ("WEBP", 8000, 5000, None),  # exactly 40 megapixels
        ("WEBP", 8001, 5000, PhotoProblem.TOO_MANY_PIXELS),
        ("PNG", 100_000, 100_000, PhotoProblem.TOO_MANY_PIXELS),
        ("GIF", 10, 10, PhotoProblem.FORMAT_REFUSED),
        ("MPO", 10, 10, None),  # a phone's JPEG with a second picture
        ("JPEG2000", 10, 10, PhotoProblem.FORMAT_REFUSED),
        ("ICO", 10, 10, PhotoProblem.FORMAT_REFUSED),
        ("TIFF", 10, 10, PhotoProblem.FORMAT_REFUSED),
        (None, 10, 10, PhotoProblem.FORMAT_REFUSED),
        ("JPEG", 0, 10, PhotoProblem.NOT_AN_IMAGE),
    ],
)
def test_the_decoded_header_decides(fmt: str | None, width: int, height: int, problem: PhotoProblem | None) -> None:
    assert MAX_PHOTO_PIXELS == 40_000_000
    assert photo_header_problem(image_format=fmt, width=width, height=height) is problem


@pytest.mark.parametrize(
    ("source", "side", "expected"),
    [
        ((4000, 3000), 1024, (1024, 768)),
        ((3000, 4000), 320, (240, 320)),
        ((800, 600), 1024, (800, 600)),  # never enlarged
        ((10_000, 3), 320, (320, 1)),  # at least a pixel
        ((1024, 1024), 1024, (1024, 1024)),
    ],
)
def test_fitted_keeps_the_aspect_ratio_within_the_longest_side(
    source: tuple[int, int], side: int, expected: tuple[int, int]
) -> None:
    assert fitted(Dimensions(*source), side) == Dimensions(*expected)


def test_the_size_plan_has_every_size_in_decreasing_order() -> None:
    plan = size_plan(Dimensions(6000, 4000))
    assert plan == {
        PhotoSize.FULL: Dimensions(2048, 1365),
        PhotoSize.LARGE: Dimensions(1024, 683),
        PhotoSize.THUMB: Dimensions(320, 213),
    }


def _imported(module: object) -> set[str]:
    source = Path(module.__file__).read_text()  # type: ignore[attr-defined]
    return {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }


@pytest.mark.parametrize("module", [photo_rules, image_rules], ids=["reviews.photo_rules", "core.image_rules"])
def test_the_rules_are_pure_standard_library_only(module: object) -> None:
    """No Django, no Pillow: the rules are decisions, testable alone. The photos' rules read
    the pictures' rules of core (pure too), nothing else of ours."""
    ours = {"core", "core.image_rules"} if module is photo_rules else set()
    imported = {name for name in _imported(module) if name not in ours}
    assert {name.split(".")[0] for name in imported} <= set(sys.stdlib_module_names) | {"__future__"}, imported
