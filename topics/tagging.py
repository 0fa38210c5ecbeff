"""Which topics a review speaks of, by the phrase lists (pure: no Django, no I/O).

How a review is read
--------------------
1. Its title and body are cut into sentences of lower-cased words by core.phrases.tokenize
   (the complaint phrases read text the same way). A hyphenated word counts as its parts
   ("set-up" is "set up"); in French an elided article or pronoun is taken off its word
   before stemming ("l'eau" is "eau", "d'emploi" is "emploi"), and an elided "n'" counts as
   a negation.
2. Each word is reduced to its Snowball stem in the review's language ("delivered" and
   "delivering" are "deliv", "livré" and "livrée" are "livr"); a review in another language
   is read as English. A phrase of the lists is stored as its stems (``phrase_stems``).
3. A phrase matches where its stems occur one after the other inside one sentence. A match
   lying inside a longer match of another phrase gives way to it: "rapport qualité prix"
   speaks of the price, not of the quality.
4. Each topic keeps its first match in the text (ties: the longer phrase, then the lower
   id), so a review is tagged at most once per topic; topics come in TopicKey order, and a
   review that matched nothing is "other".
5. A match is ``negated`` when a negation word (core.phrases.NEGATIONS, and French "ne" and
   "n'") comes within NEGATION_WINDOW words before it in the same sentence, or inside it (a
   listed "jamais arrivé"): "not
   comfortable", "n'est pas confortable", "never arrived". The tag stays: the review speaks
   of the topic, to say it lacks it; the desk shows the negation.

Deterministic: the same text and lists always give the same matches.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from core.phrases import NEGATIONS, tokenize

__all__ = [
    "MATCHED_MAX_LENGTH",
    "NEGATION_WINDOW",
    "TOPIC_ORDER",
    "ListedPhrase",
    "PhraseIndex",
    "TopicMatch",
    "phrase_index",
    "phrase_sentences",
    "phrase_stems",
    "reading_language",
    "review_text",
    "review_topics",
    "review_topics_indexed",
]

# topics.models.TopicKey's values in its order (this module imports no Django).
TOPIC_ORDER = ("delivery", "quality", "size", "price", "service", "setup", "other")
OTHER = "other"
# How many words before a match a negation still bears on it ("not very comfortable").
NEGATION_WINDOW = 3
# ReviewTopic.matched's length.
MATCHED_MAX_LENGTH = 200

_SNOWBALL_NAMES = {"en": "english", "fr": "french"}
# French elisions: the article or pronoun is cut off its word before stemming.
_FRENCH_ELISIONS = ("jusqu'", "lorsqu'", "puisqu'", "quoiqu'", "qu'", "l'", "d'", "j'", "m'", "t'", "s'", "c'", "n'")
_FRENCH_NEGATION_ELISION = "n'"
_EXTRA_NEGATIONS = {"en": frozenset(), "fr": frozenset({"ne"})}


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


@dataclass(frozen=True)
class _Word:
    text: str  # as written, lower-cased ("l'eau")
    stem: str  # "eau"
    negation: bool


_local = threading.local()  # a Snowball stemmer keeps state: one per thread and language


def reading_language(language: str) -> str:
    """The language a review is read in: French for "fr" (and "fr-CA"), English otherwise."""
    code = (language or "").lower().split("-")[0]
    return code if code in _SNOWBALL_NAMES else "en"


@lru_cache(maxsize=65536)
def _stem(language: str, word: str) -> str:
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(_SNOWBALL_NAMES[language])
    return str(stemmers[language].stemWord(word))


def _elision_split(word: str) -> tuple[str, bool]:
    """A French word without its elided article or pronoun, and whether that was "n'"."""
    for prefix in _FRENCH_ELISIONS:
        if word.startswith(prefix) and len(word) > len(prefix):
            return word[len(prefix) :], prefix == _FRENCH_NEGATION_ELISION
    return word, False


def _words(sentence: Sequence[str], language: str) -> list[_Word]:
    negations = NEGATIONS[language] | _EXTRA_NEGATIONS[language]
    words = []
    for token in sentence:
        for part in token.split("-"):
            if not part:
                continue
            bare, elided_negation = _elision_split(part) if language == "fr" else (part, False)
            words.append(_Word(text=part, stem=_stem(language, bare), negation=elided_negation or part in negations))
    return words


def _sentences(text: str, language: str) -> list[list[_Word]]:
    return [words for sentence in tokenize(text) if (words := _words(sentence, language))]


def phrase_sentences(phrase: str) -> int:
    """How many sentences ``phrase`` reads as: more than one means punctuation or a number
    cuts it, and it could never match inside one sentence of a review."""
    return len(tokenize(phrase))


def phrase_stems(phrase: str, language: str) -> str:
    """The phrase's words' stems joined by one space ("Arrived LATE" -> "arriv late"); "" when
    the phrase has no word. Stored in TopicPhrase.stems: the form matching compares."""
    code = reading_language(language)
    return " ".join(word.stem for words in _sentences(phrase, code) for word in words)


def review_text(title: str, body: str) -> str:
    """A review's title and body as one text, the title its own sentence."""
    return f"{title}\n{body}" if title else body


