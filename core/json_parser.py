"""The API's JSON parser: strict UTF-8, standard JSON, and a bounded depth.

DRF's JSONParser hands the body to ``json.load``, whose C scanner recurses once per
nesting level: a valid body of 2,000 nested arrays (4 KB) raised RecursionError, a 500.
No request of this API nests deeper than 3 levels, so a body nested deeper than
API_JSON_MAX_DEPTH (64) is refused with a 400 before it is decoded, by a scan that does
not recurse. Bytes that are not UTF-8, NaN/Infinity and anything else ``json`` refuses
are 400s too, in the API's error shape (code ``parse_error``).
"""

from __future__ import annotations

import json
import re
from typing import IO, Any, NoReturn

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

DEFAULT_MAX_DEPTH = 64
# A JSON string (skipped whole, so brackets inside it do not count) or one bracket.
_STRING_OR_BRACKET = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_OPENERS = frozenset(b"[{")


def json_depth_exceeds(raw: bytes, limit: int) -> bool:
    """True when brackets outside strings nest deeper than ``limit``. Linear, no recursion;
    an invalid document is left to the decoder to refuse."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(raw):
        token = match.group()
        if len(token) != 1:
            continue  # a string
        if token[0] in _OPENERS:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not valid JSON")


class StrictJSONParser(JSONParser):
    """REST_FRAMEWORK's default parser (config/settings.py)."""

    def parse(self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ParseError(
                _("The body is not valid UTF-8 (byte %(position)d): send JSON encoded in UTF-8.")
                % {"position": error.start}
            ) from None
        limit = getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)
        if json_depth_exceeds(raw, limit):
            raise ParseError(
                _("The JSON body is nested more than %(max)d levels deep.") % {"max": limit},
                code="json_too_deep",
            )
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
            # "\ud800" is valid JSON but no character: it cannot be stored, nor sent back.
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError:  # the scan above makes this unreachable; kept as the backstop
            raise ParseError(_("The JSON body is nested too deeply."), code="json_too_deep") from None
        except UnicodeEncodeError:
            raise ParseError(
                _("The JSON body has a \\u escape that is half of a character (a lone surrogate).")
            ) from None
        except ValueError as error:
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": error}) from None
        return data
