"""Numbers, percentages, dates and gate figures written for people, in the active language.

The one place where the site's typography is applied: the template filters of
``core.templatetags.figures`` (builtins: every template has them) and the Python that
writes such text (chart labels, emails) call these functions. The language data lives in
the formats modules (``core/formats/<lang>/formats.py``, FORMAT_MODULE_PATH): English
"80.4%", "3,763", "December 1"; French "80,4 %", "3 763", "1er décembre" (narrow
no-break spaces, U+202F).

Machine-readable values (CSV, JSON, data attributes, ``<meter value>``, SVG coordinates,
structured data) never pass through here: they are written with ``str()`` or under
``{% localize off %}``.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.utils import dateformat
from django.utils.formats import get_format, number_format

from core.gate_figures import average_shown, threshold_shown

__all__ = [
    "average_text",
    "date_text",
    "number_text",
    "numbers_grouped",
    "percent_text",
    "threshold_fraction",
    "threshold_text",
]

# The largest denominator a configured threshold has (``GatePolicy.build`` takes "7/2",
# "10/3"...): a Decimal computed from such a fraction (``gate.configured.threshold_decimal``
# gives 10/3 as 3.333...3 to 28 digits) comes back to the exact fraction.
_THRESHOLD_DENOMINATOR_LIMIT = 1000


def threshold_fraction(value: Any) -> Fraction:
    """A threshold as the exact fraction, from what pages and emails carry: a ``Fraction``,
    a ``Decimal`` (possibly 10/3 to 28 digits), an int, or a string ("3.0", "10/3")."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, str):
        return Fraction(value.strip()).limit_denominator(_THRESHOLD_DENOMINATOR_LIMIT)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return Fraction(value).limit_denominator(_THRESHOLD_DENOMINATOR_LIMIT)
    raise TypeError(f"a threshold must be a number, got {type(value).__name__} ({value!r})")


def _decimal(value: Any) -> Decimal | Fraction:
    if isinstance(value, (Decimal, Fraction)):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(str(value))


def number_text(value: Any, decimals: int | None = None) -> str:
    """``value`` in the active language's digits, thousands grouped: "3,763" / "3 763",
    "2.5" / "2,5" (grouped here rather than by USE_THOUSAND_SEPARATOR: see settings)."""
    if value is None or value == "":
        return ""
    try:
        number = _decimal(value)
    except (InvalidOperation, ValueError):
        return str(value)
    if isinstance(number, Fraction):
        number = Decimal(number.numerator) / Decimal(number.denominator)
    return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


# A placeholder that formats the number itself (``%(max)d``): it needs the number, not a text.
_NUMBER_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[dif]")


def numbers_grouped(params: Mapping[str, Any], *, message: Any) -> dict[str, Any]:
    """``params`` of ``message`` with each whole number written by :func:`number_text`
    ("5 000" in French, "5,000" in English), for its ``%(max)s`` placeholders; a number its
    ``%(max)d`` formats itself stays a number (a message written that way, Django's own
    among them, reads "5000" in every language, but never fails)."""
    formatted_by_message = set(_NUMBER_PLACEHOLDER.findall(str(message)))
    return {
        name: number_text(value)
        if isinstance(value, int) and not isinstance(value, bool) and name not in formatted_by_message
        else value
        for name, value in params.items()
    }


def percent_text(value: Any, decimals: int | None = None) -> str:
    """A percentage (80.4 means 80.4%): "80.4%" / "80,4 %" (narrow no-break space)."""
    if value is None or value == "":
        return ""
    return str(get_format("PERCENT_FORMAT")).format(number_text(value, decimals))


def threshold_text(threshold: Any = None) -> str:
    """The gate's threshold as shown beside figures (``core.gate_figures.threshold_shown``);
    by default the one in force (GATE_THRESHOLD)."""
    if threshold is None or threshold == "":
        threshold = str(settings.GATE_THRESHOLD)
    return number_text(threshold_shown(threshold_fraction(threshold)))


def average_text(average: Any, threshold: Any = None, *, below: bool | None = None) -> str:
    """An average as shown beside the gate (``core.gate_figures.average_shown``), localised:
    "2.99" / "2,99" for 2.9949 under a threshold of 3, never "3.0". Empty for no average.

    ``threshold`` defaults to the one in force (GATE_THRESHOLD, as ``gate.configured``
    reads it); an email passes the one its event was decided under."""
    if average is None or average == "":
        return ""
    if threshold is None or threshold == "":
        threshold = str(settings.GATE_THRESHOLD)
    shown = average_shown(_decimal(average), threshold=threshold_fraction(threshold), below=below)
    return number_text(shown)


def _first_day_format(format_string: str) -> str:
    """``format_string`` with each unescaped ``j`` (day of the month) written as the
    language's first day ("1er" in French)."""
    first_day = str(get_format("FIRST_DAY_FORMAT"))
    if first_day == "j":
        return format_string
    out: list[str] = []
    escaped = False
    for char in format_string:
        if escaped:
            out.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "j":
            out.append(first_day)
        else:
            out.append(char)
    if escaped:
        out.append("\\")
    return "".join(out)


def date_text(value: Any, format_name: str | None = None) -> str:
    """What Django's ``date`` filter writes, with the first of the month as the language
    writes it ("1er décembre 2026"; "December 1, 2026"). ``format_name`` is a format
    setting ("DATE_FORMAT", the default) or a format string ("j F")."""
    if value in (None, ""):
        return ""
    format_string = str(get_format(format_name or "DATE_FORMAT"))
    if isinstance(value, datetime.date) and value.day == 1:
        format_string = _first_day_format(format_string)
    try:
        return dateformat.format(value, format_string)
    except AttributeError:
        return ""
