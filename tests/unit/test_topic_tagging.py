"""topics.tagging: which topics a review speaks of, by the default lists (no database)."""

from __future__ import annotations

import sys
from collections.abc import Callable

import pytest

from topics.default_phrases import DEFAULT_PHRASES
from topics.tagging import ListedPhrase, TopicMatch, phrase_sentences, phrase_stems, review_text, review_topics

PHRASES = [
    ListedPhrase(phrase_id=number, topic=topic, language=language, stems=phrase_stems(phrase, language))
    for number, (topic, language, phrase) in enumerate(
        (
            (topic, language, phrase)
            for topic, languages in DEFAULT_PHRASES.items()
            for language, phrases in languages.items()
            for phrase in phrases
        ),
        start=1,
    )
]
PHRASE_TEXT = {
    item.phrase_id: phrase
    for item, phrase in zip(
        PHRASES,
        [phrase for languages in DEFAULT_PHRASES.values() for phrases in languages.values() for phrase in phrases],
        strict=True,
    )
}


def tags(text: str, language: str) -> list[tuple[str, str, str, bool]]:
    """(topic, listed phrase, words matched, negated) of each match."""
    return [
        (m.topic, PHRASE_TEXT[m.phrase_id] if m.phrase_id else "", m.matched, m.negated)
        for m in review_topics(text, language, PHRASES)
    ]


@pytest.mark.parametrize(
    ("phrase", "language", "stems"),
    [
        ("Arrived LATE", "en", "arriv late"),
        ("delivered", "en", "deliv"),
        ("livrée", "fr", "livr"),
        ("livré", "fr", "livr"),
        ("mode d'emploi", "fr", "mod emploi"),  # the elided article is not a word of the phrase
        ("mode d’emploi", "fr", "mod emploi"),  # typographic apostrophe
        ("set-up", "en", "set up"),
        ("  Customer   service ", "en", "custom servic"),
        ("3 !!", "en", ""),
        ("", "fr", ""),
    ],
)
def test_phrase_stems(phrase: str, language: str, stems: str) -> None:
    assert phrase_stems(phrase, language) == stems


def test_a_phrase_cut_by_punctuation_reads_as_two_sentences() -> None:
    assert phrase_sentences("late delivery") == 1
    assert phrase_sentences("late, broken") == 2


