"""reviews.search: which searches are refused, the words searched, and the marking of the
words found, escaped (no database)."""

from __future__ import annotations

import pytest
from django.conf import settings

from reviews.search import (
    SEARCH_CONFIGS,
    MarkMode,
    SearchMarking,
    search_config,
    search_has_word,
    search_terms,
    text_marked,
)


@pytest.mark.parametrize(
    ("query", "has_word"),
    [
        ("tent", True),
        ("  été ", True),
        ("42", True),
        ("!!! ???", False),
        ("…«»—", False),
        ("___", False),  # the underscore is no letter, whatever \w says
        ("", False),
    ],
)
def test_a_query_needs_a_letter_or_a_digit(query: str, has_word: bool) -> None:
    assert search_has_word(query) is has_word


def test_terms_are_the_words_lower_cased_once_each_in_order() -> None:
    assert search_terms("Tent, TENT! Pole-ready 2 été") == ("tent", "pole", "ready", "2", "été")
    assert search_terms("?!") == ()


def test_every_site_language_has_a_search_configuration() -> None:
    assert {code for code, _name in settings.LANGUAGES} <= set(SEARCH_CONFIGS)
    assert search_config("fr") == "french" and search_config("en") == "english" and search_config("de") == "english"


def test_stem_mode_marks_every_form_of_a_french_word() -> None:
    marked = text_marked(
        "Chaussures confortables, une chaussure parfaite.",
        {"chaussur"},  # PostgreSQL's French lexeme of "chaussure"
        language="fr",
        mode=MarkMode.STEM,
    )
    assert marked == "<mark>Chaussures</mark> confortables, une <mark>chaussure</mark> parfaite."


def test_stem_mode_stems_in_the_review_language() -> None:
    marked = text_marked("Running shoes; I ran and run.", {"run"}, language="en", mode=MarkMode.STEM)
    assert marked == "<mark>Running</mark> shoes; I ran and <mark>run</mark>."


def test_stem_mode_marks_whole_words_only() -> None:
    assert (
        text_marked("A scar on the car.", {"car"}, language="en", mode=MarkMode.STEM)
        == "A scar on the <mark>car</mark>."
    )


def test_substring_mode_marks_what_the_fallback_matched() -> None:
    marked = text_marked("Tents and CONTENTS", ("tent",), language="en", mode=MarkMode.SUBSTRING)
    assert marked == "<mark>Tent</mark>s and CON<mark>TENT</mark>S"


def test_overlapping_terms_give_one_mark() -> None:
    marked = text_marked("waterproof", ("water", "terpr"), language="en", mode=MarkMode.SUBSTRING)
    assert marked == "<mark>waterpr</mark>oof"


@pytest.mark.parametrize("mode", list(MarkMode))
def test_user_text_is_escaped_and_only_mark_is_added(mode: MarkMode) -> None:
    text = '<script>alert("tent")</script> <b>tent</b> & <mark>tent</mark>'
    marked = text_marked(text, ("tent",), language="en", mode=mode)
    assert "<script>" not in marked and "<b>" not in marked
    assert marked.replace("<mark>", "").replace("</mark>", "") == (
        "&lt;script&gt;alert(&quot;tent&quot;)&lt;/script&gt; "
        "&lt;b&gt;tent&lt;/b&gt; &amp; &lt;mark&gt;tent&lt;/mark&gt;"
    )
    assert marked.count("<mark>") == 3


def test_a_term_that_looks_like_markup_is_escaped_too() -> None:
    marked = text_marked("a <b> c", ("b",), language="en", mode=MarkMode.SUBSTRING)
    assert marked == "a &lt;<mark>b</mark>&gt; c"


def test_without_terms_the_text_is_only_escaped() -> None:
    assert text_marked("<i>x</i>", (), language="en", mode=MarkMode.STEM) == "&lt;i&gt;x&lt;/i&gt;"


def test_a_text_whose_lower_case_changes_length_is_escaped_unmarked() -> None:
    # "İ" lower-cases to two characters: offsets would drift, so nothing is marked.
    assert text_marked("İstanbul <tent>", ("tent",), language="en", mode=MarkMode.SUBSTRING) == "İstanbul &lt;tent&gt;"


def test_stem_marking_uses_the_stems_of_the_review_language_configuration() -> None:
    # As PostgreSQL gives them: "the" is a common English word, so it has no English lexeme.
    marking = SearchMarking(
        mode=MarkMode.STEM,
        terms=("the", "running"),
        stems_by_config={"english": frozenset({"run"}), "french": frozenset({"the", "running"})},
    )
    assert marking.marked("The running man runs", language="en") == "The <mark>running</mark> man <mark>runs</mark>"
    assert marking.marked("The running", language="fr") == "<mark>The</mark> <mark>running</mark>"


def test_substring_marking_uses_the_terms_whatever_the_language() -> None:
    marking = SearchMarking(mode=MarkMode.SUBSTRING, terms=("tent",))
    assert marking.marked("Tente", language="fr") == "<mark>Tent</mark>e"
