"""Serializer fields for API request bodies that take JSON's types as the schema states them.

DRF's own fields coerce: a CharField takes the number 0 as "0", a BooleanField takes 0, 1,
"yes" and "off", an IntegerField takes "4", "٤" and 4.0. The OpenAPI schema says `string`,
`boolean`, `integer`, so a client that sends another type is told at once (a 400 naming
the field) instead of having its value silently converted into something it did not mean.
The API reads JSON only (REST_FRAMEWORK's parsers), so a value's JSON type is what the
client wrote.

A string field also refuses the NUL character (DRF's validator: PostgreSQL cannot store
it), and its schema says so with a pattern, so that the schema and the code agree. A field
that trims (DRF's default) checks its lengths, and blankness, **after** trimming: "\f" is a
blank reason, and 20 characters with spaces around are not 20 characters of text. Its
schema states that with the pattern too (trimmed_length_pattern), instead of minLength and
maxLength, which count the raw text.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers

from core.text_limits import api_max_length_message, api_min_length_message, grouped_length_validators

__all__ = ["NO_NUL_PATTERN", "StrictBooleanField", "StrictCharField", "StrictIntegerField", "trimmed_length_pattern"]

# Any text without U+0000, in the escape drf-spectacular writes its patterns with.
NO_NUL_PATTERN = r"^[^\u0000]*$"
# What Python's str.strip() (DRF's trim_whitespace) removes: str.isspace(), which is not
# ECMAScript's \s (it has U+001C-U+001F, not U+FEFF), so the class is spelled out.
_TRIMMED = r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE = f"[{_TRIMMED}]"
_TEXT = f"[^{_TRIMMED}\\u0000]"  # a character the trim keeps at an end (never NUL)
_ANY = r"[^\u0000]"


def trimmed_length_pattern(*, min_length: int, max_length: int | None) -> str:
    """The texts whose trimmed length is within [min_length, max_length], without NUL."""
    inner_max = "" if max_length is None else str(max(max_length - 2, 0))
    if max_length == 1:
        core = _TEXT
    elif min_length <= 1:
        core = f"{_TEXT}(?:{_ANY}{{0,{inner_max}}}{_TEXT})?"
    else:
        core = f"{_TEXT}{_ANY}{{{min_length - 2},{inner_max}}}{_TEXT}"
    if min_length == 0:
        core = f"(?:{core})?"
    return f"^{_SPACE}*{core}{_SPACE}*$"


class StrictCharField(serializers.CharField):
    """A JSON string only: a number, a boolean, a list or an object is refused."""

    default_error_messages = {"invalid": _("Enter a string (text in double quotes).")}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Its length limits say "5 000" in French, as the site does (core.text_limits).
        self.validators = grouped_length_validators(
            self.validators, max_message=api_max_length_message, min_message=api_min_length_message
        )

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
        if own:
            schema.setdefault("pattern", own[0])
        elif self.target.trim_whitespace and not self.target.read_only:
            # Limits given as validators (a MaxLengthValidator of the service's own) count too.
            limits = [self.target.max_length] + [
                validator.limit_value
                for validator in self.target.validators
                if isinstance(validator, MaxLengthValidator) and isinstance(validator.limit_value, int)
            ]
            maximum = min((limit for limit in limits if limit is not None), default=None)
            minimum = 0 if self.target.allow_blank else max(self.target.min_length or 0, 1)
            schema["pattern"] = trimmed_length_pattern(min_length=minimum, max_length=maximum)
        else:
            schema.setdefault("pattern", NO_NUL_PATTERN)
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


def trimmed_lengths_stated_once(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """A POSTPROCESSING_HOOKS entry: a string whose pattern states its trimmed lengths
    (trimmed_length_pattern) loses the minLength and maxLength drf-spectacular adds from the
    field's limits and validators, which count the raw text (a client may send 5 spaces
    around 5,000 characters: accepted, as the pattern says)."""

    def trimmed(node: Any) -> bool:
        return isinstance(node, dict) and str(node.get("pattern", "")).startswith(f"^{_SPACE}*")

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "string" and trimmed(node):
                node.pop("minLength", None)
                node.pop("maxLength", None)
            # A field that allows blank is drf-spectacular's oneOf [the field, a blank string]:
            # its pattern already accepts blank, and "" matching both would break oneOf.
            alternatives = node.get("oneOf")
            if isinstance(alternatives, list) and len(alternatives) == 2 and any(map(trimmed, alternatives)):
                blank = [alt for alt in alternatives if alt == {"type": "string", "maxLength": 0}]
                if blank:
                    kept = next(alt for alt in alternatives if trimmed(alt))
                    del node["oneOf"]
                    node.update({key: value for key, value in kept.items() if key not in ("minLength", "maxLength")})
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result.get("components", {}).get("schemas", {}))
    return result