def test_default_lists_have_one_meaning_per_stem_and_read_as_one_sentence() -> None:
    for language in ("en", "fr"):
        stems = [p.stems for p in PHRASES if p.language == language]
        assert len(stems) == len(set(stems)), language
        assert all(stems)
    assert all(phrase_sentences(PHRASE_TEXT[p.phrase_id]) == 1 for p in PHRASES)
    assert "other" not in DEFAULT_PHRASES


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # English: stemming finds the inflections of the listed form.
        ("Delivery took two weeks", "en", [("delivery", "delivery", "delivery", False)]),
        ("It was delivered on a Sunday", "en", [("delivery", "delivered", "delivered", False)]),
        ("They deliver fast", "en", [("delivery", "delivered", "deliver", False)]),
        (
            "Zip broke after a week. Expensive for what it is",
            "en",
            [("quality", "broke", "broke", False), ("price", "expensive", "expensive", False)],
        ),
        ("Runs small, order a size up", "en", [("size", "runs small", "runs small", False)]),
        ("Customer service replied within a day", "en", [("service", "customer service", "customer service", False)]),
        ("The set-up took minutes", "en", [("setup", "set up", "set up", False)]),
        # French: stemming, elisions.
        ("Livrée en deux jours", "fr", [("delivery", "livré", "livrée", False)]),
        ("La livraison était rapide", "fr", [("delivery", "livraison", "livraison", False)]),
        ("Le mode d'emploi est illisible", "fr", [("setup", "mode d'emploi", "mode d'emploi", False)]),
        ("Le SAV a répondu vite", "fr", [("service", "SAV", "sav", False)]),
        ("La tente est trop petite pour deux", "fr", [("size", "trop petite", "trop petite", False)]),
        # A phrase inside a longer one of another topic gives way: value, not quality.
        ("Très bon rapport qualité-prix", "fr", [("price", "rapport qualité", "rapport qualité", False)]),
        (
            "Great value for money, nice quality",
            "en",
            [
                ("quality", "quality", "quality", False),
                ("price", "value for money", "value for money", False),
            ],
        ),
        # Nothing listed: "other".
        ("Lovely colour, my daughter adores it", "en", [("other", "", "", False)]),
        ("Couleur magnifique", "fr", [("other", "", "", False)]),
        ("", "en", [("other", "", "", False)]),
    ],
)
def test_topics_found(text: str, language: str, expected: list[tuple[str, str, str, bool]]) -> None:
    assert tags(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Not comfortable at all", "en", [("size", "comfortable", "comfortable", True)]),
        ("It is not very comfortable", "en", [("size", "comfortable", "comfortable", True)]),
        # Still delivery: the review speaks of it, to say it lacks it.
        ("It never arrived", "en", [("delivery", "arrived", "arrived", True)]),
        ("Doesn't fit", "en", [("size", "fit", "fit", True)]),
        ("Pas confortable du tout", "fr", [("size", "confortable", "confortable", True)]),
        ("Le sac n'est pas confortable", "fr", [("size", "confortable", "confortable", True)]),
        ("Il ne fuit jamais", "fr", [("quality", "fuite", "fuit", True)]),
        ("Le colis n'est jamais arrivé", "fr", [("delivery", "colis", "colis", False)]),
        ("Jamais reçu, le transporteur n'arrive pas", "fr", [("delivery", "transporteur", "transporteur", False)]),
        ("Il n'est jamais arrivé", "fr", [("delivery", "jamais arrivé", "jamais arrivé", True)]),
        ("Il est toujours pas arrivé", "fr", [("delivery", "toujours pas arrivé", "toujours pas arrivé", True)]),
        (
            "Il n'est pas encore arrivé",
            "fr",
            [("other", "", "", False)],
        ),  # not listed: "pas arrivé" is also "did not manage to"
        # Typed without the apostrophe, as reviews often are.
        ("It didnt fit at all", "en", [("size", "fit", "fit", True)]),
        ("Wont fit in the boot", "en", [("size", "fit", "fit", True)]),
        # Beyond NEGATION_WINDOW words, or in another sentence, a negation bears on nothing.
        ("No complaint about the courier", "en", [("delivery", "courier", "courier", False)]),
        ("Not bad. Comfortable enough", "en", [("size", "comfortable", "comfortable", False)]),
        ("Pas mal. Très confortable", "fr", [("size", "confortable", "confortable", False)]),
    ],
)
def test_negations(text: str, language: str, expected: list[tuple[str, str, str, bool]]) -> None:
    assert tags(text, language) == expected


def test_a_phrase_never_spans_two_sentences() -> None:
    assert tags("I like the customer. Service was rude", "en") == [("other", "", "", False)]
    assert tags("I like the customer service", "en") == [("service", "customer service", "customer service", False)]
    # The title is a sentence of its own.
    assert tags(review_text("Value for", "money well spent"), "en") == [("other", "", "", False)]


def test_one_match_per_topic_the_first_in_the_text_and_topics_in_their_order() -> None:
    text = "Setup was easy. Arrived late, the parcel was torn, and the delivery man was rude"
    assert tags(text, "en") == [
        ("delivery", "arrived late", "arrived late", False),
        ("quality", "torn", "torn", False),
        ("setup", "setup", "setup", False),
    ]


def test_language_chooses_the_lists_and_other_languages_read_as_english() -> None:
    assert tags("Livraison rapide", "en") == [("other", "", "", False)]
    assert tags("Fast delivery", "fr") == [("other", "", "", False)]
    assert tags("Fast delivery", "de") == [("delivery", "delivery", "delivery", False)]
    assert tags("Livraison rapide", "fr-CA") == [("delivery", "livraison", "livraison", False)]


def test_title_and_body_are_both_read() -> None:
    assert tags(review_text("Broken zip", "Arrived on time"), "en") == [
        ("delivery", "arrived", "arrived", False),
        ("quality", "broken", "broken", False),
    ]


