"""Search within a product's reviews: the query rule and the highlighting, pure (no database).

The query the shopper types (`?q=`) is cleaned by `search_terms`; the database work
(PostgreSQL full-text search or the SQLite fallback) is `reviews.selectors.review_list_searched`;
`text_marked` marks the words that matched in a review's title and text, escaping
everything else, so user text never becomes markup (docs/shopper.md, "Searching the reviews").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from enum import Enum
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Long enough for a sentence, short enough that a crafted URL cannot make a costly query.
SEARCH_MAX_LENGTH = 100
# A word, as PostgreSQL's parser and the SQLite fallback see one: letters and digits.
_WORD = re.compile(r"[^\W_]+")

# The text search configuration of each review language (PostgreSQL's names). One
# definition: the GIN index of migration 0011 spells the same mapping in SQL, and a
# PostgreSQL test proves the index serves the query (tests/integration/reviews/test_review_search_postgres.py).
SEARCH_CONFIGS: dict[str, str] = {"en": "english", "fr": "french"}
DEFAULT_SEARCH_CONFIG = "english"


class MarkMode(Enum):
    """How the words to mark are found: as PostgreSQL found them (same stem), or as the
    SQLite fallback did (the term inside the text, whatever surrounds it)."""

    STEM = "stem"
    SUBSTRING = "substring"


def search_has_word(query: str) -> bool:
    """Whether a query has something to search for: at least one letter or digit."""
    return _WORD.search(query) is not None


def search_terms(query: str) -> tuple[str, ...]:
    """The query's words, lower-cased, each once, in their order ("Tent, tent!" -> ("tent",))."""
    return tuple(dict.fromkeys(word.lower() for word in _WORD.findall(query)))


@lru_cache(maxsize=8)
def _stemmer(config: str) -> snowballstemmer.stemmer:
    # PostgreSQL's english and french configurations stem with these Snowball algorithms.
    return snowballstemmer.stemmer(config)


def search_config(language: str) -> str:
    return SEARCH_CONFIGS.get(language, DEFAULT_SEARCH_CONFIG)


def _spans_by_stem(text: str, terms: Sequence[str], language: str) -> list[tuple[int, int]]:
    stemmer = _stemmer(search_config(language))
    wanted = {stemmer.stemWord(term) for term in terms} | set(terms)
    return [
        match.span()
        for match in _WORD.finditer(text)
        if match.group().lower() in wanted or stemmer.stemWord(match.group().lower()) in wanted
    ]


def _spans_by_substring(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    folded = text.lower()
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = folded.find(term, start + len(term))
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def text_marked(text: str, terms: Sequence[str], *, language: str, mode: MarkMode) -> SafeString:
    """The text, HTML-escaped, with each matching word (or, in SUBSTRING mode, each
    occurrence of a term) in a <mark> element: the only markup in the result."""
    if not terms or not text:
        return escape(text)
    if mode is MarkMode.STEM:
        spans = _spans_by_stem(text, terms, language)
    else:
        # str.lower keeps the length of most text; where it would not (a few rare letters),
        # offsets would drift, so such a text is shown unmarked rather than marked wrongly.
        if len(text.lower()) != len(text):
            return escape(text)
        spans = _spans_by_substring(text, terms)
    parts: list[str] = []
    position = 0
    for start, end in _merged(spans):
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703  # every piece of text is escaped above
