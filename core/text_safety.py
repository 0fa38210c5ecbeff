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

A name must also be *seen*:

- **Blank characters**: the Hangul fillers (U+3164, U+FFA0, and U+115F/U+1160 outside a
  run of conjoining jamo, where they belong), the blank Braille pattern U+2800 and the null
  notehead U+1D159 are letters or symbols to Unicode but draw nothing: a name of them alone
  shows as nothing, and one padded with them poses as another ("Alex" and "Alex" + U+3164).
  Refused anywhere in a name; a name also needs at least one letter, digit, punctuation
  mark or symbol (a name of spaces and combining marks alone is refused too).
- **Stacked combining marks** ("Zalgo" text, marks piled on a letter until they cover the
  lines above and below): more than 2 marks of the general diacritic blocks (U+0300-U+036F
  and their supplements) on one character, or more than 4 marks of any kind, are refused.
  Vietnamese needs 2 ("ệ"), pointed Hebrew and Tibetan stacks 3 or 4, in their own blocks.
- **Emoji sequences stay**: a zero-width joiner *between two emoji* (a family, "👩‍🚒")
  is part of one visible picture, and so are variation selectors, skin tones and a
  subdivision flag's tag characters (🏴 + tags, "Scotland"); only joiners and tags outside
  such sequences count as invisible.
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


_ZWJ = "\u200d"
_BLACK_FLAG = "\U0001f3f4"
_TAG_END = "\U000e007f"
# The subdivision flags Unicode recommends for general interchange (RGI, UTS #51), the only
# ones platforms draw as flags: any other tag run after the black flag draws a black flag and
# hides its tags, a way to pad a name invisibly (found by review).
_DRAWN_FLAG_TAGS = frozenset({"gbeng", "gbsct", "gbwls"})
# Shown after an emoji as part of it: text/emoji presentation selectors, skin tones.
_EMOJI_MODIFIERS = frozenset("\ufe0e\ufe0f\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")
# Symbols (So) that draw nothing: never an emoji.
_BLANK_SYMBOLS = frozenset("\u2800\U0001d159")


def _is_emoji(char: str) -> bool:
    # Every emoji a ZWJ sequence joins is a symbol (So) to unicodedata, which has no
    # Emoji property; a joiner between two symbols is visible as one picture at worst.
    return unicodedata.category(char) == "So" and char not in _BLANK_SYMBOLS


def without_emoji_sequences(text: str) -> str:
    """``text`` less the joiners and tag characters that belong to emoji sequences (a ZWJ
    between two emoji, after the first one's selector or skin tone; the tags of a flag
    after U+1F3F4, up to their U+E007F, for the flags platforms draw): what is left is
    checked for invisible characters."""
    kept: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == _ZWJ and index + 1 < len(text) and _is_emoji(text[index + 1]):
            before = index - 1
            while before >= 0 and text[before] in _EMOJI_MODIFIERS:
                before -= 1
            if before >= 0 and _is_emoji(text[before]):
                index += 1
                continue
        if char == _BLACK_FLAG:
            end = index + 1
            while end < len(text) and "\U000e0020" <= text[end] <= "\U000e007e":
                end += 1
            tags = "".join(chr(ord(tag) - 0xE0000) for tag in text[index + 1 : end])
            if tags in _DRAWN_FLAG_TAGS and end < len(text) and text[end] == _TAG_END:
                kept.append(char)
                index = end + 1
                continue
        kept.append(char)
        index += 1
    return "".join(kept)


def validate_display_text(text: str) -> None:
    """Review titles and display names: direction controls paired, no zero-width character
    (but for the joiners inside emoji sequences)."""
    validate_written_text(text)
    if (
        isinstance(text, str)
        and not ZERO_WIDTH.isdisjoint(text)
        and not ZERO_WIDTH.isdisjoint(without_emoji_sequences(text))
    ):
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
BLANK_IN_NAME = _(
    "A name is visible text: remove the blank character (such as a Hangul filler or a blank "
    "Braille pattern), which shows as nothing."
)
STACKED_MARKS_IN_NAME = _(
    "A name is readable text: too many accents or marks are stacked on one letter. Keep at most two on each."
)
MARKUP_ONLY_NAME = _("A name is plain text: this one is only HTML markup, which would be shown as typed. Enter a name.")


