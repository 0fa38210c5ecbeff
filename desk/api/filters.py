"""The query of GET /api/v1/invitation-figures/, parsed strictly: a bad value is a 400
naming the field (dates as YYYY-MM-DD only: core.strict_dates)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.strict_dates import IsoDateField
from desk.forms import MAX_PERIOD_DAYS
from desk.selectors.invitations import INVITATION_GROUPS

# Without dates: the 90 days through today, as the desk's key figures page opens.
DEFAULT_PERIOD_DAYS = 90


class InvitationFigureQuery(forms.Form):
    group = forms.ChoiceField(choices=[(name, name) for name in INVITATION_GROUPS], required=False)
    # `from` is a Python keyword: the form reads the parameters under these names.
    from_ = IsoDateField(required=False)
    to = IsoDateField(required=False)

    def __init__(self, data: Any, *, today: date) -> None:
        super().__init__({"group": data.get("group"), "from_": data.get("from"), "to": data.get("to")})
        self.today = today
        # A parameter sent empty (`?to=`) is refused, not read as absent: the schema says a
        # day (or a group), and an empty value is neither.
        self.sent_empty = [name for name in ("group", "from", "to") if name in data and data.get(name) == ""]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.sent_empty:
            self.add_error("from_" if name == "from" else name, _("Give a value, or leave the parameter out."))
        if self.errors:
            return cleaned
        last = cleaned.get("to") or self.today
        first = cleaned.get("from_") or last - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if first > last:
            self.add_error("to", _("The end date must be on or after the start date."))
        elif (last - first).days >= MAX_PERIOD_DAYS:
            self.add_error("from_", _("Choose a period of at most three years."))
        cleaned.update(group=cleaned.get("group") or "product", first=first, last=last)
        return cleaned

    def field_errors(self) -> dict[str, list[str]]:
        """The errors under the parameters' own names (``from``, not ``from_``)."""
        return {
            ("from" if name == "from_" else name): [str(message) for message in messages]
            for name, messages in self.errors.items()
        }
