"""Which topics a review speaks of, by the phrase lists (pure: no Django, no I/O).

INTERFACE FIXED BY THE LEAD; the tagging helper writes the bodies (and may add helpers).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ListedPhrase:
    """One phrase of the lists, as the tagger needs it."""

    phrase_id: int
    topic: str  # a topics.models.TopicKey value
    language: str  # "en" or "fr"
    stems: str  # phrase_stems(phrase, language)


@dataclass(frozen=True)
class TopicMatch:
    topic: str
    phrase_id: int | None  # None for "other"
    matched: str  # the review's own words that matched ("arrived late")
    negated: bool  # a negation came just before ("not comfortable")


def phrase_stems(phrase: str, language: str) -> str:
    """The phrase's words' stems joined by one space ("Arrived LATE" -> "arriv late"); "" when
    the phrase has no word. Stored in TopicPhrase.stems: the form matching compares."""
    raise NotImplementedError


def review_topics(text: str, language: str, phrases: Iterable[ListedPhrase]) -> list[TopicMatch]:
    """The topics ``text`` (title and body) speaks of, one match per topic (its first
    phrase found), in TopicKey order; [TopicMatch("other", None, "", False)] when none."""
    raise NotImplementedError