@dataclass(frozen=True)
class PhraseIndex:
    """One language's phrases, by their first stem (built once for many reviews)."""

    language: str
    by_first_stem: dict[str, tuple[tuple[tuple[str, ...], ListedPhrase], ...]]


def phrase_index(phrases: Iterable[ListedPhrase], language: str) -> PhraseIndex:
    """The phrases of ``language`` (its reading language), ready for review_topics_indexed."""
    code = reading_language(language)
    grouped: dict[str, list[tuple[tuple[str, ...], ListedPhrase]]] = {}
    for phrase in phrases:
        stems = tuple(phrase.stems.split())
        if phrase.language != code or not stems or phrase.topic == OTHER:
            continue
        grouped.setdefault(stems[0], []).append((stems, phrase))
    # Longest first, then by id: the order ties are settled in (step 4).
    return PhraseIndex(
        language=code,
        by_first_stem={
            first: tuple(sorted(found, key=lambda item: (-len(item[0]), item[1].phrase_id)))
            for first, found in grouped.items()
        },
    )


@dataclass(frozen=True)
class _Found:
    sentence: int
    start: int
    end: int  # exclusive
    phrase: ListedPhrase

    @property
    def size(self) -> int:
        return self.end - self.start


def _found(sentences: Sequence[Sequence[_Word]], index: PhraseIndex) -> list[_Found]:
    """Every place a phrase matches (step 3), in text order."""
    found = []
    for number, words in enumerate(sentences):
        stems = [word.stem for word in words]
        for start, stem in enumerate(stems):
            for phrase_stems_, phrase in index.by_first_stem.get(stem, ()):
                end = start + len(phrase_stems_)
                if tuple(stems[start:end]) == phrase_stems_:
                    found.append(_Found(number, start, end, phrase))
    return found


def _hidden(found: Sequence[_Found]) -> set[int]:
    """The positions in ``found`` of the matches lying inside a longer match of another
    topic in the same sentence (step 3). Linear in the matches: a match can only lie inside
    one that starts at most ``longest`` words before it, so each looks back that far only
    (a 50,000-character review of one sentence is read in milliseconds, not seconds)."""
    starting: dict[tuple[int, int], list[_Found]] = {}
    for item in found:
        starting.setdefault((item.sentence, item.start), []).append(item)
    longest = max((item.size for item in found), default=0)
    hidden = set()
    for position, item in enumerate(found):
        for start in range(max(0, item.start - longest + 1), item.start + 1):
            if any(
                other.size > item.size and other.phrase.topic != item.phrase.topic and item.end <= other.end
                for other in starting.get((item.sentence, start), ())
            ):
                hidden.add(position)
                break
    return hidden


def _negated(words: Sequence[_Word], start: int, end: int) -> bool:
    # Within the match too: "n'arrive" (on the word itself), "jamais arrivé" (a listed phrase
    # that says the negation: "n'est jamais arrivé", where "est arrivé" cannot match).
    return any(word.negation for word in words[max(0, start - NEGATION_WINDOW) : end])


def review_topics_indexed(text: str, index: PhraseIndex) -> list[TopicMatch]:
    """review_topics with the phrases already indexed (for tagging many reviews)."""
    sentences = _sentences(text, index.language)
    found = _found(sentences, index)
    hidden = _hidden(found)
    first: dict[str, _Found] = {}
    for position, item in enumerate(found):  # text order; at one place the longer phrase, then the lower id
        if item.phrase.topic in first or position in hidden:
            continue
        first[item.phrase.topic] = item
    matches = []
    for topic in TOPIC_ORDER:
        if (chosen := first.get(topic)) is None:
            continue
        words = sentences[chosen.sentence]
        matched = " ".join(word.text for word in words[chosen.start : chosen.end])[:MATCHED_MAX_LENGTH]
        matches.append(TopicMatch(topic, chosen.phrase.phrase_id, matched, _negated(words, chosen.start, chosen.end)))
    return matches or [TopicMatch(OTHER, None, "", False)]


def review_topics(text: str, language: str, phrases: Iterable[ListedPhrase]) -> list[TopicMatch]:
    """The topics ``text`` (title and body) speaks of, one match per topic (its first
    phrase found), in TopicKey order; [TopicMatch("other", None, "", False)] when none."""
    return review_topics_indexed(text, phrase_index(phrases, language))
