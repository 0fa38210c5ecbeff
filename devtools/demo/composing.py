"""The composing of review texts: a title and a body from the fragments in `devtools.demo.texts`.

Fragments are picked so that each fits the product (`_suited`: a "[trait] " fragment only
for a product with that trait), no two talk about the same thing (`_TOPICS`), none claims
more use than the review's age allows, and their placeholders ({this}, {weeks}, {km}...)
are filled in per review.

Every fragment carries a polarity (`Polarity`): a list's band says it ("good" fragments are
positive, "bad" negative, "mixed" say both sides or are lukewarm; an issue's complaints are
negative, the praise of its fix positive; usage contexts neutral). A review says only what
its stars say (`ALLOWED`): a 4 or 5 star review nothing negative, a 1 or 2 star review
nothing positive ("It stopped working after 2 weeks. Works well" cannot be written); only a
3 star review weighs both, and a positive and a negative fragment are then joined with a
contrast word ("But ...", "Mais ...").
"""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from devtools.demo import texts
from devtools.demo.catalogue import ProductSpec
from devtools.demo.typography import french

# The fragments a poor product's reviews use: its complaints, and the praise after a fix.
Issue = dict[str, list[str]]


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    MIXED = "mixed"  # both sides in one fragment ("Works well, but it's loud"), or lukewarm
    NEUTRAL = "neutral"  # what the customer does with it, no opinion


# A band's fragments are of its polarity ("great" is the titles' best band).
BAND_POLARITY = {
    "great": Polarity.POSITIVE,
    "good": Polarity.POSITIVE,
    "mixed": Polarity.MIXED,
    "bad": Polarity.NEGATIVE,
}
# An issue's lists: its complaints (and those after a fix) and the praise of the fix.
ISSUE_POLARITY = {
    "text": Polarity.NEGATIVE,
    "title": Polarity.NEGATIVE,
    "after": Polarity.NEGATIVE,
    "after_title": Polarity.NEGATIVE,
    "fixed": Polarity.POSITIVE,
    "fixed_title": Polarity.POSITIVE,
}
# What a review with these stars may say.
ALLOWED: dict[int, frozenset[Polarity]] = {
    5: frozenset({Polarity.POSITIVE, Polarity.NEUTRAL}),
    4: frozenset({Polarity.POSITIVE, Polarity.NEUTRAL}),
    3: frozenset(Polarity),
    2: frozenset({Polarity.NEGATIVE, Polarity.NEUTRAL}),
    1: frozenset({Polarity.NEGATIVE, Polarity.NEUTRAL}),
}
# Between a positive and a negative fragment of a 3 star review.
CONTRAST = {"en": "But", "fr": "Mais"}


@dataclass(frozen=True)
class Phrase:
    text: str  # placeholders not yet filled
    polarity: Polarity


def _band(rating: int) -> str:
    return "bad" if rating <= 2 else "mixed" if rating == 3 else "good"


def _of(polarity: Polarity, fragments: Sequence[str]) -> list[Phrase]:
    return [Phrase(fragment, polarity) for fragment in fragments]


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
    # How it is built: "well made" and "feels cheap" in one review would contradict each other.
    "well made": "build",
    "cheap": "build",
    "fabrication": "build",
    "bon marché": "build",
    # Lukewarm verdicts: "Fair for the price, nothing more. Does the job, nothing more."
    "nothing more": "lukewarm",
    "sans plus": "lukewarm",
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
    title, phrases = compose_review_phrases(
        rng, spec=spec, language=language, rating=rating, phase=phase, age_days=age_days
    )
    values = _fill_values(rng, spec, language)
    body = " ".join(_joined(phrases, language)).format(**values)
    if language == "fr":  # typeset as the site's French (devtools.demo.typography)
        return french(title.text), french(body)
    return title.text, body


def compose_review_phrases(
    rng: random.Random, *, spec: ProductSpec, language: str, rating: int, phase: str, age_days: int
) -> tuple[Phrase, list[Phrase]]:
    """compose_review's title and sentences with their polarity, placeholders unfilled."""
    band = _band(rating)
    short = rng.random() < 0.12
    context: list[str] = []
    if not short and rng.random() < 0.75:
        contexts = texts.KIDS_CONTEXTS[language] if "Kids" in spec.name else texts.CONTEXTS[spec.category][language]
        context = _pick(rng, _suited(tuple(contexts), spec.traits), 1, age_days, [])
    body, title = _opinion(rng, spec=spec, language=language, rating=rating, phase=phase, age_days=age_days)
    if title is None:
        title = _title(rng, spec=spec, language=language, rating=rating)
    body = body[:1] if short else body
    said = [phrase.text for phrase in body]
    if not body or (not short and rng.random() < 0.45):
        body += _of(BAND_POLARITY[band], _pick(rng, texts.GENERIC[language][band], 1, age_days, said))
    closers = [c for c in texts.CLOSERS[language][band] if c.rstrip(".!") != title.text]
    if rng.random() < 0.65:
        body += _of(BAND_POLARITY[band], _pick(rng, closers, 1, age_days, [phrase.text for phrase in body]))
    return title, _of(Polarity.NEUTRAL, context) + body


