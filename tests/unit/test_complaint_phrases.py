"""core.phrases without a database: what counts as a complaint phrase, and how it is found."""

from __future__ import annotations

import random

import pytest

from core.phrases import (
    ReviewText,
    complaint_phrases,
    phrase_matches,
    phrase_share,
    tokenize,
)

PRAISE = [
    "Easy to pitch and roomy, we stayed dry all weekend.",
    "Roomy, light and easy to carry. Great for festivals.",
    "Stayed dry in a storm. Easy to pitch in the dark.",
    "Comfortable for two adults and easy to pack away.",
]
COMPLAINTS = [
    "The zip broke after a week.",
    "Sadly the zip broke on the first night.",
    "The zip broke and the seams let water in.",
    "Water came through the seams during the first rain.",
    "The zip broke when I opened the door.",
]


def reviews(texts: list[tuple[int, str]], *, language: str = "en", start: int = 1) -> list[ReviewText]:
    return [ReviewText(start + i, rating, language, text) for i, (rating, text) in enumerate(texts)]


def corpus() -> list[ReviewText]:
    return reviews([(1, text) for text in COMPLAINTS] + [(5, text) for text in PRAISE] * 2)


def test_a_phrase_said_in_low_rated_reviews_only_is_a_complaint_with_its_counts_and_reviews() -> None:
    found = complaint_phrases(corpus())
    zip_broke = next(p for p in found if p.phrase == "zip broke")
    assert (zip_broke.low_count, zip_broke.low_total) == (4, 5)
    assert (zip_broke.high_count, zip_broke.high_total) == (0, 8)
    assert zip_broke.review_ids == (1, 2, 3, 5) == zip_broke.low_review_ids
    assert zip_broke.score > 0
    assert zip_broke.language == "en"


def test_a_phrase_as_common_in_praise_as_in_complaints_is_not_a_complaint() -> None:
    texts = [(1, "The tent leaks at the seams."), (2, "This tent leaks badly."), (1, "Tent leaks, seams open.")] * 3
    texts += [(5, "A great tent for summer."), (4, "The tent is light."), (5, "Tent pitched in minutes.")] * 3
    phrases = [p.phrase for p in complaint_phrases(reviews(texts))]
    assert "tent" not in phrases
    assert "leaks" in phrases or "tent leaks" in phrases


def test_a_phrase_in_fewer_than_three_low_rated_reviews_is_not_reported() -> None:
    texts = [(1, "The zip broke."), (1, "The zip broke again."), (2, "Zip broke."), (1, "Strange smell of glue.")]
    texts += [(2, "Strange smell of glue.")] + [(5, text) for text in PRAISE] * 3
    phrases = [p.phrase for p in complaint_phrases(reviews(texts))]
    assert "zip broke" in phrases
    assert not any("smell" in phrase or "glue" in phrase for phrase in phrases)


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("The lid leaks as soon as it tips.", "lid leaks", ["the lid", "lid leaks as"]),
        ("It is not waterproof at all.", "not waterproof", ["not", "waterproof at"]),
    ],
)
def test_phrases_never_start_or_end_with_a_stop_word_and_a_negation_only_opens_one(
    text: str, expected: str, absent: list[str]
) -> None:
    texts = [(1, text), (2, text + " Really."), (1, "Bad. " + text)] + [(5, t) for t in PRAISE] * 3
    phrases = [p.phrase for p in complaint_phrases(reviews(texts))]
    assert expected in phrases
    for phrase in absent:
        assert phrase not in phrases


def test_french_reviews_are_read_with_french_stop_words_and_keep_their_elisions() -> None:
    texts = [
        (1, "Le tapis de sol laisse passer l'eau."),
        (2, "La tente laisse passer l'eau dès la première pluie."),
        (1, "Elle laisse passer l'eau par les coutures."),
        (5, "Tente spacieuse et facile à monter."),
        (4, "Très facile à monter, spacieuse."),
        (5, "Légère, spacieuse et facile à monter même de nuit."),
        (5, "Restée sèche toute la nuit, facile à ranger."),
    ] * 3
    found = complaint_phrases(reviews(texts, language="fr"))
    assert {p.language for p in found} == {"fr"}
    phrases = [p.phrase for p in found]
    assert any("passer" in phrase for phrase in phrases)
    assert not any(phrase.split()[0] in {"la", "le", "de", "l'"} for phrase in phrases)
    assert ["le", "tapis", "de", "sol", "laisse", "passer", "l'eau"] in tokenize(texts[0][1])


