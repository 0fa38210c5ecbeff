"""Forms of the desk. They check what a browser can be told at once (required fields,
lengths, choices); desk.services decides the rest, and a refusal is put back on the form
with reviews.forms.form_add_domain_error."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.period_query import MAX_PERIOD_DAYS
from core.strict_dates import PeriodDayField
from core.text_limits import GroupedNumbersCharField
from core.text_safety import validate_written_text
from desk.bursts import BURST_STATEMENT_MAX_LENGTH
from desk.models import COMMENT_MAX_LENGTH
from desk.services import BULK_MAX
from gate.models import LIVE_NOTICE_STATES, WithdrawalNotice
from gate.services import (
    ADDRESSED_PHRASE_MAX_LENGTH,
    ADDRESSED_PHRASES_MAX,
    DESCRIPTION_MAX_LENGTH,
    PUBLIC_NOTE_MAX_LENGTH,
)
from gate.services.approvals import REJECTION_REASON_MAX_LENGTH
from gate.services.improvements import ImprovementDescriptionValidator
from reviews.forms import COUNTER_TEMPLATE
from reviews.models import BODY_MAX_LENGTH, DECISION_NOTE_MAX_LENGTH, REPORT_REASONS, ReasonCode


def _choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


LIVE = "live"
ALL = "all"


class NoticeFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            (LIVE, _("Open or withdrawn")),
            (WithdrawalNotice.State.OPEN, _("Open")),
            (WithdrawalNotice.State.WITHDRAWN, _("Withdrawn")),
            (WithdrawalNotice.State.RECOVERED, _("Recovered")),
            (WithdrawalNotice.State.RESOLVED, _("Resolved by an improvement")),
            (ALL, _("All")),
        ],
    )
    category = forms.TypedChoiceField(label=_("Category"), required=False, coerce=int, empty_value=None)
    manager = forms.TypedChoiceField(label=_("Manager"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, categories: Any = (), managers: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "category", [("", _("All categories")), *((c.pk, c.name) for c in categories)])
        _choices(self, "manager", [("", _("All managers")), *((u.pk, u.public_name) for u in managers)])

    def states(self) -> list[str]:
        value = (self.cleaned_data.get("state") or LIVE) if self.is_valid() else LIVE
        if value == LIVE:
            return list(LIVE_NOTICE_STATES)
        if value == ALL:
            return [choice.value for choice in WithdrawalNotice.State]
        return [value]


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label=_("Assign to"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, people: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "assignee", [("", _("Nobody")), *((u.pk, u.public_name) for u in people)])


class CommentForm(forms.Form):
    body = GroupedNumbersCharField(
        label=_("Internal comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter-template": COUNTER_TEMPLATE}),
        help_text=_("Only the product's team and quality directors see comments."),
        error_messages={"required": _("Write the comment first.")},
    )


class ImprovementForm(forms.Form):
    description = forms.CharField(
        label=_("What was changed (internal)"),
        validators=[ImprovementDescriptionValidator()],
        widget=forms.Textarea(
            attrs={"rows": 5, "maxlength": DESCRIPTION_MAX_LENGTH, "data-counter-template": COUNTER_TEMPLATE}
        ),
        help_text=_("For the team and quality directors: the change, the supplier, the batch, the tests."),
        error_messages={"required": _("Say what was changed.")},
    )
    public_note = GroupedNumbersCharField(
        label=_("Note for shoppers (public)"),
        required=False,
        max_length=PUBLIC_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter-template": COUNTER_TEMPLATE}),
        help_text=_("Shown on the product page from now on, above the reviews of the previous version."),
    )
    addressed_phrases = forms.MultipleChoiceField(
        label=_("Complaints this addresses"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("After the change, the notice shows how often each is still said in low-rated reviews."),
    )
    other_phrases = forms.CharField(
        label=_("Other complaints it addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One phrase per line, as customers write it."),
    )

    def __init__(self, *args: Any, phrases: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "addressed_phrases", [(p.phrase, p.phrase) for p in phrases])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        others = [line.strip() for line in (cleaned.get("other_phrases") or "").splitlines() if line.strip()]
        if any(len(line) > ADDRESSED_PHRASE_MAX_LENGTH for line in others):
            self.add_error(
                "other_phrases",
                _("Each phrase can be at most %(max)d characters long.") % {"max": ADDRESSED_PHRASE_MAX_LENGTH},
            )
        phrases = list(dict.fromkeys([*(cleaned.get("addressed_phrases") or []), *others]))
        if len(phrases) > ADDRESSED_PHRASES_MAX:
            self.add_error("addressed_phrases", _("Choose at most %(max)d phrases.") % {"max": ADDRESSED_PHRASES_MAX})
        cleaned["phrases"] = phrases
        return cleaned


class ImprovementRejectForm(forms.Form):
    """A quality director's rejection of an improvement waiting for approval."""

    reason = GroupedNumbersCharField(
        label=_("Why it is rejected"),
        max_length=REJECTION_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter-template": COUNTER_TEMPLATE}),
        help_text=_("Shown to the product's managers on the notice and emailed to the manager who logged it."),
        error_messages={"required": _("Say why the improvement is rejected.")},
    )


class ReplyForm(forms.Form):
    body = GroupedNumbersCharField(
        label=_("Your public reply"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6, "data-counter-template": COUNTER_TEMPLATE}),
        help_text=_("Shown under the review, signed with the brand. The author is emailed the first reply."),
        error_messages={"required": _("Write the reply first.")},
    )


