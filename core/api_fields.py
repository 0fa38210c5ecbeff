"""Serializer fields for API request bodies that take JSON's types as the schema states them.

DRF's own fields coerce: a CharField takes the number 0 as "0", a BooleanField takes 0, 1,
"yes" and "off", an IntegerField takes "4", "٤" and 4.0. The OpenAPI schema says `string`,
`boolean`, `integer`, so a client that sends another type is told at once (a 400 naming
the field) instead of having its value silently converted into something it did not mean.
The API reads JSON only (REST_FRAMEWORK's parsers), so a value's JSON type is what the
client wrote.

A string field also refuses the NUL character (DRF's validator: PostgreSQL cannot store
it), and its schema says so with a pattern, so that the schema and the code agree.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

__all__ = ["NO_NUL_PATTERN", "StrictBooleanField", "StrictCharField", "StrictIntegerField"]

# Any text without U+0000, in the escape drf-spectacular writes its patterns with.
NO_NUL_PATTERN = r"^[^\u0000]*$"


class StrictCharField(serializers.CharField):
    """A JSON string only: a number, a boolean, a list or an object is refused."""

    default_error_messages = {"invalid": _("Enter a string (text in double quotes).")}

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharFieldSchema(OpenApiSerializerFieldExtension):
    """A StrictCharField's schema: drf-spectacular's, plus "no NUL" when the field states
    no pattern of its own (a field with one says it there, as HttpUrlField does)."""

    target_class = StrictCharField
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        # A field's own RegexValidator is its pattern (it must refuse NUL too).
        own = [
            str(getattr(validator.regex, "pattern", validator.regex))
            for validator in self.target.validators
            if isinstance(validator, RegexValidator)
        ]
        schema.setdefault("pattern", own[0] if own else NO_NUL_PATTERN)
        return schema


class StrictBooleanField(serializers.BooleanField):
    """JSON `true` or `false` only (not 0, 1, "true" or "yes")."""

    default_error_messages = {"invalid": _("Enter true or false (without quotes).")}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """A JSON whole number only (not "4", 4.0 or true)."""

    default_error_messages = {"invalid": _("Enter a whole number (without quotes or a decimal point).")}

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)  # type: ignore[no-any-return]