def test_each_language_is_analysed_on_its_own_reviews_english_first() -> None:
    english = reviews([(1, text) for text in COMPLAINTS] + [(5, text) for text in PRAISE])
    french = reviews(
        [
            (1, "La fermeture éclair a cassé."),
            (1, "Fermeture éclair cassée, et elle a cassé vite."),
            (5, "Sac pratique et solide."),
            (5, "Léger, solide et pratique au quotidien."),
            (4, "Bon sac, très pratique pour le travail."),
        ]
        * 3,
        language="fr",
        start=100,
    )
    found = complaint_phrases(french + english)
    languages = [p.language for p in found]
    assert languages == sorted(languages, key=["en", "fr"].index)
    french_phrases = [p for p in found if p.language == "fr"]
    assert any("fermeture éclair" in p.phrase for p in french_phrases)
    assert all(set(p.review_ids) <= set(range(100, 115)) for p in french_phrases)
    assert all(p.low_total == 6 for p in french_phrases)


def test_overlapping_phrases_are_shown_once_preferring_two_words() -> None:
    texts = [(1, "The zip broke."), (2, "My zip broke today."), (1, "Zip broke, sadly."), (1, "Then the zip broke.")]
    texts += [(5, text) for text in PRAISE]
    phrases = [p.phrase for p in complaint_phrases(reviews(texts))]
    assert phrases.count("zip broke") == 1
    assert "zip" not in phrases and "broke" not in phrases


def test_phrases_said_in_the_same_reviews_are_one_complaint() -> None:
    sentence = "The groundsheet absorbs rainwater overnight."
    texts = [(1, sentence), (2, sentence), (1, sentence + " Awful.")] * 2 + [(5, text) for text in PRAISE] * 3
    found = complaint_phrases(reviews(texts))
    assert len(found) == 1


def test_reference_praise_of_similar_products_sharpens_a_product_with_few_good_reviews() -> None:
    texts = [(1, "Water came in through the seams."), (2, "The seams let water in."), (1, "Seams leak water.")]
    own = reviews([*texts, (3, "Average tent.")])
    without = complaint_phrases(own)
    reference = reviews([(5, text) for text in PRAISE] * 5, start=1000)
    with_reference = complaint_phrases(own, reference=reference)
    assert max((p.score for p in with_reference), default=0) > max((p.score for p in without), default=0)
    assert all(pk < 1000 for p in with_reference for pk in p.review_ids)
    assert all(p.high_total == 0 for p in with_reference)  # the counts returned are the product's own


def test_the_result_does_not_depend_on_the_order_of_the_reviews() -> None:
    items = corpus() + reviews([(2, "The seams let water in, again.")], start=50)
    shuffled = items[:]
    random.Random(4).shuffle(shuffled)
    assert complaint_phrases(items) == complaint_phrases(shuffled)


def test_no_low_rated_review_gives_no_phrase() -> None:
    assert complaint_phrases(reviews([(5, text) for text in PRAISE] + [(3, "Fine.")])) == []
    assert complaint_phrases([]) == []


def test_three_star_reviews_are_neither_side() -> None:
    found = complaint_phrases(corpus() + reviews([(3, "The zip broke.")] * 3, start=90))
    zip_broke = next(p for p in found if p.phrase == "zip broke")
    assert (zip_broke.low_count, zip_broke.high_count) == (4, 0)
    assert {90, 91, 92} <= set(zip_broke.review_ids)  # still a review containing it
    assert not {90, 91, 92} & set(zip_broke.low_review_ids)


def test_at_most_limit_phrases_per_language() -> None:
    texts = [(1, f"Problem {word} happened with the {word} part.") for word in "abcdefghijklmnop"] * 2
    many = complaint_phrases(reviews(texts + [(5, text) for text in PRAISE]), limit=3, min_score=-100)
    assert len(many) <= 3


def test_tokenize_cuts_sentences_at_punctuation_and_numbers_and_keeps_apostrophes() -> None:
    assert tokenize("It leaks. The lid’s seal, after 3 hours!") == [
        ["it", "leaks"],
        ["the", "lid's", "seal"],
        ["after"],
        ["hours"],
    ]
    assert tokenize("L'eau passe — vraiment") == [["l'eau", "passe"], ["vraiment"]]


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("The ZIP broke on day one.", "zip broke", True),
        ("The zip. Broke my heart.", "zip broke", False),  # not in one sentence
        ("The zipper broke.", "zip broke", False),  # whole words only
        ("Elle laisse passer l’eau.", "passer l'eau", True),
        ("Anything", "", False),
    ],
)
def test_phrase_matches_reads_like_the_analysis(text: str, phrase: str, expected: bool) -> None:
    assert phrase_matches(text, phrase) is expected


def test_phrase_share_counts_texts_containing_the_phrase() -> None:
    assert phrase_share(["zip broke", "the zip broke again", "fine"], "zip broke") == (2, 3)
    assert phrase_share([], "zip broke") == (0, 0)
