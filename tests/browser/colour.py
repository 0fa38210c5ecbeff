"""WCAG 2.1 contrast of two computed CSS colours ("rgb(201, 138, 0)"), written out here
rather than imported, for the browser tests that read colours from the page; its own test
(no browser, no database) is tests/unit/test_colour_contrast.py."""

from __future__ import annotations

import re


def _luminance(rgb: str) -> float:
    """WCAG relative luminance of a computed colour, written out here rather than imported."""
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", rgb)[:3])

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(one: str, other: str) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
