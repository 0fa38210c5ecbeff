"""The demo's composed reviews never contradict their stars (issue 18): a 1 or 2 star review
says nothing positive ("It stopped working after 2 weeks. Works well" was written), a 5 star
review nothing negative, and a 3 star review that weighs both turns with a contrast word.

Checked twice, over thousands of generated reviews of every product, in both languages:
by the polarity each fragment carries (devtools.demo.composing), and, independently of
those labels, by words that only praise or only complain, so that a fragment filed in the
wrong band is caught too."""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator

import pytest

from devtools.demo import composing, texts
from devtools.demo.catalogue import PRODUCTS
from devtools.demo.composing import ALLOWED, CONTRAST, Polarity

PHASES = ("", "issue", "fixed")

# Words that only praise, or only complain, whatever the product.
PRAISE = {
    "en": r"works well|works perfectly|highly recommended|i'd buy it again|very happy|no regrets|"
    r"five stars|great value|excellent|brilliant|really impressed|top product|would buy again|"
    r"best purchase|beyond my expectations|well made|like new|does exactly what",
    "fr": r"fonctionne bien|je recommande vivement|je rachèterais|achat très satisfaisant|aucun regret|"
    r"cinq étoiles|excellent|vraiment bluffant|mon meilleur achat|au-delà de mes attentes|"
    r"comme au premier jour|comme neuf|fait exactement ce qui",
}
COMPLAINT = {
    "en": r"stopped working|disappoint|\bavoid\b|refund|returned|save your money|don't recommend|"
    r"not recommend|poor quality|not worth it|let down|gave up|cracked|snapped|came loose|"
    r"expected much better|going back to my old brand",
    "fr": r"ne fonctionne plus|déception|décevant|déçu|à éviter|rembours|ne recommande pas|"
    r"qualité médiocre|ne vaut pas le prix|passez votre chemin|hors d'usage|s'est fendue|"
    r"attendais à beaucoup mieux|ancienne marque",
}


def generated(language: str) -> Iterator[tuple[int, str, composing.Phrase, list[composing.Phrase], str]]:
    """(rating, phase, title, phrases, written text) of 3,600 reviews per language."""
    for spec in PRODUCTS:
        for rating in (1, 2, 3, 4, 5):
            for phase in PHASES:
                for seed in range(4):
                    rng = random.Random(f"{spec.sku}-{language}-{rating}-{phase}-{seed}")
                    title, phrases = composing.compose_review_phrases(
                        rng, spec=spec, language=language, rating=rating, phase=phase, age_days=400
                    )
                    rng = random.Random(f"{spec.sku}-{language}-{rating}-{phase}-{seed}")
                    written_title, body = composing.compose_review(
                        rng, spec=spec, language=language, rating=rating, phase=phase, age_days=400
                    )
                    yield rating, phase, title, phrases, f"{written_title}\n{body}"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_phrase_of_a_review_agrees_with_its_stars(language: str) -> None:
    count = 0
    for rating, _phase, title, phrases, text in generated(language):
        count += 1
        wrong = [phrase for phrase in [title, *phrases] if phrase.polarity not in ALLOWED[rating]]
        assert not wrong, f"{rating} stars: {wrong[0]} in {text!r}"
    assert count > 3000


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_praise_in_a_1_or_2_star_review_and_no_complaint_in_a_5_star_one(language: str) -> None:
    praise, complaint = re.compile(PRAISE[language], re.IGNORECASE), re.compile(COMPLAINT[language], re.IGNORECASE)
    seen = {"praise in low": 0, "complaint in high": 0, "low": 0, "high": 0}
    for rating, _phase, _title, _phrases, text in generated(language):
        if rating <= 2:
            seen["low"] += 1
            assert not praise.search(text), f"{rating} stars, yet praise: {text!r}"
        elif rating == 5:
            seen["high"] += 1
            assert not complaint.search(text), f"5 stars, yet a complaint: {text!r}"
    assert seen["low"] > 1000 and seen["high"] > 500


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_3_star_review_that_weighs_both_sides_turns_with_a_contrast_word(language: str) -> None:
    both = 0
    for rating, _phase, _title, phrases, text in generated(language):
        if rating != 3:
            continue
        opinions = [phrase.polarity for phrase in phrases if phrase.polarity in (Polarity.POSITIVE, Polarity.NEGATIVE)]
        turns = sum(1 for before, after in itertools.pairwise(opinions) if before != after)
        if turns:
            both += 1
            assert text.count(f"{CONTRAST[language]} ") >= turns, text
            assert f". {CONTRAST[language]} " in text, text  # a sentence of its own, after the first
    assert both > 100  # the case is written, not just allowed


def test_the_wording_of_the_issue_is_impossible_now() -> None:
    """The issue's example: a complaint and praise of the product in one low review."""
    praise = re.compile(PRAISE["en"], re.IGNORECASE)
    for rating, _phase, _title, _phrases, text in generated("en"):
        if rating <= 2 and "stopped working" in text:
            assert not praise.search(text), text


def test_every_band_of_the_fragments_has_a_polarity() -> None:
    bands = {band for kind in texts.DETAILS.values() for by_band in kind.values() for band in by_band}
    bands |= {band for pools in (texts.GENERIC, texts.CLOSERS, texts.TITLES) for by in pools.values() for band in by}
    assert bands <= set(composing.BAND_POLARITY)
    lists = {name for issue in texts.ISSUES.values() for by in issue.values() for name in by}
    assert lists <= set(composing.ISSUE_POLARITY)
