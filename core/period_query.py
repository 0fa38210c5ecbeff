"""The query of an API endpoint of figures over a period (`group`, `from`, `to`), parsed
strictly: a bad value is a 400 naming the parameter, days as YYYY-MM-DD only and within
core.strict_dates' period bounds; a parameter sent empty (`?to=`) is refused, not read as
absent (the schema says a day or a group, and an empty value is neither). Without dates:
the 90 days through today, as the desk's key figures open; at most three years.

Used by ``GET /api/v1/invitation-figures/`` (desk) and ``GET /api/v1/care-figures/`` (care):
each names its groups in a subclass.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from core.strict_dates import PeriodDayField

DEFAULT_PERIOD_DAYS = 90
MAX_PERIOD_DAYS = 3 * 366
PARAMETERS = ("group", "from", "to")


def _form_name(parameter: str) -> str:
    # `from` is a Python keyword: the form reads it as `from_`.
    return "from_" if parameter == "from" else parameter


class PeriodQuery(forms.Form):
    GROUPS: ClassVar[tuple[str, ...]] = ()
    DEFAULT_GROUP: ClassVar[str] = "product"

    group = forms.ChoiceField(required=False)
    from_ = PeriodDayField(required=False)
    to = PeriodDayField(required=False)

    def __init__(self, data: Any, *, today: date) -> None:
        super().__init__({"group": data.get("group"), "from_": data.get("from"), "to": data.get("to")})
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ChoiceField)
        group_field.choices = [(name, name) for name in self.GROUPS]
        self.today = today
        self.sent_empty = [name for name in PARAMETERS if name in data and data.get(name) == ""]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.sent_empty:
            self.add_error(_form_name(name), _("Give a value, or leave the parameter out."))
        if self.errors:
            return cleaned
        last = cleaned.get("to") or self.today
        first = cleaned.get("from_") or last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if first > last:
            # Without `to`, the period ends today: a `from` after it is the value at fault.
            if cleaned.get("to") is None:
                self.add_error("from_", _("The start date must be today or earlier when no end date is given."))
            else:
                self.add_error("to", _("The end date must be on or after the start date."))
        elif (last - first).days >= MAX_PERIOD_DAYS:
            self.add_error("from_", _("Choose a period of at most three years."))
        cleaned.update(group=cleaned.get("group") or self.DEFAULT_GROUP, first=first, last=last)
        return cleaned

    def field_errors(self) -> dict[str, list[str]]:
        """The errors under the parameters' own names (``from``, not ``from_``)."""
        return {
            ("from" if name == "from_" else name): [str(message) for message in messages]
            for name, messages in self.errors.items()
        }


def _choices_text(groups: tuple[str, ...]) -> str:
    """``product`` (default), ``category`` or ``month``."""
    names = [f"`{name}`" for name in groups]
    names[0] += " (default)"
    return (", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]) + "."


def period_parameters(groups: tuple[str, ...]) -> list[OpenApiParameter]:
    """The three query parameters as the schema states them (the figures APIs share them)."""
    return [
        OpenApiParameter(
            "group",
            OpenApiTypes.STR,
            enum=list(groups),
            description=_choices_text(groups),
        ),
        OpenApiParameter(
            "from",
            OpenApiTypes.DATE,
            description=f"First day, YYYY-MM-DD (default: {DEFAULT_PERIOD_DAYS - 1} days before `to`).",
        ),
        OpenApiParameter("to", OpenApiTypes.DATE, description="Last day, YYYY-MM-DD (default: today)."),
    ]


def local_midnight(day: date) -> datetime:
    """The first moment of ``day`` in TIME_ZONE (a period's bounds: [first, last + 1 day))."""
    return datetime.combine(day, time(0), tzinfo=timezone.get_default_timezone())