def markup_only(text: str) -> bool:
    """True when nothing readable is left once tags (and script or style elements, with
    their content) are removed and entities decoded: "<b></b>", "<br/>", "&nbsp;"."""
    if "<" not in text and "&" not in text:
        return False
    left = html.unescape(strip_tags(_CODE_ELEMENT.sub("", text)))
    return not left.strip()


# Letters with no glyph: the Hangul fillers (the conjoining two only outside jamo runs).
_HANGUL_FILLERS = frozenset("\u3164\uffa0")
_CONJOINING_FILLERS = frozenset("\u115f\u1160")
_VARIATION_SELECTORS = frozenset(chr(code) for code in (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)))
_DIACRITIC_BLOCKS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
MAX_DIACRITICS_ON_ONE_CHARACTER = 2
MAX_MARKS_ON_ONE_CHARACTER = 4


def _conjoining_jamo(char: str) -> bool:
    code = ord(char)
    return 0x1100 <= code <= 0x11FF or 0xA960 <= code <= 0xA97F or 0xD7B0 <= code <= 0xD7FF


_MONGOLIAN_SELECTORS = frozenset("\u180b\u180c\u180d\u180f")
_GRAPHEME_JOINER = "\u034f"
_KEYCAP_BASES = frozenset("0123456789#*")


def _selects_nothing(text: str, index: int) -> bool:
    """A variation selector, a Mongolian one or the grapheme joiner at ``index`` that selects
    or joins nothing, so draws nothing: "Alex" + U+FE0F reads "Alex" (found by review). A
    selector follows an emoji or symbol (So) or a keycap's digit, once; a
    Mongolian one, a Mongolian letter; the joiner stands between two letters or marks."""
    char, before = text[index], text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if char in _VARIATION_SELECTORS:
        return not before or not (unicodedata.category(before) == "So" or before in _KEYCAP_BASES)
    if char in _MONGOLIAN_SELECTORS:
        return not before or not 0x1820 <= ord(before) <= 0x18AF
    if char == _GRAPHEME_JOINER:
        return not (
            before and after and unicodedata.category(before)[0] in "LM" and unicodedata.category(after)[0] in "LM"
        )
    return False


def has_blank_character(text: str) -> bool:
    """True when ``text`` holds a character that draws nothing though Unicode calls it a
    letter or symbol (see the module's docstring), a selector or joiner that selects or
    joins nothing, or has nothing visible at all."""
    for index, char in enumerate(text):
        if char in _HANGUL_FILLERS or char in _BLANK_SYMBOLS or _selects_nothing(text, index):
            return True
        if char in _CONJOINING_FILLERS:
            neighbours = text[max(index - 1, 0) : index] + text[index + 1 : index + 2]
            if not any(_conjoining_jamo(other) and other not in _CONJOINING_FILLERS for other in neighbours):
                return True
    return not any(unicodedata.category(char)[0] in "LNPS" for char in text)


def _is_diacritic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _DIACRITIC_BLOCKS)


def has_stacked_marks(text: str) -> bool:
    """True when one character carries more combining marks than any writing needs (decomposed,
    so "ệ" counts its 2): "Zalgo" text. Variation selectors are not counted."""
    marks = diacritics = 0
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char) in ("Mn", "Me") and char not in _VARIATION_SELECTORS:
            marks += 1
            diacritics += _is_diacritic(char)
            if marks > MAX_MARKS_ON_ONE_CHARACTER or diacritics > MAX_DIACRITICS_ON_ONE_CHARACTER:
                return True
        else:
            marks = diacritics = 0
    return False


def validate_display_name(text: str) -> None:
    """Account display names and guests' names: the display-text rule, no control or format
    character (but for emoji sequences' joiners and tags), nothing blank, no stacked marks,
    and not markup alone (see the module's docstring)."""
    validate_display_text(text)
    if not isinstance(text, str):
        return
    if any(unicodedata.category(char) in _NOT_IN_NAMES for char in without_emoji_sequences(text)):
        raise ValidationError(CONTROL_IN_NAME, code="control_character")
    if text.strip() and has_blank_character(text):
        raise ValidationError(BLANK_IN_NAME, code="blank_character")
    if has_stacked_marks(text):
        raise ValidationError(STACKED_MARKS_IN_NAME, code="stacked_marks")
    if text.strip() and markup_only(text):
        raise ValidationError(MARKUP_ONLY_NAME, code="markup_only")
