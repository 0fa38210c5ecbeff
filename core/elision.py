"""French elision before a word the sentence does not know in advance: "Photos d’Alex P.",
"connecté en tant qu’Élodie", "Réponse d’Ikea".

A French message says "de %(name)s", "que %(name)s": the translator cannot write "d’"
because the name is only known when the page is shown. :func:`elide_before` rewrites the
finished text: each eliding word (de, que, le, la, je, me, te, se, ne, jusque, lorsque,
puisque) standing right before one of the interpolated words takes its elided form, when
that word begins with a vowel sound as :func:`begins_with_vowel_sound` decides. Only
French text is touched (English has no such words); the words are written with the
typographic apostrophe (’), as the rest of the French catalogue.

The rule, deliberately conservative (a missed elision, "de Hélène", is an accepted
style before a proper name; a wrong one, "d’Hoover", is a mistake):

- a vowel, accented or not, or the ligatures Æ/Œ: elided ("d’Alex", "d’Élodie", "d’Œdipe");
- **h: never elided**. Spelling does not tell a mute h (Hélène) from an aspirated one
  (Hollande, the brands Hoover or Huawei), and names here are people's and brands';
- y: elided only before a consonant, where it sounds as a vowel ("d’Yves"), not before a
  vowel, where it is a consonant ("de Yann", "de Yasmine");
- anything else (a consonant, a digit, a quotation mark, another script): unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.utils import translation

__all__ = ["ELIDED", "begins_with_vowel_sound", "elide", "elide_before"]

APOSTROPHE = "\u2019"
# The words French writes elided before a vowel sound, and their elided forms.
ELIDED = {
    word: word[:-1] + APOSTROPHE
    for word in ("de", "que", "le", "la", "je", "me", "te", "se", "ne", "jusque", "lorsque", "puisque")
}
_VOWELS = frozenset("aeiou")
_LIGATURES = frozenset("æœ")
_ELIDING_WORD = "|".join(sorted(ELIDED, key=len, reverse=True))


def _base_letter(char: str) -> str:
    """``char`` lower-cased without its accents: "É" -> "e"."""
    return unicodedata.normalize("NFD", char.lower())[:1]


def begins_with_vowel_sound(word: str) -> bool:
    """True when French elides before ``word`` by the rule of the module's docstring."""
    if not word:
        return False
    first = _base_letter(word[0])
    if first in _VOWELS or word[0].lower() in _LIGATURES:
        return True
    if first == "y" and len(word) > 1:
        second = _base_letter(word[1])
        return second.isalpha() and second.isascii() and second not in _VOWELS and second != "y"
    return False


def elide(word: str, following: str) -> str:
    """``word`` as written before ``following``: "de", "Alex" -> "d’"; "de", "Marc" -> "de "
    (with its space). Keeps the capital: "De" -> "D’"."""
    if word.lower() not in ELIDED or not begins_with_vowel_sound(following):
        return f"{word} "
    return _elided(word)


def _elided(word: str) -> str:
    elided = ELIDED[word.lower()]
    return elided.capitalize() if word[:1].isupper() else elided


def elide_before(text: str, words: Iterable[object], *, language: str | None = None) -> str:
    """``text`` with each eliding word that stands right before one of ``words`` (the values
    interpolated into it, written as they appear in ``text``: escaped, in HTML) elided:
    "Photos de Alex P." -> "Photos d’Alex P.". Unchanged unless ``language`` (by default
    the active one) is French."""
    language = language if language is not None else (translation.get_language() or "")
    if not language.lower().startswith("fr"):
        return text
    for value in {str(word) for word in words}:
        # A name may end a sentence without its final full stop (core.names): its start is
        # what is looked for, and what decides.
        if not begins_with_vowel_sound(value):
            continue
        # The eliding word in any case ("De", "de"); the value exactly as written and whole
        # (not the start of a longer word): "me everything" must not elide before a name "Ev".
        pattern = re.compile(
            rf"(?<![\w{APOSTROPHE}'-])((?i:{_ELIDING_WORD}))[ \u00a0](?={re.escape(value.rstrip('.'))}(?!\w))"
        )
        text = pattern.sub(lambda match: _elided(match[1]), text)
    return text
