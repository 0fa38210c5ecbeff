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

__all__ = ["IsoDateField"]

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
