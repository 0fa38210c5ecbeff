"""Forms of the customer care desk: the queue's filters and the case's actions. They check
what a browser can be told at once (choices, lengths); care.services decides the rest, and
its refusal is put back on the form (reviews.forms.form_add_domain_error)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from care.models import MESSAGE_MAX_LENGTH, CaseOutcome
from core.text_limits import GroupedNumbersCharField
from desk.selectors.care import StateFilter, WhoFilter
from reviews.forms import COUNTER_TEMPLATE


class CareQueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Cases"),
        required=False,
        choices=[
            (StateFilter.ACTIVE.value, _("Open or contacted")),
            (StateFilter.CLOSED.value, _("Closed")),
            (StateFilter.ALL.value, _("All")),
        ],
    )
    who = forms.ChoiceField(label=_("Handled by"), required=False)

    def __init__(self, *args: Any, care_staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "Mine" only for those who can have a case: care staff.
        choices = [(WhoFilter.ALL.value, _("Anyone or nobody"))]
        if care_staff:
            choices.append((WhoFilter.MINE.value, _("Me")))
        choices.append((WhoFilter.UNASSIGNED.value, _("Nobody yet")))
        field = self.fields["who"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def chosen_state(self) -> StateFilter:
        value = self.cleaned_data.get("state") if self.is_bound and self.is_valid() else ""
        return StateFilter(value) if value else StateFilter.ACTIVE

    def chosen_who(self) -> WhoFilter:
        value = self.cleaned_data.get("who") if self.is_bound and self.is_valid() else ""
        return WhoFilter(value) if value else WhoFilter.ALL


class CaseAssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Give the case to"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, people: Iterable[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Nobody")), *((person.pk, person.public_name) for person in people)]


class CaseMessageForm(forms.Form):
    body = GroupedNumbersCharField(
        label=_("Your message to the customer"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 6, "maxlength": MESSAGE_MAX_LENGTH, "data-counter-template": COUNTER_TEMPLATE}
        ),
        help_text=_(
            "Sent by email from the site's address, in the customer's language; their "
            "answer comes back to this case. Their address is never shown to staff."
        ),
        error_messages={"required": _("Write the message first.")},
    )


class CaseCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("", _("Choose the outcome")), *CaseOutcome.choices],
        error_messages={"required": _("Choose the outcome from the list.")},
    )
    note = GroupedNumbersCharField(
        label=_("Closing note to the customer (optional)"),
        required=False,
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 3, "maxlength": MESSAGE_MAX_LENGTH, "data-counter-template": COUNTER_TEMPLATE}
        ),
        help_text=_(
            "If care has written to the customer, they get a closing email asking how easy "
            "it was to get the problem solved; this note goes with it."
        ),
    )
