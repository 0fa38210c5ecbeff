"""Form fields whose length messages write their numbers as people read them.

Django's length validators pass the limit and the length as integers, which a message's
``%(limit_value)d`` writes "5000" in every language. These fields write them with
``core.local_formats.number_text`` ("5 000" in French, "5,000" in English) before the
message is interpolated; their messages therefore use ``%(limit_value)s`` and
``%(show_value)s`` (give them in ``error_messages``: Django's own say ``%d``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.local_formats import numbers_grouped

__all__ = ["GroupedNumbersCharField"]


class GroupedNumbersCharField(forms.CharField):
    """A CharField whose validators' numbers are grouped in its messages."""

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)
        except ValidationError as failure:
            for error in failure.error_list:
                if error.params:
                    error.params = numbers_grouped(error.params, message=error.message)
            raise
