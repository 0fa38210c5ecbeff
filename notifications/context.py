"""Typed values in an email's context, kept through the outbox's JSON payload.

An email is rendered at delivery, in the recipient's language, so its context waits in a
JSON column meanwhile. JSON has no date or decimal, yet a template must get them typed to
localise them ("2.6129" / "2,6129", "March 23, 2026" / "23 mars 2026"). So the writer
stores each such value in a tagged form, a one-key object, and the deliverer revives it:

    datetime.date     -> {"$date": "2026-03-23"}
    datetime.datetime -> {"$datetime": "2026-03-23T10:00:00+00:00"}
    decimal.Decimal   -> {"$decimal": "2.6129"}
    InLanguages       -> {"$text": {"en": "Frying pan", "fr": "Poêle"}}

Everything else must already be JSON (str, int, float, bool, None, lists, dicts) and is
kept as is, so the outbox never needs to know which keys of whose context are dates. A
value meant to stay text (a threshold written "10/3") is simply passed as a str. A
caller's own dict with one of these tags as its only key would be read as a typed value:
the tags are reserved.

A text written in several languages (a product's name, products/translation.py) is an
`InLanguages`: stored in every language, it reads as the recipient's when the template
renders it, inside the recipient's language (notifications.delivery), not the writer's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

__all__ = ["InLanguages", "context_from_json", "context_to_json"]

_DATE, _DATETIME, _DECIMAL, _TEXT = "$date", "$datetime", "$decimal", "$text"


class InLanguages(dict[str, str]):
    """A text per language code; `str()` is the active language's, else the default
    language's (settings.LANGUAGE_CODE), as the site falls back."""

    def in_language(self, language: str) -> str:
        return self.get(language) or self.get(language.split("-")[0]) or self.get(settings.LANGUAGE_CODE) or ""

    def __str__(self) -> str:
        return self.in_language(get_language() or settings.LANGUAGE_CODE)


_REVIVERS: dict[str, Callable[[str], object]] = {
    _DATE: date.fromisoformat,
    _DATETIME: datetime.fromisoformat,
    _DECIMAL: Decimal,
}


def _to_json(value: Any) -> Any:
    if isinstance(value, InLanguages):  # before Mapping: it is one
        return {_TEXT: {str(language): str(text) for language, text in value.items()}}
    # datetime before date: a datetime is a date too.
    if isinstance(value, datetime):
        return {_DATETIME: value.isoformat()}
    if isinstance(value, date):
        return {_DATE: value.isoformat()}
    if isinstance(value, Decimal):
        return {_DECIMAL: str(value)}
    if isinstance(value, Mapping):
        return {str(key): _to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_to_json(item) for item in value]
    return value


def _from_json(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            [(tag, text)] = value.items()
            if tag == _TEXT and isinstance(text, dict):
                return InLanguages({str(language): str(item) for language, item in text.items()})
            revive = _REVIVERS.get(tag)
            if revive is not None and isinstance(text, str):
                return revive(text)
        return {key: _from_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_from_json(item) for item in value]
    return value


def context_to_json(context: Mapping[str, Any]) -> dict[str, Any]:
    """``context`` ready for the payload column: dates, datetimes and Decimals tagged."""
    return {str(key): _to_json(value) for key, value in context.items()}


def context_from_json(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The context a template gets back from a payload: tagged values revived."""
    return {key: _from_json(value) for key, value in payload.items()}