def _joined(phrases: list[Phrase], language: str) -> list[str]:
    """The sentences, a contrast word where the opinion turns (a 3 star review only: no
    other has fragments of both polarities)."""
    sentences: list[str] = []
    opinion: Polarity | None = None
    for phrase in phrases:
        text = phrase.text
        if phrase.polarity in (Polarity.POSITIVE, Polarity.NEGATIVE):
            if opinion is not None and opinion != phrase.polarity:
                text = f"{CONTRAST[language]} {_lowered(text)}"
            opinion = phrase.polarity
        sentences.append(text)
    return sentences


def _lowered(sentence: str) -> str:
    """The sentence as it reads after "But": its first letter lowered, unless it is "I" or
    starts an abbreviation ("USB")."""
    first_word = re.split(r"[\s',]", sentence, maxsplit=1)[0]
    if first_word == "I" or (len(first_word) > 1 and first_word[1].isupper()) or first_word.startswith("{"):
        return sentence
    return sentence[0].lower() + sentence[1:]


def _opinion(
    rng: random.Random, *, spec: ProductSpec, language: str, rating: int, phase: str, age_days: int
) -> tuple[list[Phrase], Phrase | None]:
    """The sentences that say what the customer thinks, and a title when they name a defect."""
    details = _suited_details(spec, language)
    issue = texts.ISSUES.get(spec.sku, {}).get(language)
    if issue:
        told = _defect_story(rng, issue, details, rating=rating, phase=phase, age_days=age_days)
        if told is not None:
            return told
    return _details_for_rating(rng, details, rating=rating, age_days=age_days), None


def _defect_story(
    rng: random.Random,
    issue: Issue,
    details: dict[str, tuple[str, ...]],
    *,
    rating: int,
    phase: str,
    age_days: int,
) -> tuple[list[Phrase], Phrase | None] | None:
    """A poor product's own story: its defect, the praise of its fix, or a new complaint
    after the fix; None when the review is an ordinary one."""
    if phase == "issue" and rating <= 2:
        told, named, extra = "text", "title", "bad"
    elif phase == "fixed" and rating >= 4 and "fixed" in issue:
        told, named, extra = "fixed", "fixed_title", "good"
    elif phase == "fixed" and rating <= 2 and "after" in issue:
        # Unhappy with the new version, for a reason the fix was not about: never the old
        # defect, which the ordinary complaints ("stopped working after the rain") could name.
        told, named, extra = "after", "after_title", ""
    else:
        return None
    said = _pick(rng, issue[told], rng.choice((1, 1, 2) if told != "fixed" else (1, 2)), age_days, [])
    title: Phrase | None = None
    if said and rng.random() < (0.6 if told == "fixed" else 0.7):
        # A complaint's title names it (the title at the same place); the fix's are any of its own.
        chosen = rng.choice(issue[named]) if told == "fixed" else issue[named][issue[told].index(said[0])]
        title = Phrase(chosen, ISSUE_POLARITY[named])
    if extra and rng.random() < (0.4 if told == "fixed" else 0.3):
        said += _pick(rng, details[extra], 1, age_days, said)
    return _of(ISSUE_POLARITY[told], said), title


def _details_for_rating(
    rng: random.Random, details: dict[str, tuple[str, ...]], *, rating: int, age_days: int
) -> list[Phrase]:
    """One or two details of the product's kind, only as good or bad as the rating says: a
    3 star review has a detail of both sides (in either order), or one that says both."""
    good, bad = Polarity.POSITIVE, Polarity.NEGATIVE
    if rating >= 4:
        return _of(good, _pick(rng, details["good"], rng.choice((1, 2, 2) if rating == 5 else (1, 2)), age_days, []))
    if rating <= 2:
        return _of(bad, _pick(rng, details["bad"], rng.choice((1, 2) if rating == 1 else (1, 1, 2)), age_days, []))
    if rng.random() < 0.4:
        return _of(Polarity.MIXED, _pick(rng, details["mixed"], 1, age_days, []))
    # What went well first, then "But" what did not: the order a customer who weighs both writes in.
    said = _of(good, _pick(rng, details["good"], 1, age_days, []))
    said += _of(bad, _pick(rng, details["bad"], 1, age_days, [phrase.text for phrase in said]))
    return said


def _title(rng: random.Random, *, spec: ProductSpec, language: str, rating: int) -> Phrase:
    band = _band(rating)
    kind_titles = texts.KIND_TITLES.get(spec.kind, {}).get(language, {})
    if band in kind_titles and rng.random() < 0.15:
        return Phrase(rng.choice(kind_titles[band]), BAND_POLARITY[band])
    if rating == 5 or (rating == 4 and rng.random() < 0.4):
        band = "great"
    return Phrase(rng.choice(texts.TITLES[language][band]), BAND_POLARITY[band])
