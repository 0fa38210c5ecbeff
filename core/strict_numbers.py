"""Whole numbers typed by a client: ASCII digits only, and within a stated range.

Python's ``int()`` accepts every Unicode decimal digit (``int("٣") == 3``, fullwidth
``"３"``), surrounding spaces and underscores (``int("1_0") == 10``), while
``str.isdigit()`` also says yes to ``"²"`` and ``"①"``, which ``int()`` then refuses:
the pair answered 500 on the desk. Every integer read from a URL, a query string or a form
goes through :func:`ascii_int` (or the form field below), so an odd value is a clear 400
or form error, never a 500 and never a silent guess. (JSON bodies take JSON numbers only:
core.api_fields.StrictIntegerField.)
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# The largest id a bigint primary key can hold; larger "ids" are refused before the database.
DB_ID_MAX = 2**63 - 1
# 19 digits hold every bigint; longer strings are refused before int() (CPython limits
# int() to 4,300 digits and raises ValueError beyond: a 500 where nobody catches it).
_MAX_DIGITS = 19
_ASCII_DIGITS = re.compile(rf"[0-9]{{1,{_MAX_DIGITS}}}", re.ASCII)

NOT_A_WHOLE_NUMBER = _("Enter a whole number written with the digits 0 to 9.")


def ascii_int(raw: Any, *, minimum: int = 0, maximum: int = DB_ID_MAX) -> int | None:
    """``raw`` as an int when it is 1 to 19 ASCII digits within [minimum, maximum]; else None.

    No sign, no spaces, no underscores, no other script's digits: a client writes ``42``.
    """
    if isinstance(raw, bool):  # True is an int to Python, not a number to a client
        return None
    if isinstance(raw, int):
        return raw if minimum <= raw <= maximum else None
    if not isinstance(raw, str) or not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if minimum <= value <= maximum else None


def ascii_page_number(raw: str | None) -> str | None:
    """A page number from a site page's query string for Paginator.get_page(): the text
    when it is ASCII digits, else None (page 1), so ``?page=٣`` is not read as page 3."""
    return raw if raw is not None and _ASCII_DIGITS.fullmatch(raw) else None


class StrictIntegerFormField(forms.IntegerField):
    """forms.IntegerField that takes ASCII digits only (Django's accepts ``"٣"``)."""

    default_error_messages = {"invalid": NOT_A_WHOLE_NUMBER}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = str(value)
        negative = text.startswith("-")  # the range check (min_value) then speaks for it
        parsed = ascii_int(text[1:] if negative else text, minimum=0, maximum=DB_ID_MAX)
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return -parsed if negative else parsed
