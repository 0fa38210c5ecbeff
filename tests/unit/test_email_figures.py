"""The gate's emails write the counted average by the page's rule, never its 4 decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation


def _figures(language: str, **context: object) -> str:
    base = {"count": 3763, "window_days": 365, "min_reviews": 25}
    with translation.override(language):
        return render_to_string("emails/_figures.txt", {**base, **context})


@pytest.mark.parametrize(
    ("language", "kind", "average", "threshold", "shown", "shown_threshold"),
    [
        ("en", "flagged", "2.8169", "3", "2.8 ", "3.0"),
        ("en", "withdrawn", "2.9999", "3", "2.99 ", "3.0"),
        ("en", "withdrawn", "3.0000", "3", "2.99 ", "3.0"),  # 2.99996 rounded: the gate said below
        ("fr", "flagged", "2.9949", "3.0", "2,99 ", "3,0"),
        ("en", "recovered", "3.3333", "10/3", "3.34 ", "3.34"),  # exactly 10/3: not below
        ("fr", "flagged", "3.3300", "10/3", "3,3 ", "3,34"),
    ],
)
def test_email_figures_follow_the_page_rule(
    language: str, kind: str, average: str, threshold: str, shown: str, shown_threshold: str
) -> None:
    text = _figures(language, kind=kind, average=Decimal(average), threshold=threshold)
    assert f" {shown}" in text and shown_threshold in text
    assert average not in text.replace(".", ",") and average not in text
    assert ("3,763" if language == "en" else "3\u202f763") in text
    assert "365" in text and "25" in text
