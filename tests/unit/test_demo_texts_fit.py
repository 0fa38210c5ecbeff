"""The demo's review texts fit their product (issue 18, item 14): a lunch box is never
"louder than I expected", a chef's knife never "stopped working".

The rules below are written from what the products are (their names), not from the
traits the catalogue gives them, so that a wrong trait is caught too."""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest

from devtools.demo import composing, texts
from devtools.demo.catalogue import PRODUCTS, ProductSpec


def _named(*words: str) -> Callable[[ProductSpec], bool]:
    return lambda spec: any(word in spec.name for word in words)


def _not_named(*words: str) -> Callable[[ProductSpec], bool]:
    return lambda spec: not any(word in spec.name for word in words)


# What a review may say -> which products it may say it of.
RULES: list[tuple[str, Callable[[ProductSpec], bool]]] = [
    (r"\blouder\b|bruyant", _named("Kettle", "Blender", "Grinder")),
    (r"\bleaks?\b|\bfuit\b", _named("Kettle", "Lunch Box", "Tent")),
    (r"plasti", _not_named("Knife", "Cutting Board", "Tyre", "U-Lock", "Cookset", "Frying Pan", "Casserole", "Cooker")),
    (r"induction", _named("Frying Pan", "Saucepan", "Casserole", "Pressure Cooker")),
    (
        r"stopped working|ne fonctionne plus|hors service",
        lambda spec: spec.category == "headphones" or _named("Kettle", "Blender", "Grinder", "Lantern", "Light")(spec),
    ),
    (r"\bmount\b|fixation|without tools|sans outils", _named("Light Set", "U-Lock", "Pannier")),
    (r"hip belt|ceinture", _named("Trek", "Summit")),
    (r"glasses|lunettes", _named("Over-Ear", "Travel ANC", "Gaming", "Kids Volume")),
    (r"video calls|visio|calls are clear|appels clairs", _named("ANC", "Over-Ear", "Buds 100", "Neckband", "Gaming")),
    (r"\bgym\b|salle de sport", _named("Sport", "Bone Conduction", "Swim")),
    (r"worktop|plan de travail", _named("Kettle", "Grinder", "Cutting Board")),
    (r"comfort rating|température de confort", _named("Sleeping Bag")),
    (r"frame digs|armature", _named("Trek", "Summit")),
    (r"puncture|crevaison", _named("Tyre")),
    (r"\bedge\b|tranchant|ébréché", _named("Knife")),
]


def _reviews_of(spec: ProductSpec, language: str) -> list[str]:
    written = []
    for rating in (1, 2, 3, 4, 5):
        for phase in ("", "issue", "fixed"):
            for seed in range(6):
                rng = random.Random(f"{spec.sku}-{language}-{rating}-{phase}-{seed}")
                title, body = composing.compose_review(
                    rng, spec=spec, language=language, rating=rating, phase=phase, age_days=400
                )
                written.append(f"{title}\n{body}")
    return written


@pytest.mark.parametrize("spec", PRODUCTS, ids=[spec.sku for spec in PRODUCTS])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_review_says_only_what_fits_its_product(spec: ProductSpec, language: str) -> None:
    reviews = _reviews_of(spec, language)
    for pattern, may_say in RULES:
        if may_say(spec):
            continue
        said = [text for text in reviews if re.search(pattern, text, re.IGNORECASE)]
        assert not said, f"{spec.name} ({language}) should not be told /{pattern}/: {said[0]!r}"
    assert not any("[" in text for text in reviews), "a trait mark was left in a review"


def test_every_trait_a_fragment_needs_is_some_products_and_the_reverse() -> None:
    """A misspelt trait would silently keep a fragment from every product, or a product
    from its own fragments."""
    marks = set()
    for kind in texts.DETAILS.values():
        for by_band in kind.values():
            for pool in by_band.values():
                marks |= set(re.findall(r"^\[(\w+)\] ", "\n".join(pool), re.MULTILINE))
    for category in texts.CONTEXTS.values():
        for pool in category.values():
            marks |= set(re.findall(r"^\[(\w+)\] ", "\n".join(pool), re.MULTILINE))
    held = set().union(*(spec.traits for spec in PRODUCTS))
    assert marks == held


def test_a_lunch_box_still_gets_a_full_review() -> None:
    """Leaving out what does not fit must not leave a product with nothing to say."""
    lunch_box = next(spec for spec in PRODUCTS if "Lunch Box" in spec.name)
    for language in ("en", "fr"):
        bodies = [text.split("\n", 1)[1] for text in _reviews_of(lunch_box, language)]
        assert all(bodies)
        assert any("soup" in body.lower() or "soupe" in body.lower() for body in bodies)
