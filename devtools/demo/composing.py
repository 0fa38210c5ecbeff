"""The composing of review texts: a title and a body from the fragments in `devtools.demo.texts`.

Fragments are picked so that each fits the product (`_suited`: a "[trait] " fragment only
for a product with that trait), no two talk about the same thing (`_TOPICS`), none claims
more use than the review's age allows, and their placeholders ({this}, {weeks}, {km}...)
are filled in per review.
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence

from devtools.demo import texts
from devtools.demo.catalogue import ProductSpec

# The fragments a poor product's reviews use: its complaints, and the praise after a fix.
Issue = dict[str, list[str]]


def _band(rating: int) -> str:
    return "bad" if rating <= 2 else "mixed" if rating == 3 else "good"


def _fill_values(rng: random.Random, spec: ProductSpec, language: str) -> dict[str, object]:
    return {
        "this": spec.noun.this_en if language == "en" else spec.noun.this_fr,
        "the": spec.noun.the_en if language == "en" else spec.noun.the_fr,
        "weeks": rng.randint(2, 10),
        "few_weeks": rng.randint(2, 4),
        "months": rng.randint(2, 12),
        "km": rng.randrange(80, 620, 10),
        "km_long": rng.randint(18, 32),
        "km_week": rng.randrange(15, 65, 5),
        "km_day": rng.randint(4, 15),
        "size": rng.randint(37, 46),
        "kg": rng.randint(72, 98),
        "kg_pack": rng.randint(8, 16),
        "minutes": rng.choice((5, 8, 10, 12, 15, 20)),
        "n": rng.randint(2, 6),
        "days": rng.randint(2, 5),
        "temp": rng.randint(4, 12),
        "height": rng.randint(58, 89),
        "age": rng.randint(5, 11),
        "place_en": rng.choice(texts.PLACES["en"]),
        "place_fr": rng.choice(texts.PLACES["fr"]),
    }


def _fits(fragment: str, age_days: int) -> bool:
    # "for {months} months" on a product reviewed in its first weeks would not be believable.
    if "{months}" in fragment and age_days < 75:
        return False
    return not ("{weeks}" in fragment and age_days < 30)


# Fragments that talk about the same thing: two of them in one review would repeat or
# contradict each other ("the handle stays cool" ... "the handle gets warm").
_TOPICS = {
    "handle": "handle",
    "poignée": "handle",
    "sole": "sole",
    "semelle": "sole",
    "battery": "battery",
    "batterie": "battery",
    "autonomie": "battery",
    "zip": "zip",
    "fermeture": "zip",
    "bass": "bass",
    "coating": "coating",
    "revêtement": "coating",
    "pegs": "pegs",
    "sardines": "pegs",
    "gears": "gears",
    "vitesses": "gears",
    "derailleur": "gears",
    "dérailleur": "gears",
    "brake": "brakes",
    "frein": "brakes",
    "saddle": "saddle",
    "selle": "saddle",
    "strap": "strap",
    "bretelle": "strap",
    "pocket": "pockets",
    "poches": "pockets",
    "mesh": "mesh",
    "cushioning": "foam",
    "foam": "foam",
    "amorti": "foam",
    "mousse": "foam",
    "size": "size",
    "small": "size",
    "pointure": "size",
    "taille": "size",
    "heel": "heel",
    "talon": "heel",
    "condensation": "condensation",
    "seam": "seams",
    "couture": "seams",
    "cold": "warmth",
    "warm": "warmth",
    "froid": "warmth",
    "chaud": "warmth",
    "heav": "weight",
    "lourd": "weight",
    "light enough": "weight",
    "léger": "weight",
    "dishwasher": "dishwasher",
    "lave-vaisselle": "dishwasher",
    "finish": "finish",
    "finition": "finish",
    "touch": "controls",
    "tactile": "controls",
    "connection": "connection",
    "connexion": "connection",
    "bluetooth": "connection",
    "clean": "clean",
    "nettoyer": "clean",
    "comfortable": "comfort",
    "confortable": "comfort",
    "price": "price",
    "prix": "price",
    "value": "price",
    "delivery": "delivery",
    "delivered": "delivery",
    "livraison": "delivery",
    "sticks": "sticking",
    "attache": "sticking",
    "grip": "grip",
    "accroche": "grip",
    "glisse": "grip",
    "slippery": "grip",
    "mount": "mount",
    "fixation": "mount",
    "fixing": "mount",
    "plastic": "plastic",
    "plastique": "plastic",
    "refund": "refund",
    "rembours": "refund",
}


# "[noisy] Works well, but it's louder than I expected.": the trait a product needs for it.
_TRAIT_MARK = re.compile(r"\[(\w+)\] ")


@functools.cache
def _suited(pool: tuple[str, ...], traits: frozenset[str]) -> tuple[str, ...]:
    """The fragments of `pool` that fit a product with `traits`, without their marks.

    Cached per pool and set of traits (a few dozen in all), so composing stays as fast as
    it was without them."""
    suited = []
    for fragment in pool:
        mark = _TRAIT_MARK.match(fragment)
        if mark is None:
            suited.append(fragment)
        elif mark.group(1) in traits:
            suited.append(fragment[mark.end() :])
    return tuple(suited)


def _suited_details(spec: ProductSpec, language: str) -> dict[str, tuple[str, ...]]:
    return {band: _suited(tuple(pool), spec.traits) for band, pool in texts.DETAILS[spec.kind][language].items()}


@functools.cache
def _topics(fragment: str) -> frozenset[str]:
    lowered = fragment.lower()
    return frozenset(topic for word, topic in _TOPICS.items() if word in lowered)


def _pick(rng: random.Random, pool: Sequence[str], k: int, age_days: int, taken: list[str]) -> list[str]:
    """Up to k fragments of `pool`, none repeating a topic of `taken` or of each other."""
    picked: list[str] = []
    for _ in range(k):
        busy = frozenset().union(*(_topics(t) for t in taken + picked))
        usable = [f for f in pool if _fits(f, age_days) and f not in taken + picked and not _topics(f) & busy]
        if not usable:
            break
        picked.append(rng.choice(usable))
    return picked


def compose_review(
    rng: random.Random, *, spec: ProductSpec, language: str, rating: int, phase: str, age_days: int
) -> tuple[str, str]:
    """A title and a body that read like a customer's, from the fragments in `texts`.

    Context first (how they use it), then one or two details for the rating, sometimes a
    word on delivery or value, sometimes a closing line. A complaint about a known defect
    gets the title that names it.
    """
    band = _band(rating)
    short = rng.random() < 0.12
    context: list[str] = []
    if not short and rng.random() < 0.75:
        contexts = texts.KIDS_CONTEXTS[language] if "Kids" in spec.name else texts.CONTEXTS[spec.category][language]
        context = _pick(rng, _suited(tuple(contexts), spec.traits), 1, age_days, [])
    body, title = _opinion(rng, spec=spec, language=language, rating=rating, phase=phase, age_days=age_days)
    if not title:
        title = _title(rng, spec=spec, language=language, rating=rating)
    body = body[:1] if short else body
    if not body or (not short and rng.random() < 0.45):
        body += _pick(rng, texts.GENERIC[language][band], 1, age_days, body)
    closers = [c for c in texts.CLOSERS[language][band] if c.rstrip(".!") != title]
    if rng.random() < 0.65:
        body += _pick(rng, closers, 1, age_days, body)
    values = _fill_values(rng, spec, language)
    return title, " ".join(sentence.format(**values) for sentence in context + body)


def _opinion(
    rng: random.Random, *, spec: ProductSpec, language: str, rating: int, phase: str, age_days: int
) -> tuple[list[str], str]:
    """The sentences that say what the customer thinks, and a title when they name a defect."""
    details = _suited_details(spec, language)
    issue = texts.ISSUES.get(spec.sku, {}).get(language)
    if issue:
        told = _defect_story(rng, issue, details, rating=rating, phase=phase, age_days=age_days)
        if told is not None:
            return told
    return _details_for_rating(rng, details, rating=rating, age_days=age_days), ""


def _defect_story(
    rng: random.Random,
    issue: Issue,
    details: dict[str, tuple[str, ...]],
    *,
    rating: int,
    phase: str,
    age_days: int,
) -> tuple[list[str], str] | None:
    """A poor product's own story: its defect, the praise of its fix, or a new complaint
    after the fix; None when the review is an ordinary one."""
    body: list[str] = []
    title = ""
    if phase == "issue" and rating <= 2:
        body += _pick(rng, issue["text"], rng.choice((1, 1, 2)), age_days, body)
        if body and rng.random() < 0.7:
            title = issue["title"][issue["text"].index(body[0])]
        if rng.random() < 0.3:
            body += _pick(rng, details["bad"], 1, age_days, body)
    elif phase == "fixed" and rating >= 4 and "fixed" in issue:
        body += _pick(rng, issue["fixed"], rng.choice((1, 2)), age_days, body)
        if rng.random() < 0.6:
            title = rng.choice(issue["fixed_title"])
        if rng.random() < 0.4:
            body += _pick(rng, details["good"], 1, age_days, body)
    elif phase == "fixed" and rating <= 2 and "after" in issue:
        # Unhappy with the new version, for a reason the fix was not about: never the old
        # defect, which the ordinary complaints ("stopped working after the rain") could name.
        body += _pick(rng, issue["after"], rng.choice((1, 1, 2)), age_days, body)
        if body and rng.random() < 0.7:
            title = issue["after_title"][issue["after"].index(body[0])]
    else:
        return None
    return body, title


def _details_for_rating(
    rng: random.Random, details: dict[str, tuple[str, ...]], *, rating: int, age_days: int
) -> list[str]:
    """One or two details of the product's kind, good or bad as the rating says."""
    body: list[str] = []
    if rating == 5:
        body += _pick(rng, details["good"], rng.choice((1, 2, 2)), age_days, body)
    elif rating == 4:
        body += _pick(rng, details["good"], 1, age_days, body)
        body += _pick(rng, details["mixed" if rng.random() < 0.45 else "good"], 1, age_days, body)
    elif rating == 3:
        body += _pick(rng, details["good"] if rng.random() < 0.5 else details["mixed"], 1, age_days, body)
        body += _pick(rng, details["mixed"], 1, age_days, body)
    elif rating == 2:
        body += _pick(rng, details["bad"], 1, age_days, body)
        if rng.random() < 0.5:
            body += _pick(rng, details["mixed"], 1, age_days, body)
    else:
        body += _pick(rng, details["bad"], rng.choice((1, 2)), age_days, body)
    return body


def _title(rng: random.Random, *, spec: ProductSpec, language: str, rating: int) -> str:
    band = _band(rating)
    kind_titles = texts.KIND_TITLES.get(spec.kind, {}).get(language, {})
    if band in kind_titles and rng.random() < 0.15:
        return rng.choice(kind_titles[band])
    if rating == 5 or (rating == 4 and rng.random() < 0.4):
        return rng.choice(texts.TITLES[language]["great"])
    return rng.choice(texts.TITLES[language][band])
