"""The contrast formula the accessibility browser tests measure colours with."""

from __future__ import annotations

from tests.browser.colour import contrast


def test_contrast_formula_matches_known_pairs() -> None:
    # The figures for the old star colours: the formula must reproduce them.
    assert round(contrast("rgb(201, 138, 0)", "rgb(255, 255, 255)"), 2) == 2.95
    assert round(contrast("rgb(196, 201, 207)", "rgb(255, 255, 255)"), 2) == 1.67
    assert round(contrast("rgb(201, 138, 0)", "rgb(196, 201, 207)"), 2) == 1.77
