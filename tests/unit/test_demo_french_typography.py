"""The demo's French content is typeset as the site's French strings are (devtools.demo.
typography): no straight apostrophe, no ordinary space before : ; ! ? or inside « » (the
try from outside found "Poids : 285 g" breaking at its colon, and "d'écoute")."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from devtools.demo import care_texts
from devtools.demo.catalogue import CATEGORIES, PRODUCTS
from devtools.demo.composing import compose_review
from devtools.demo.typography import french

UNTYPESET = re.compile(r"'| [:;!?»]|« ")


def _french_texts(pools: Mapping[str, Any]) -> Iterator[str]:
    for key, value in pools.items():
        if key == "fr" and isinstance(value, list | tuple):
            yield from value
        elif isinstance(value, Mapping):
            yield from _french_texts(value)


def _demo_french() -> Iterator[str]:
    yield from (category.name_fr for category in CATEGORIES)
    for product in PRODUCTS:
        yield product.name_fr
        yield product.description_fr
    for name in ("FIRST", "REPLIES", "FOLLOW_UP", "SECOND_REPLIES", "REMINDER", "CLOSING", "EFFORT_REPLIES"):
        yield from _french_texts(getattr(care_texts, name))
    rng = random.Random(7)
    for product in PRODUCTS:
        for rating in (1, 2, 3, 4, 5):
            yield from compose_review(rng, spec=product, language="fr", rating=rating, phase="", age_days=90)


def test_every_french_demo_text_is_typeset() -> None:
    untypeset = [text for text in _demo_french() if UNTYPESET.search(text)]
    assert not untypeset, untypeset[:5]


@pytest.mark.parametrize(
    ("raw", "typeset"),
    [
        ("Poids : 285 g", "Poids\u00a0: 285 g"),
        ("6 heures d'écoute", "6 heures d’écoute"),
        ("Vraiment ? Oui ! Bon ; fin", "Vraiment\u202f? Oui\u202f! Bon\u202f; fin"),
        ("« sac »", "«\u00a0sac\u00a0»"),
        ("à 10:30, https://x", "à 10:30, https://x"),  # no space after: not punctuation to space
        ("Poids\u00a0: 1", "Poids\u00a0: 1"),
    ],
)
def test_french_typesetting(raw: str, typeset: str) -> None:
    assert french(raw) == typeset
    assert french(typeset) == typeset  # idempotent
