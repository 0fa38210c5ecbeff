"""The schema's pattern of a trimming text field accepts exactly what DRF accepts: the text
without NUL whose str.strip() length is within the field's limits (core.api_fields)."""

from __future__ import annotations

import re

import pytest

from core.api_fields import trimmed_length_pattern

SAMPLES = [
    "",
    " ",
    "\f",
    "\x1c",  # str.strip() removes it; ECMAScript's \s would not
    "\ufeff",  # ECMAScript's \s has it; str.strip() keeps it
    "0",
    " a ",
    "x\ny",
    "a\x00b",
    "a" * 19,
    "  " + "a" * 19 + "  ",
    "a" * 20,
    "  " + "a" * 20 + "\n",
    "a" * 1000,
    "a" * 1001,
    " " * 5 + "a" * 1000 + "\n",
]


def server_accepts(text: str, minimum: int, maximum: int | None) -> bool:
    trimmed = text.strip()
    return "\x00" not in text and len(trimmed) >= minimum and (maximum is None or len(trimmed) <= maximum)


@pytest.mark.parametrize(("minimum", "maximum"), [(1, 1000), (20, 5000), (0, 200), (1, None), (1, 1), (0, 1000)])
def test_the_pattern_accepts_what_the_trimming_field_accepts(minimum: int, maximum: int | None) -> None:
    pattern = re.compile(trimmed_length_pattern(min_length=minimum, max_length=maximum))
    for text in SAMPLES:
        assert bool(pattern.search(text)) == server_accepts(text, minimum, maximum), (minimum, maximum, text[:12])
