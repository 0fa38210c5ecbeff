"""French typesetting of the demo's French content, as the site's own French strings are
written (locale/fr; tests/unit/test_translations*): the typographic apostrophe, a no-break
space before a colon and inside guillemets, a narrow no-break space before ; ! ?. Applied
where the demo's French texts are defined or composed; a shopper's own text is never
changed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

NBSP, NNBSP = "\u00a0", "\u202f"

_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]*:(?=\s|$)")
_BEFORE_TALL = re.compile(r"[ \u00a0\u202f]*([;!?])(?=\s|$|[»)])")
_OPENING = re.compile(r"«[ \u00a0\u202f]*")
_CLOSING = re.compile(r"[ \u00a0\u202f]*»")


def french(text: str) -> str:
    """``text`` typeset in French. Idempotent; a colon inside a time or a URL ("10:30",
    "https:") is left alone (it is followed by no space)."""
    text = text.replace("'", "’")
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _BEFORE_TALL.sub(lambda match: NNBSP + match.group(1), text)
    text = _OPENING.sub("«" + NBSP, text)
    return _CLOSING.sub(NBSP + "»", text)


def french_pools(pools: Mapping[str, Any]) -> Any:
    """A mapping of texts by language (nested as deep as it goes), its "fr" texts typeset."""
    typeset: dict[str, Any] = {}
    for key, value in pools.items():
        if key == "fr" and isinstance(value, list | tuple):
            typeset[key] = type(value)(french(text) for text in value)
        elif isinstance(value, Mapping):
            typeset[key] = french_pools(value)
        else:
            typeset[key] = value
    return typeset
