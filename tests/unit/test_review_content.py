"""reviews.content.content_check: the pure rule of what a review's content must be (no
database: it runs without pytest-django's db fixture)."""

from __future__ import annotations

from typing import Any

import pytest

from core.errors import ValidationFailed
from reviews.content import UNCHANGED, content_check
from reviews.models import BODY_MIN_LENGTH, WrittenLengths

LENGTHS = WrittenLengths(title_max=20, body_max=60)
GOOD: dict[str, Any] = {"rating": 4, "title": "Warm", "body": "x" * BODY_MIN_LENGTH, "language": "en"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": 0}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": True}, "rating"),  # a bool is an int in Python, never a rating
        ({"rating": "4"}, "rating"),
        ({"recommend": 11}, "recommend"),
        ({"recommend": -1}, "recommend"),
        ({"recommend": False}, "recommend"),
        ({"title": "   "}, "title"),
        ({"title": "t" * 21}, "title"),
        ({"body": " " + "x" * (BODY_MIN_LENGTH - 1) + " "}, "body"),  # measured stripped
        ({"body": "x" * 61}, "body"),
        ({"language": "de"}, "language"),
    ],
)
def test_each_wrong_field_is_named(change: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        content_check(**{**GOOD, **change}, lengths=LENGTHS)
    assert set(refused.value.fields) == {field}


@pytest.mark.parametrize("recommend", [None, 0, 10, UNCHANGED])
def test_a_valid_review_passes_with_any_recommend_answer_or_none(recommend: Any) -> None:
    content_check(**GOOD, recommend=recommend, lengths=LENGTHS)
    content_check(**{**GOOD, "title": "t" * 20, "body": "x" * 60}, lengths=LENGTHS)
