"""The public identifier of a product (its SKU): the one rule, for every way one comes in.

A SKU appears in URLs (``/products/<sku>/``), in CSV files and in the API, so it must be
safe in all three: ASCII letters and digits, then also ``.``, ``_`` and ``-``, at most 64
characters, never starting with punctuation (so never ``.`` or ``..`` as a path segment).
The model, the admin, the API, the imports and the backtest all check it through here;
URL patterns match it with :data:`SKU_URL_PATTERN`.

Pure (standard library only): ``gate_backtest`` runs without ``django.setup()``.
"""

from __future__ import annotations

import re

__all__ = ["SKU_MAX_LENGTH", "SKU_RULE", "SKU_URL_PATTERN", "is_valid_sku", "sku_problem"]

SKU_MAX_LENGTH = 64
# The pattern without anchors, for URL converters (Django anchors them itself).
SKU_URL_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"
_SKU = re.compile(SKU_URL_PATTERN)
# How the rule reads in an error message.
SKU_RULE = "a SKU is 1 to 64 characters: ASCII letters, digits, '.', '_' and '-', starting with a letter or digit"


def is_valid_sku(text: str) -> bool:
    """Whether ``text`` is a valid SKU (the whole of it: no spaces, no trailing newline)."""
    return _SKU.fullmatch(text) is not None


def sku_problem(text: str) -> str | None:
    """Why ``text`` is not a valid SKU, in one phrase for an error message; ``None`` if it is."""
    if _SKU.fullmatch(text) is not None:
        return None
    if text == "":
        return "the SKU is empty"
    if len(text) > SKU_MAX_LENGTH:
        return f"the SKU is {len(text):,} characters long, more than {SKU_MAX_LENGTH}"
    return f"{text[:80]!r} is not a valid SKU: {SKU_RULE}"
