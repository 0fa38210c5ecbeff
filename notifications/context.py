"""Typed values in an email's context, kept through the outbox's JSON payload.

An email is rendered at delivery, in the recipient's language, so its context waits in a
JSON column meanwhile. JSON has no date or decimal, yet a template must get them typed to
localise them ("2.6129" / "2,6129", "March 23, 2026" / "23 mars 2026"). So the writer
stores each such value in a tagged form, a one-key object, and the deliverer revives it:

    datetime.date     -> {"$date": "2026-03-23"}
    datetime.datetime -> {"$datetime": "2026-03-23T10:00:00+00:00"}
    decimal.Decimal   -> {"$decimal": "2.6129"}

Everything else must already be JSON (str, int, float, bool, None, lists, dicts) and is
kept as is, so the outbox never needs to know which keys of whose context are dates. A
value meant to stay text (a threshold written "10/3") is simply passed as a str. A
caller's own dict with one of these tags as its only key would be read as a typed value:
the tags are reserved.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

__all__ = ["context_from_json", "context_to_json"]

_DATE, _DATETIME, _DECIMAL = "$date", "$datetime", "$decimal"

_REVIVERS: dict[str, Callable[[str], object]] = {
    _DATE: date.fromisoformat,
    _DATETIME: datetime.fromisoformat,
    _DECIMAL: Decimal,
}


def _to_json(value: Any) -> Any:
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
