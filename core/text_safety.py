"""The rule for invisible and direction-changing characters in text people write.

Review titles, review texts and display names are shown to other people, next to other
people's words. Two kinds of character there can mislead a reader without being seen:

- **Bidirectional controls** (U+202A-U+202E embeddings and overrides, U+2066-U+2069
  isolates): a right-to-left override *left open* reverses everything after it on the
  line, so "5 stars, great" can read as something else, and a name can pose as another.
  Refused when unpaired (an opener without its U+202C / U+2069, or a closer without an
  opener); paired ones stay, as right-to-left writers may need them.
- **Zero-width characters** (U+200B space, U+200C non-joiner, U+200D joiner, U+2060 word
  joiner, U+FEFF byte-order mark): they make two names look identical and hide words from
  search. Refused in titles and display names, with a message that says so (removing them
  silently would change what the writer sees after saving); review texts keep them, as
  joiners matter inside words in some scripts and in emoji sequences.

NUL is refused everywhere by Django's and DRF's own validators. The two validators below
hold the rule; the forms and serializers of those fields list them.

**Names** people show themselves under (an account's display name, a guest reviewer's
name) are one short line of plain text, held to more (`validate_display_name`): no
control or format character at all (a tab, a line break, any direction control even
paired, a soft hyphen, a tag character), and not markup alone: "<b></b>" or
"<script>…</script>" would be shown literally (every page escapes it), as a name made of
angle brackets, which is no name. Markup with text in it ("<b>Jo</b>") is the person's
choice, shown as typed.
"""

from __future__ import annotations

import html
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

# Openers and the closer that ends each (embeddings/overrides: PDF; isolates: PDI).
_EMBEDDING_OPENERS = frozenset("\u202a\u202b\u202d\u202e")  # LRE RLE LRO RLO
_POP_DIRECTIONAL_FORMATTING = "\u202c"
_ISOLATE_OPENERS = frozenset("\u2066\u2067\u2068")  # LRI RLI FSI
_POP_DIRECTIONAL_ISOLATE = "\u2069"
BIDI_CONTROLS = frozenset(
    (*_EMBEDDING_OPENERS, _POP_DIRECTIONAL_FORMATTING, *_ISOLATE_OPENERS, _POP_DIRECTIONAL_ISOLATE)
)
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")

UNPAIRED_BIDI = _(
    "This text contains a direction control character (such as a right-to-left override) "
    "that is not closed: remove it, or close it on the same line."
)


def bidi_controls_paired(text: str) -> bool:
    """True when every embedding/override and isolate is closed, in order, on its line."""
    stack: list[str] = []
    for char in text:
        if char in ("\n", "\r", "\u2029"):  # the Unicode algorithm ends them all at a paragraph
            if stack:
                return False
        elif char in _EMBEDDING_OPENERS or char in _ISOLATE_OPENERS:
            stack.append(char)
        elif char == _POP_DIRECTIONAL_FORMATTING:
            if not stack or stack[-1] not in _EMBEDDING_OPENERS:
                return False
            stack.pop()
        elif char == _POP_DIRECTIONAL_ISOLATE:
            if not stack or stack[-1] not in _ISOLATE_OPENERS:
                return False
            stack.pop()
    return not stack


ZERO_WIDTH_PRESENT = _(
    "This text contains an invisible character (a zero-width space, joiner or byte-order mark): "
    "remove it. Copying text from elsewhere can bring one along."
)


def validate_written_text(text: str) -> None:
    """Review texts, replies, comments: direction controls must be paired."""
    if isinstance(text, str) and not BIDI_CONTROLS.isdisjoint(text) and not bidi_controls_paired(text):
        raise ValidationError(UNPAIRED_BIDI, code="unpaired_bidi_control")


def validate_display_text(text: str) -> None:
    """Review titles and display names: direction controls paired, no zero-width character."""
    validate_written_text(text)
    if isinstance(text, str) and not ZERO_WIDTH.isdisjoint(text):
        raise ValidationError(ZERO_WIDTH_PRESENT, code="zero_width_character")


# Cc: C0 and C1 controls (tab, line feed, escape...). Cf: format characters (direction
# controls, zero-width characters, soft hyphen, tags). Zl, Zp: line and paragraph separators.
_NOT_IN_NAMES = frozenset({"Cc", "Cf", "Zl", "Zp"})
# A script or style element is markup through and through, its content included.
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)

CONTROL_IN_NAME = _(
    "A name is one line of visible text: remove the control or invisible character "
    "(a tab, a line break or a direction mark, for example)."
)
MARKUP_ONLY_NAME = _("A name is plain text: this one is only HTML markup, which would be shown as typed. Enter a name.")


def markup_only(text: str) -> bool:
    """True when nothing readable is left once tags (and script or style elements, with
    their content) are removed and entities decoded: "<b></b>", "<br/>", "&nbsp;"."""
    if "<" not in text and "&" not in text:
        return False
    left = html.unescape(strip_tags(_CODE_ELEMENT.sub("", text)))
    return not left.strip()


def validate_display_name(text: str) -> None:
    """Account display names and guests' names: the display-text rule, no control or format
    character, and not markup alone (see the module's docstring)."""
    validate_display_text(text)
    if not isinstance(text, str):
        return
    if any(unicodedata.category(char) in _NOT_IN_NAMES for char in text):
        raise ValidationError(CONTROL_IN_NAME, code="control_character")
    if text.strip() and markup_only(text):
        raise ValidationError(MARKUP_ONLY_NAME, code="markup_only")
