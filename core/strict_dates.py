"""Days from clients, as ISO 8601 writes them (2026-03-31) and nothing else.

Django's DateField parses with strptime(), whose digits are any script's (``"٢٠٢٦-٠١-٠١"``
reads as 2026-01-01) and which also takes 03/31/2026 and 2026-3-1; the API's schema says
``format: date`` and the site's date inputs send YYYY-MM-DD. One field for both.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

__all__ = ["EARLIEST_PERIOD_DAY", "LATEST_PERIOD_DAY", "IsoDateField", "PeriodDayField"]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


class IsoDateField(forms.DateField):
    """A day as the schema's `format: date` writes it (2026-03-31): not Django's other input
    formats (03/31/2026), nor other scripts' digits, which strptime() would read."""

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise forms.ValidationError(_("Enter a date as YYYY-MM-DD."), code="invalid")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("Enter a date that exists, as YYYY-MM-DD."), code="invalid") from None


# Days a period may name: any real one, kept clear of date.min and date.max, whose midnights
# (and the day after the last) Python's datetime cannot hold in every time zone: a 400, not a 500.
EARLIEST_PERIOD_DAY, LATEST_PERIOD_DAY = date(1900, 1, 1), date(9999, 12, 30)


class PeriodDayField(IsoDateField):
    """A day that starts or ends a period of figures (turned into midnights, a day added):
    ISO 8601 as IsoDateField, from EARLIEST_PERIOD_DAY to LATEST_PERIOD_DAY."""

    def to_python(self, value: Any) -> date | None:
        day = super().to_python(value)
        if day is not None and not EARLIEST_PERIOD_DAY <= day <= LATEST_PERIOD_DAY:
            raise forms.ValidationError(
                _("Enter a day from %(earliest)s to %(latest)s.")
                % {"earliest": EARLIEST_PERIOD_DAY.isoformat(), "latest": LATEST_PERIOD_DAY.isoformat()},
                code="out_of_range",
            )
        return day
