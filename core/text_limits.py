"""Length limits whose messages write their numbers as people read them.

Django's length validators pass the limit and the length as integers, which their messages'
``%(limit_value)d`` write "5000" in every language (DRF's, ``{max_length}``, the same),
where the rest of the site writes "5,000" and, in French, "5 000" (U+202F). The one way
here: :class:`GroupedMaxLengthValidator` and :class:`GroupedMinLengthValidator` raise their
error with the numbers already written by ``core.local_formats.number_text``, in messages
that take them as text (``%(limit_value)s``). Form fields get them from
:class:`GroupedNumbersCharField` (which also groups the numbers of any other validator whose
message says ``%(name)s``), API fields from ``core.api_fields.StrictCharField``, the
admin's from :class:`GroupedLengthsAdminMixin`.
``tests/integration/test_length_messages_grouped.py`` holds every form, admin and serializer
field with a long limit to it, in French.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.utils.translation import ngettext_lazy

from core.local_formats import number_text, numbers_grouped

__all__ = [
    "GroupedLengthsAdminMixin",
    "GroupedMaxLengthValidator",
    "GroupedMinLengthValidator",
    "GroupedNumbersCharField",
    "api_max_length_message",
    "api_min_length_message",
    "grouped_length_validators",
]

# A message for a limit: its singular or plural chosen by the limit, an int (the grouped
# text is no number gettext's plural rule can read).
MessageFor = Callable[[int], Any]


def max_length_message(limit: int) -> Any:
    return ngettext_lazy(
        "Ensure this value has at most %(limit_value)s character (it has %(show_value)s).",
        "Ensure this value has at most %(limit_value)s characters (it has %(show_value)s).",
        limit,
    )


def min_length_message(limit: int) -> Any:
    return ngettext_lazy(
        "Ensure this value has at least %(limit_value)s character (it has %(show_value)s).",
        "Ensure this value has at least %(limit_value)s characters (it has %(show_value)s).",
        limit,
    )


def api_max_length_message(limit: int) -> Any:
    """DRF's wording, for the API's fields."""
    return ngettext_lazy(
        "Ensure this field has no more than %(limit_value)s character.",
        "Ensure this field has no more than %(limit_value)s characters.",
        limit,
    )


def api_min_length_message(limit: int) -> Any:
    return ngettext_lazy(
        "Ensure this field has at least %(limit_value)s character.",
        "Ensure this field has at least %(limit_value)s characters.",
        limit,
    )


class _GroupedLengthMixin:
    default_message_for: MessageFor
    code: str
    limit_value: Any

    def __init__(self, limit_value: Any, message_for: MessageFor | None = None) -> None:
        super().__init__(limit_value)  # type: ignore[call-arg]
        self.message_for = message_for or type(self).default_message_for

    def __call__(self, value: Any) -> None:
        cleaned = self.clean(value)  # type: ignore[attr-defined]
        limit = self.limit_value() if callable(self.limit_value) else self.limit_value
        if self.compare(cleaned, limit):  # type: ignore[attr-defined]
            # The numbers are written in the language of the request that is validated,
            # which is the one its answer is written in.
            params = {"limit_value": number_text(limit), "show_value": number_text(cleaned), "value": value}
            raise ValidationError(self.message_for(limit), code=self.code, params=params)

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and self.message_for == getattr(other, "message_for", None)  # type: ignore[misc]

    __hash__ = None  # type: ignore[assignment]


class GroupedMaxLengthValidator(_GroupedLengthMixin, MaxLengthValidator):
    """Django's MaxLengthValidator, its numbers grouped: "at most 5 000 characters (it has 5 012)"."""

    default_message_for = staticmethod(max_length_message)


class GroupedMinLengthValidator(_GroupedLengthMixin, MinLengthValidator):
    """Django's MinLengthValidator, its numbers grouped."""

    default_message_for = staticmethod(min_length_message)


def grouped_length_validators(
    validators: Sequence[Any], *, max_message: MessageFor | None = None, min_message: MessageFor | None = None
) -> list[Any]:
    """``validators`` with Django's own length validators (the ones a field's ``max_length``
    and ``min_length`` add) replaced by the grouped ones, with the same limits."""
    replaced: list[Any] = []
    for validator in validators:
        if type(validator) is MaxLengthValidator:
            replaced.append(GroupedMaxLengthValidator(validator.limit_value, max_message))
        elif type(validator) is MinLengthValidator:
            replaced.append(GroupedMinLengthValidator(validator.limit_value, min_message))
        else:
            replaced.append(validator)
    return replaced


class GroupedNumbersCharField(forms.CharField):
    """A CharField whose validators' numbers are grouped in its messages: its length limits
    by the grouped validators, any other validator's whole numbers when its message takes
    them as text (``%(max)s``)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators = grouped_length_validators(self.validators)

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)
        except ValidationError as failure:
            for error in failure.error_list:
                if error.params:
                    error.params = numbers_grouped(error.params, message=error.message)
            raise


class GroupedLengthsAdminMixin:
    """For a ModelAdmin: the form fields it makes from the model's fields get the grouped
    length validators (a review's text of at most "50 000" characters, in French)."""

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if formfield is not None:
            formfield.validators = grouped_length_validators(formfield.validators)
        return formfield
