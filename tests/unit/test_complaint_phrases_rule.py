"""The over-representation rule of core.phrases on hand-made cases: both contrasts, the
z >= 1.96 boundary, three supporting reviews, function words, the product's own name and
phrases cut from their negation."""

from __future__ import annotations

import math

import pytest

from core.phrases import MIN_LOW_COUNT, MIN_SCORE, ComplaintPhrase, ReviewText, complaint_phrases

PRAISE = [
    "Roomy, light and easy to carry.",
    "Stayed dry in a storm, easy to pitch.",
    "Comfortable for two adults.",
    "Packs away small, well made.",
]
# Low-rated reviews of products of other categories: what unhappy customers of anything write.
ELSEWHERE = [
    "I expected much better for this price.",
    "Customer service was polite but could only offer a refund.",
    "At least the return was easy.",
    "The handle came loose.",
    "It rattles on the hob.",
]


class Ids:
    """Review ids, unique across one test."""

    def __init__(self) -> None:
        self.last = 0

    def __call__(self, rating: int, text: str, language: str = "en") -> ReviewText:
        self.last += 1
        return ReviewText(self.last, rating, language, text)


def filler(n: int) -> list[str]:
    """n low-rated texts that share no phrase (each its own made-up word)."""
    return [f"Disliked {'x' * (i + 2)}." for i in range(n)]


def phrase(found: list[ComplaintPhrase], text: str) -> ComplaintPhrase | None:
    return next((p for p in found if p.phrase == text), None)


def reference_z(low: int, low_total: int, high: int, high_total: int, prior_share: float = 0.2) -> float:
    """Monroe et al.'s z in reviews, written out from the formula (not from the code)."""
    prior = prior_share * (low + high)
    prior_all = prior_share * (low_total + high_total)
    log_odds_low = math.log((low + prior) / (low_total + prior_all - low - prior))
    log_odds_high = math.log((high + prior) / (high_total + prior_all - high - prior))
    return (log_odds_low - log_odds_high) / math.sqrt(1 / (low + prior) + 1 / (high + prior))


def test_the_defaults_are_the_rule_z_1_96_and_three_reviews() -> None:
    assert (MIN_SCORE, MIN_LOW_COUNT) == (1.96, 3)


@pytest.mark.parametrize(
    ("low", "low_total", "high_total", "shown"),
    [
        (4, 10, 14, True),  # z = 1.9705
        (4, 11, 16, False),  # z = 1.9593
        (3, 6, 13, True),  # z = 1.9737
    ],
)
def test_a_phrase_is_kept_from_z_1_96_up_and_its_score_is_monroes_z(
    low: int, low_total: int, high_total: int, shown: bool
) -> None:
    new = Ids()
    reviews = [new(1, "The zip broke.") for _ in range(low)] + [new(2, text) for text in filler(low_total - low)]
    reviews += [new(5, PRAISE[i % len(PRAISE)]) for i in range(high_total)]
    expected = round(reference_z(low, low_total, 0, high_total), 4)
    assert (expected >= 1.96) is shown
    found = phrase(complaint_phrases(reviews), "zip broke")
    assert (found is not None) is shown
    everything = phrase(complaint_phrases(reviews, min_score=-100), "zip broke")
    assert everything is not None and everything.score == everything.own_score == expected
    assert everything.elsewhere_score is None  # no other category: the own contrast decides alone


def test_the_boundary_itself_is_kept() -> None:
    new = Ids()
    reviews = [new(1, "The zip broke.") for _ in range(4)] + [new(2, text) for text in filler(6)]
    reviews += [new(5, PRAISE[i % len(PRAISE)]) for i in range(14)]
    score = phrase(complaint_phrases(reviews, min_score=-100), "zip broke").score  # type: ignore[union-attr]
    assert phrase(complaint_phrases(reviews, min_score=score), "zip broke") is not None
    assert phrase(complaint_phrases(reviews, min_score=score + 0.0001), "zip broke") is None


def test_fewer_than_three_supporting_low_rated_reviews_is_not_a_complaint_however_strong() -> None:
    new = Ids()
    two = [new(1, "The zip broke.") for _ in range(2)] + [new(5, text) for text in PRAISE * 10]
    assert complaint_phrases(two, min_score=-100) == []
    three = [*two, new(2, "Zip broke again.")]
    [found] = complaint_phrases(three)
    assert (found.phrase, found.low_count, found.low_total) == ("zip broke", 3, 3)