REASON_CHOICES = [("", _("Choose a reason…")), *((code.value, code.label) for code in REPORT_REASONS)]


NOTE_LABEL = _("Note to the author")
NOTE_HELP = _("Sent with the reason in the statement of reasons. Required with “Other”.")


class ModerationForm(forms.Form):
    """One form for the whole queue: a button per review (``approve:<id>``,
    ``reject:<id>`` with that row's reason and note) and two for the selection
    (``approve:selected``, ``reject:selected`` with the bulk reason and note)."""

    decision = forms.RegexField(
        label=_("Decision"), regex=r"^(approve|reject):(selected|[0-9]{1,18})\Z"
    )  # ASCII: \d takes "٣"
    reviews = forms.TypedMultipleChoiceField(label=_("Selected reviews"), required=False, coerce=int)
    reason_selected = forms.ChoiceField(label=_("Reason"), required=False, choices=REASON_CHOICES)
    note_selected = GroupedNumbersCharField(
        label=NOTE_LABEL,
        help_text=NOTE_HELP,
        required=False,
        max_length=DECISION_NOTE_MAX_LENGTH,
        validators=[validate_written_text],
    )

    def __init__(self, *args: Any, review_ids: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "reviews", [(pk, pk) for pk in review_ids])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        if not decision:
            return cleaned
        action, target = decision.split(":")
        if target == "selected":
            ids = list(cleaned.get("reviews") or [])
            reason = cleaned.get("reason_selected") or ""
            note = cleaned.get("note_selected") or ""
            if not ids:
                self.add_error("reviews", _("Select at least one review."))
            if len(ids) > BULK_MAX:
                self.add_error("reviews", _("Select at most %(max)d reviews at a time.") % {"max": BULK_MAX})
        else:
            ids = [int(target)]
            reason = self.data.get(f"reason_{target}", "")
            note = str(self.data.get(f"note_{target}", "")).strip()
            if len(note) > DECISION_NOTE_MAX_LENGTH:
                self.add_error(None, _("Keep the note to %(max)d characters.") % {"max": DECISION_NOTE_MAX_LENGTH})
        if action == "reject" and reason not in {code.value for code in REPORT_REASONS}:
            self.add_error(None, _("Choose the reason for rejecting the review."))
        elif action == "reject" and reason == ReasonCode.OTHER and not note:
            message = _("With the reason “Other”, write what the review breaks: the author receives it.")
            self.add_error("note_selected" if target == "selected" else None, message)
        cleaned.update(action=action, ids=ids, reason=reason, note=note)
        return cleaned


class BurstDecisionForm(forms.Form):
    """A held burst of one product: release or reject all its held reviews or the selected
    ones, with one statement emailed to every author (desk.bursts.burst_decide)."""

    decision = forms.RegexField(label=_("Decision"), regex=r"^(release|reject):(all|selected)$")
    reviews = forms.TypedMultipleChoiceField(label=_("Held reviews"), required=False, coerce=int)
    reason = forms.ChoiceField(label=_("Reason (to reject)"), required=False, choices=REASON_CHOICES)
    statement = GroupedNumbersCharField(
        label=_("Statement to every author"),
        max_length=BURST_STATEMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "data-counter-template": COUNTER_TEMPLATE}),
        help_text=_("Emailed to each author with the decision: say what was checked and why."),
        error_messages={"required": _("Write the statement every author will receive.")},
    )

    def __init__(self, *args: Any, review_ids: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "reviews", [(pk, pk) for pk in review_ids])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        decision = cleaned.get("decision")
        if not decision:
            return cleaned
        action, scope = decision.split(":")
        ids: list[int] | None = None
        if scope == "selected":
            ids = list(cleaned.get("reviews") or [])
            if not ids:
                self.add_error("reviews", _("Select at least one review."))
        if action == "reject" and not cleaned.get("reason"):
            self.add_error("reason", _("Choose the reason for rejecting the reviews."))
        cleaned.update(action=action, ids=ids)
        return cleaned


GROUPINGS = [("category", _("Category")), ("product", _("Product")), ("manager", _("Manager")), ("month", _("Month"))]
PERIODS = [("30", _("Last 30 days")), ("90", _("Last 90 days")), ("365", _("Last 12 months")), ("custom", _("Dates"))]


class KpiForm(forms.Form):
    group = forms.ChoiceField(label=_("Group by"), choices=GROUPINGS, required=False)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    start = PeriodDayField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = PeriodDayField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        period = cleaned.get("period") or "90"
        if period == "custom":
            start, end = cleaned.get("start"), cleaned.get("end")
            if start is None or end is None:
                self.add_error(None, _("Give both dates, or choose a period."))
                return cleaned
            if start > end:
                self.add_error("end", _("The end date must be on or after the start date."))
            elif (end - start).days >= MAX_PERIOD_DAYS:
                self.add_error(None, _("Choose a period of at most three years."))
        else:
            end = self.today
            start = end - timedelta(days=int(period) - 1)
        cleaned.update(group=cleaned.get("group") or "category", period=period, first=start, last=end)
        return cleaned


class PhotoRemoveForm(forms.Form):
    """A moderator's takedown of one photo (desk.photo_takedown): a reason and the note the
    author is sent with it, as a rejection's."""

    reason = forms.ChoiceField(
        label=_("Reason"), choices=REASON_CHOICES, error_messages={"required": _("Choose a reason from the list.")}
    )
    note = GroupedNumbersCharField(
        label=NOTE_LABEL,
        help_text=NOTE_HELP,
        required=False,
        max_length=DECISION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_written_text],
    )
