"""Template filters of the desk pages and the desk's emails."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from desk.versions import label_of
from reviews.models import REASON_DESCRIPTIONS, ReasonCode

register = template.Library()


@register.filter
def iso_date(value: Any) -> date | None:
    """An ISO date kept in an email's JSON context, back as a date for `|date`."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


@register.filter
def reason_label(code: Any) -> str:
    """A reason code's published wording, in the active language."""
    try:
        return str(ReasonCode(str(code)).label)
    except ValueError:
        return str(code)


@register.filter
def version_name(revision: Any, labels: Any) -> str:
    """A product revision as people read it (desk.versions): never "version 0"."""
    return label_of(int(revision), labels if isinstance(labels, dict) else None)


@register.filter
def posted(form: Any, name: Any) -> str:
    """What was sent in ``name`` with a form re-rendered after a refusal ("" otherwise): the
    moderation queue's per-review fields are not form fields, and must keep what was typed."""
    data = getattr(form, "data", None)
    if not getattr(form, "is_bound", False) or data is None:
        return ""
    return str(data.get(str(name), ""))


@register.filter
def reason_rule(code: Any) -> str:
    """The published rule a reason code stands for (/about/reviews/#moderation), or ""."""
    description = REASON_DESCRIPTIONS.get(str(code))
    return "" if description is None else str(description)


@register.filter
def signed(value: Any, places: int = 2) -> str:
    """A difference with its sign, localised: +0.12, −0.05 (a real minus sign)."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    text = number_format(abs(number), decimal_pos=int(places), use_l10n=True)
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return text


@register.filter
def percent_of(part: Any, whole: Any) -> int:
    """``part`` as a whole percentage of ``whole`` (0 when there is no whole): bar widths."""
    try:
        return round(100 * int(part) / int(whole)) if int(whole) else 0
    except (TypeError, ValueError):
        return 0


@register.filter
def width_class(percent: Any) -> str:
    """A bar's width as a class name in steps of 5% (no inline style under the CSP)."""
    try:
        step = max(0, min(100, int(round(float(percent) / 5) * 5)))
    except (TypeError, ValueError):
        step = 0
    return f"w{step}"
