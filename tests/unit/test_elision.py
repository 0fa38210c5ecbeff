"""French elision before interpolated names (issue 18): "Photos d’Alex P.", "en tant
qu’Élodie", never "d’Hoover"; the rule is core.elision, applied by the {% elide %} tag and
by the Python that builds such sentences. English is never touched."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from core.elision import begins_with_vowel_sound, elide, elide_before

VOWEL_SOUND = [
    ("Alex P.", True),
    ("alex", True),
    ("Élodie", True),
    ("Èva", True),
    ("Ève", True),
    ("Îlot", True),
    ("Ophélie", True),
    ("Ôde", True),
    ("Ursula", True),
    ("Ùma", True),
    ("Œdipe", True),
    ("Ægir", True),
    ("IKEA", True),
    ("Yves", True),  # y before a consonant sounds as a vowel
    ("Yvonne", True),
    ("Yann", False),  # y before a vowel is a consonant
    ("Yasmine", False),
    ("Hélène", False),  # h: never (mute or aspirated cannot be told from spelling)
    ("Hoover", False),
    ("hugo", False),
    ("Marc L.", False),
    ("3M", False),
    ("«Alex»", False),
    ("'Alex", False),
    ("Ωmega", False),
    ("李雷", False),
    ("", False),
    ("Y", False),
]


@pytest.mark.parametrize(("word", "expected"), VOWEL_SOUND)
def test_vowel_sound_rule(word: str, expected: bool) -> None:
    assert begins_with_vowel_sound(word) is expected


@pytest.mark.parametrize(
    ("word", "following", "written"),
    [
        ("de", "Alex", "d’"),
        ("De", "Alex", "D’"),
        ("que", "Élodie", "qu’"),
        ("le", "Orange", "l’"),
        ("la", "Ikea", "l’"),
        ("je", "ai", "j’"),
        ("ne", "est", "n’"),
        ("jusque", "Ypres", "jusqu’"),
        ("lorsque", "Ana", "lorsqu’"),
        ("puisque", "Ana", "puisqu’"),
        ("de", "Marc", "de "),
        ("de", "Hélène", "de "),
        ("que", "Yann", "que "),
        ("par", "Alex", "par "),
    ],
)
def test_elided_word(word: str, following: str, written: str) -> None:
    assert elide(word, following) == written


FRENCH = [
    ("Photos de %s", "Alex P.", "Photos d’Alex P."),
    ("Photo 2 sur 3 de %s", "Élodie", "Photo 2 sur 3 d’Élodie"),
    ("Connecté en tant que %s.", "Alex P", "Connecté en tant qu’Alex P."),
    (
        "Vous êtes connecté en tant que %s. Si vous travaillez ici",
        "Ines",
        "Vous êtes connecté en tant qu’Ines. Si vous travaillez ici",
    ),
    ("Ce que %s a modifié", "Ikea", "Ce qu’Ikea a modifié"),
    ("Réponse de %s", "Orange", "Réponse d’Orange"),
    ("Extraite de l’avis « Super » de %s", "Yves", "Extraite de l’avis « Super » d’Yves"),
    ("De %s, avec plaisir", "Ana", "D’Ana, avec plaisir"),
    ("Photos de %s", "Marc L.", "Photos de Marc L."),
    ("Photos de %s", "Hélène", "Photos de Hélène"),
    ("Photos de %s", "Yann", "Photos de Yann"),
    ("Réponse de %s", "3M", "Réponse de 3M"),
    ("Évolution de la note de %s", "Aspirateur X", "Évolution de la note d’Aspirateur X"),
    ("Alerte de retrait de %s (AB-1)", "Écouteurs", "Alerte de retrait d’Écouteurs (AB-1)"),
    ("Monde de %s", "Alexandre", "Monde d’Alexandre"),
]


@pytest.mark.parametrize(("message", "name", "expected"), FRENCH)
def test_french_sentences_elide_before_the_name(message: str, name: str, expected: str) -> None:
    assert elide_before(message % name, [name], language="fr") == expected


def test_only_the_words_before_the_name_change() -> None:
    text = "Le avis de la Ana de Ana"  # nonsense, to show the rule reads only before the name
    assert elide_before(text, ["Ana"], language="fr") == "Le avis de l’Ana d’Ana"
    assert elide_before("Made de Alex", ["Bob"], language="fr") == "Made de Alex"
    assert elide_before("Grande Alex", ["Alex"], language="fr") == "Grande Alex"  # "de" inside a word


def test_english_is_never_touched() -> None:
    assert elide_before("Photos de Alex", ["Alex"], language="en") == "Photos de Alex"
    with translation.override("en"):
        assert elide_before("Photos de Alex", ["Alex"]) == "Photos de Alex"
    with translation.override("fr"):
        assert elide_before("Photos de Alex", ["Alex"]) == "Photos d’Alex"


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


PHOTOS = (
    "{% load i18n %}{% elide name %}{% blocktranslate with name=name %}Photos by {{ name }}{% endblocktranslate %}"
    "{% endelide %}"
)


def test_the_tag_elides_the_translated_sentence_in_french_only() -> None:
    with translation.override("fr"):
        assert _render(PHOTOS, name="Alex P.") == "Photos d’Alex P."
        assert _render(PHOTOS, name="Marc L.") == "Photos de Marc L."
    with translation.override("en"):
        assert _render(PHOTOS, name="Alex P.") == "Photos by Alex P."


def test_the_tag_finds_an_escaped_name_and_keeps_the_escaping() -> None:
    with translation.override("fr"):
        assert _render(PHOTOS, name="Al <b>&") == "Photos d’Al &lt;b&gt;&amp;"


def test_the_tag_finds_a_name_written_without_its_final_full_stop() -> None:
    source = (
        "{% load i18n %}{% elide name %}{% blocktranslate with username=name|name_ending_sentence %}"
        "Signed in as {{ username }}.{% endblocktranslate %}{% endelide %}"
    )
    with translation.override("fr"):
        assert _render(source, name="Alex P.") == "Connecté en tant qu’Alex P."


def test_only_the_whole_value_as_written_elides_never_a_word_it_begins() -> None:
    """Found by review: a title quoted before the name ("Give me everything" by "Ev")."""
    assert elide_before("“Give me everything” de Ev", ["Ev"], language="fr") == "“Give me everything” d’Ev"
    assert elide_before("de Evan", ["Ev"], language="fr") == "de Evan"
    assert elide_before("de ev", ["Ev"], language="fr") == "de ev"