def test_complaint_language_every_unhappy_customer_writes_is_dropped_by_the_contrast_with_other_categories() -> None:
    """Decision: over-represented against its own praise but as frequent in other
    categories' complaints ("customer service") names no fault of this product."""
    new = Ids()
    own = [new(1, "Customer service was polite but could only offer a refund.") for _ in range(4)]
    own += [new(2, "The zip broke on the first night.") for _ in range(4)]
    own += [new(5, text) for text in PRAISE * 4]
    elsewhere = [new(1, ELSEWHERE[i % len(ELSEWHERE)]) for i in range(40)]  # 8 of 40 say it
    alone = [p.phrase for p in complaint_phrases(own)]
    assert "customer service" in alone and "zip broke" in alone  # the own contrast alone keeps both
    found = complaint_phrases(own, elsewhere=elsewhere)
    assert [p.phrase for p in found] == ["zip broke"]
    [zip_broke] = found
    assert (zip_broke.elsewhere_count, zip_broke.elsewhere_total) == (0, 40)
    assert zip_broke.elsewhere_score is not None and zip_broke.elsewhere_score >= 1.96
    assert zip_broke.score == min(zip_broke.own_score, zip_broke.elsewhere_score)


def test_a_fault_also_said_elsewhere_but_far_more_often_of_this_product_is_kept() -> None:
    new = Ids()
    own = [new(1, "The handle came loose.") for _ in range(6)] + [new(5, text) for text in PRAISE * 4]
    elsewhere = [new(1, ELSEWHERE[i % len(ELSEWHERE)]) for i in range(40)]  # 8 of 40 say it
    [found] = complaint_phrases(own, elsewhere=elsewhere)
    assert (found.phrase, found.low_count, found.elsewhere_count) == ("handle came loose", 6, 8)


def test_only_low_rated_reviews_elsewhere_count_and_too_few_make_no_contrast() -> None:
    new = Ids()
    own = [new(1, ELSEWHERE[1]) for _ in range(4)] + [new(5, t) for t in PRAISE * 4]
    praise_elsewhere = [new(5, ELSEWHERE[1]) for _ in range(40)]
    few_complaints = [new(1, ELSEWHERE[1]) for _ in range(19)]
    for elsewhere in (praise_elsewhere, few_complaints):
        [found] = complaint_phrases(own, elsewhere=elsewhere)
        assert found.phrase == "customer service" and found.elsewhere_score is None
    assert complaint_phrases(own, elsewhere=[*few_complaints, new(2, ELSEWHERE[1])]) == []


def test_function_words_never_make_a_phrase_however_over_represented() -> None:
    new = Ids()
    low = [new(1, "And then it was the one that I had, but it is so."), new(2, "It was that, and it is.")] * 3
    assert complaint_phrases(low + [new(5, "Roomy.")] * 10) == []


def test_a_phrase_said_as_often_in_praise_is_no_complaint() -> None:
    new = Ids()
    low = [new(1, "Pitched in minutes but the zip broke.") for _ in range(5)]
    high = [new(5, "Pitched in minutes, roomy and dry.") for _ in range(8)]
    assert [p.phrase for p in complaint_phrases(low + high)] == ["zip broke"]


def test_the_products_own_name_is_no_complaint() -> None:
    new = Ids()
    low = [new(1, "The tent let water in.") for _ in range(5)] + [new(2, "Wind bent the tent.") for _ in range(5)]
    high = [new(5, text) for text in PRAISE * 4]
    named = [p.phrase for p in complaint_phrases(low + high, naming=["Breeze 2 Pop-Up Tent", "Cairnfield", ""])]
    assert "tent" in [p.phrase for p in complaint_phrases(low + high)]
    assert "tent" not in named and "wind bent" in named


@pytest.mark.parametrize(
    ("language", "text", "shown", "dropped"),
    [
        ("en", "The app hasn't been able to see the earbuds.", "hasn't been able", "able to see"),
        ("en", "It is not waterproof at all.", "not waterproof", "waterproof"),
        ("fr", "La tente n'est pas étanche.", "pas étanche", "étanche"),
    ],
)
def test_a_phrase_cut_from_its_negation_is_not_shown(language: str, text: str, shown: str, dropped: str) -> None:
    new = Ids()
    low = [new(1, text, language) for _ in range(5)]
    high = [new(5, "Roomy, light, easy.", language) for _ in range(12)]
    everything = [p.phrase for p in complaint_phrases(low + high, min_score=-100, limit=50)]
    assert dropped not in everything
    assert shown in everything
