"""Search within a product's reviews: the query rule and the highlighting, pure (no database).

The query the shopper types (`?q=`) is cleaned by `search_terms`; the database work
(PostgreSQL full-text search or the SQLite fallback) is `reviews.selectors.review_list_searched`;
`text_marked` marks the words that matched in a review's title and text, escaping
everything else, so user text never becomes markup (docs/shopper.md, "Searching the reviews").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class SearchMarking:
    """What to mark in the reviews a search found: the query's stems per configuration, as
    the database computed them (STEM), or the query's terms (SUBSTRING)."""

    mode: MarkMode
    terms: tuple[str, ...]
    stems_by_config: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def words_for(self, language: str) -> Collection[str]:
        if self.mode is MarkMode.SUBSTRING:
            return self.terms
        return self.stems_by_config.get(search_config(language), frozenset())

    def marked(self, text: str, *, language: str) -> SafeString:
        return text_marked(text, self.words_for(language), language=language, mode=self.mode)


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


def _spans_by_stem(text: str, stems: Collection[str], language: str) -> list[tuple[int, int]]:
    stemmer = _stemmer(search_config(language))
    return [
        match.span()
        for match in _WORD.finditer(text)
        if match.group().lower() in stems or stemmer.stemWord(match.group().lower()) in stems
    ]


def _spans_by_substring(text: str, terms: Collection[str]) -> list[tuple[int, int]]:
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


def text_marked(text: str, words: Collection[str], *, language: str, mode: MarkMode) -> SafeString:
    """The text, HTML-escaped, with what matched in <mark> elements, the only markup in the
    result. STEM: `words` are stems (the database's lexemes for the review's configuration),
    and each word of the text with one of them as its stem is marked.
    SUBSTRING: `words` are the query's terms, and each of their occurrences is marked."""
    if not words or not text:
        return escape(text)
    if mode is MarkMode.STEM:
        spans = _spans_by_stem(text, words, language)
    else:
        # str.lower keeps the length of most text; where it would not (a few rare letters),
        # offsets would drift, so such a text is shown unmarked rather than marked wrongly.
        if len(text.lower()) != len(text):
            return escape(text)
        spans = _spans_by_substring(text, words)
    parts: list[str] = []
    position = 0
    for start, end in _merged(spans):
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703  # every piece of text is escaped above