def test_deterministic_whatever_the_order_of_the_lists() -> None:
    text = "Customer service never replied; the instructions were missing and it leaks. Pricey, not worth it."
    first = review_topics(text, "en", PHRASES)
    assert review_topics(text, "en", list(reversed(PHRASES))) == first
    assert first == [
        TopicMatch("quality", first[0].phrase_id, "leaks", False),
        TopicMatch("price", first[1].phrase_id, "worth", True),
        TopicMatch("service", first[2].phrase_id, "customer service", False),
        TopicMatch("setup", first[3].phrase_id, "instructions", False),
    ]
    # At one place, the longer phrase wins over a shorter one of the same topic, then the lower id.
    same_place = [
        ListedPhrase(7, "size", "en", phrase_stems("too small", "en")),
        ListedPhrase(3, "size", "en", phrase_stems("too", "en")),
        ListedPhrase(9, "quality", "en", phrase_stems("small", "en")),
    ]
    assert review_topics("Far too small", "en", same_place) == [TopicMatch("size", 7, "too small", False)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Words that look like a listed phrase's but mean something else find nothing.
        ("Je n'arrive pas à monter la tente seul.", "fr", [("setup", "à monter", "à monter", True)]),
        ("Parfait pour notre expédition en montagne.", "fr", [("other", "", "", False)]),
        ("Le montant est raisonnable.", "fr", [("other", "", "", False)]),
        ("Il faut serrer les vis très fort.", "fr", [("other", "", "", False)]),
        ("J'ai craqué pour la couleur.", "fr", [("other", "", "", False)]),
        ("Lately the zipper keeps sticking.", "en", [("other", "", "", False)]),
        ("The package includes two spare pegs.", "en", [("other", "", "", False)]),
        # What the lists now say instead.
        ("The parcel came late", "en", [("delivery", "parcel", "parcel", False)]),
        ("It came two days late", "en", [("delivery", "days late", "days late", False)]),
        ("Le colis est arrivé en avance", "fr", [("delivery", "colis", "colis", False)]),
        ("Expédié le jour même", "fr", [("delivery", "expédié", "expédié", False)]),
        ("Facile à monter", "fr", [("setup", "à monter", "à monter", False)]),
        ("Ce sac est trop serré aux épaules", "fr", [("size", "trop serré", "trop serré", False)]),
        # Quality as customers say it.
        ("The seam ripped on day two", "en", [("quality", "ripped", "ripped", False)]),
        ("The sole split and the glue is peeling", "en", [("quality", "split", "split", False)]),
        ("The handle snapped", "en", [("quality", "snapped", "snapped", False)]),
        ("The lid cracked in the cold", "en", [("quality", "cracked", "cracked", False)]),
        ("It wore out in a month", "en", [("quality", "wore out", "wore out", False)]),
        ("The straps came apart", "en", [("quality", "came apart", "came apart", False)]),
        ("La semelle s'est décollée", "fr", [("quality", "décollé", "décollée", False)]),
        ("La couture a craqué", "fr", [("quality", "a craqué", "a craqué", False)]),
        ("Tissu usé après un mois", "fr", [("quality", "usé", "usé", False)]),
    ],
)
def test_the_default_lists_on_realistic_reviews(
    text: str, language: str, expected: list[tuple[str, str, str, bool]]
) -> None:
    assert tags(text, language) == expected


def calls_made(function: Callable[[], object]) -> int:
    """How many Python and built-in function calls ``function()`` makes: a measure of its
    work that, unlike a duration, does not depend on the machine or its load."""
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        function()
    finally:
        sys.setprofile(None)
    return calls


def test_one_long_sentence_is_read_in_linear_time() -> None:
    # A phrase hidden inside a longer one of another topic, again and again: each hidden
    # match looked through the whole sentence (quadratic: seconds for an imported review).
    text = ("rapport qualité " * 3200)[:50_000]  # STORED_BODY_MAX_LENGTH
    assert tags(text, "fr") == [("price", "rapport qualité", "rapport qualité", False)]
    # Twice the text, twice the work (quadratic work would be four times as much).
    half = calls_made(lambda: tags(text[:25_000], "fr"))
    whole = calls_made(lambda: tags(text, "fr"))
    assert whole <= 2.2 * half, (half, whole)
