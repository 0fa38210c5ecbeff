"""What customers complain about: phrases that recur in 1-2 star reviews far more than in 4-5 star ones.

Pure Python (no Django, no I/O), deterministic: the same reviews always give the same
phrases in the same order, so a page, a test and an email agree.

How a phrase is found
---------------------
1. Each review's title and text are cut into sentences and words (letters only; an
   elided article stays on its word, "l'eau", so a French phrase reads as written).
2. Its phrases are the 1-, 2- and 3-word runs inside one sentence that neither start
   nor end with a stop-word of the review's language ("the lid leaks" gives "lid",
   "leaks", "lid leaks"; never "the lid"). Stop-words are grammar words and words true
   of any product ("avoid", "refund", "weeks"). A negation may open a phrase ("not
   waterproof", "pas étanche") but not end one or stand alone; a light verb ("makes")
   never ends one. Numbers cut a sentence like punctuation.
3. Per language, each phrase's *document frequency* is counted among the low-rated
   (1-2 stars) and the high-rated (4-5 stars) reviews: a review that says "leaks" five
   times is one review complaining about leaks. 3-star reviews are neither.
4. The score is the z-score of the log-odds ratio with an informative Dirichlet prior
   (Monroe, Colaresi and Quinn, "Fightin' Words", 2008): the prior (the phrase's share of
   all reviews) shrinks rare phrases towards "no difference", so a phrase seen twice is
   not ranked above one seen forty times, and a phrase common everywhere ("tent") scores
   near zero. A phrase is a complaint when at least ``min_low_count`` low-rated reviews
   contain it and its score reaches ``min_score``.
5. Overlaps are pruned (see ``_prune``): a single word almost always said within a
   two-word phrase ("lid" in "lid leaks") gives way to it, and so does a three-word
   phrase that says no more than the two words inside it. Then phrases are taken best
   first, skipping one that contains, or is contained in, a phrase already taken, or is
   found in mostly the same low-rated reviews (the same complaint in other words).
   Equal scores prefer two words, then the words rarest in good reviews, then the text.

``reference`` reviews (4-5 stars of similar products) stand in for the good reviews a
product lacks (up to REFERENCE_REVIEWS' worth), so it still gets a fair contrast.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "GENERIC_WORDS",
    "HIGH_RATINGS",
    "LOW_RATINGS",
    "NEGATIONS",
    "STOP_WORDS",
    "ComplaintPhrase",
    "ReviewText",
    "complaint_phrases",
    "phrase_matches",
    "phrase_share",
    "tokenize",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


LOW_RATINGS = frozenset({1, 2})
HIGH_RATINGS = frozenset({4, 5})
MAX_WORDS = 3

# Negations carry the complaint ("not waterproof"): allowed to open a phrase, never to end one.
NEGATIONS: dict[str, frozenset[str]] = {
    "en": _words("""not no never nothing nor don't doesn't didn't isn't wasn't aren't weren't won't wouldn't can't
        cannot couldn't hasn't haven't hadn't shouldn't"""),
    "fr": _words("pas jamais rien aucun aucune ni sans"),
}

_GRAMMAR_WORDS: dict[str, frozenset[str]] = {
    "en": _words("""a an the is and or but if then than so as at by for from in into of off on onto out over to up
        with within without about after again against all am any are be been before being below between
        both did do does doing down during each few further had has have having he her here hers herself
        him himself his how i i'd i'll i'm i've it it's its itself just me more most my myself once only
        other our ours ourselves own same she should some such that that's their theirs them themselves
        there these they this those through too under until very was we were what when where which while
        who whom why will would you your yours yourself also even still really quite much many lot lots
        get got gets getting one two can could may might must shall let's there's they're we're you're
        he's she's what's who's here's isn way back well bit now ever every since yet again though
        although because however yes ok okay along already around across almost away behind beside
        besides beyond near per via upon whether us least three four five"""),
    "fr": _words("""le la les l' un une des du de d' au aux ce cet cette ces ça cela ceci mon ma mes ton ta tes son sa
        ses notre nos votre vos leur leurs je tu il elle on nous vous ils elles me te se lui moi toi y en que
        qui quoi dont où et ou mais donc or car à dans par pour sur avec sous chez vers entre est sont
        était étaient être été avoir a ai as avons avez ont avait avaient eu fait faire c'est j'ai n'est
        n'a n'ai s'est qu'il qu'elle qu'on l'ai l'a d'un d'une c'était il y ne plus très trop bien tout
        tous toute toutes même aussi encore déjà si comme alors puis après avant quand fois peu beaucoup
        assez vraiment ici là cet ceux celle celles celui dès lors lorsque puisque parce quelque quelques
        sont ses soit sera seront suis es êtes sommes depuis pendant selon contre malgré toujours chaque
        autre autres deux trois quatre cinq"""),
}

# Words that say how a customer feels or when, true of any product ("avoid", "refund",
# "disappointed", "weeks"): they would top every list and name no fault. Read as stop-words.
GENERIC_WORDS: dict[str, frozenset[str]] = {
    "en": _words("""avoid avoided disappointed disappointing disappointment refund refunded return returned returning
        recommend recommended money waste buy bought buying purchase purchased product products item quality
        poor bad terrible awful worst horrible rubbish useless star stars review reviews brand good great
        nice excellent perfect love loved happy use used using came come comes went go goes going thing
        things time times day days week weeks month months year years first second last new old again
        expected expect expecting save let"""),
    "fr": _words("""éviter évitez déçu déçue déçus déception décevant remboursement rembourser remboursé recommande
        recommander recommandé argent acheté achetée achat acheter produit produits article qualité mauvais
        mauvaise nul nulle médiocre horrible marque bon bonne bien super parfait parfaite utilisé utilisée
        utilisation utiliser passez chemin jour jours semaine semaines mois an ans année années fois premier
        dernier dernière nouveau nouvelle ancien ancienne attendais attendait retour retourne retourner
        retournée renvoyé renvoyée"""),
}

# Light verbs: they open a phrase well enough ("keeps disconnecting") but never end one
# ("noise cancelling makes", "the groundsheet takes").
NOT_LAST: dict[str, frozenset[str]] = {
    "en": _words("""make makes made take takes took give gives gave keep keeps kept seem seems seemed look looks
        looked say says said put puts want wants wanted need needs needed feel feels felt tried try tries"""),
    "fr": _words("""fait font faisait met mettre prend prennent prendre donne donnent donner semble semblent
        dit dire veut voulait faut"""),
}

# Grammar words, negations (never alone or last) and generic words: none starts or ends a phrase.
STOP_WORDS: dict[str, frozenset[str]] = {
    code: _GRAMMAR_WORDS[code] | NEGATIONS[code] | GENERIC_WORDS[code] for code in _GRAMMAR_WORDS
}

# Sentence breaks: punctuation, brackets, quotes, dashes between spaces, and numbers. A
# phrase never spans two sentences ("it leaks. the lid" is not "leaks lid"), nor a number
# ("lasted 3 hours" is not "lasted hours").
_SENTENCE_BREAK = re.compile(r"[.!?;:,()\[\]{}\"«»“”„…\n\r\t/|]+|\s[-–—]+\s|\d+")
# A word: letters, joined by hyphens or apostrophes ("usb-c", "l'eau", "doesn't").
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})

# Scoring defaults: see the module docstring. PRIOR_SHARE is the prior's weight as a share
# of all the phrases counted: large next to a rare phrase, small next to a frequent one.
PRIOR_SHARE = 0.2
MIN_LOW_COUNT = 2
MIN_SCORE = 1.0
# A shorter phrase gives way to a longer one containing it when the longer one is found
# in at least this share of the shorter one's low-rated reviews.
SUBSUME_SHARE = 0.75
# Two phrases found in mostly the same low-rated reviews (Jaccard index at least this)
# are one complaint said in other words: only the better one is shown.
SAME_REVIEWS = 0.5
SCORE_DECIMALS = 4
# Reference reviews stand in for missing good reviews of the product, up to this many.
REFERENCE_REVIEWS = 30


@dataclass(frozen=True)
class ReviewText:
    """What the analysis needs of one review."""

    review_id: int
    rating: int
    language: str
    text: str


@dataclass(frozen=True)
class ComplaintPhrase:
    phrase: str
    language: str
    low_count: int  # low-rated reviews (1-2 stars) of that language containing it
    high_count: int  # high-rated reviews (4-5 stars) of that language containing it
    low_total: int  # low-rated reviews of that language
    high_total: int  # high-rated reviews of that language
    score: float  # z-score of the log-odds ratio, rounded to SCORE_DECIMALS
    review_ids: tuple[int, ...] = field(default=())  # every review containing it, any rating, by id
    low_review_ids: tuple[int, ...] = field(default=())  # the low-rated ones among them


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_APOSTROPHES).casefold()


def tokenize(text: str) -> list[list[str]]:
    """The text's sentences, each as its list of lower-cased words."""
    sentences = []
    for part in _SENTENCE_BREAK.split(_normalise(text)):
        words = _WORD.findall(part)
        if words:
            sentences.append(words)
    return sentences


def _language(language: str) -> str:
    code = (language or "").lower().split("-")[0]
    return code if code in STOP_WORDS else "en"


def _phrases_of(sentences: Sequence[Sequence[str]], language: str) -> set[tuple[str, ...]]:
    stop = STOP_WORDS[language]
    negations = NEGATIONS[language]
    not_last = NOT_LAST[language]
    found: set[tuple[str, ...]] = set()
    for words in sentences:
        for size in range(1, MAX_WORDS + 1):
            for start in range(len(words) - size + 1):
                gram = tuple(words[start : start + size])
                first, last = gram[0], gram[-1]
                if last in stop or last in not_last or len(last) < 2 or len(first) < 2:
                    continue
                if first in stop and not (first in negations and size > 1):
                    continue
                found.add(gram)
    return found


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    size = len(shorter)
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def _log_odds_z(low: float, high: float, low_n: float, high_n: float, alpha: float, alpha0: float) -> float:
    """Monroe et al.'s z-score of the difference in log-odds between the two groups."""
    low_odds = math.log((low + alpha) / max(low_n + alpha0 - low - alpha, 1e-9))
    high_odds = math.log((high + alpha) / max(high_n + alpha0 - high - alpha, 1e-9))
    variance = 1.0 / (low + alpha) + 1.0 / (high + alpha)
    return (low_odds - high_odds) / math.sqrt(variance)


def _prune(scored: dict[tuple[str, ...], tuple[int, int, float]]) -> set[tuple[str, ...]]:
    """Phrases that give way to a two-word phrase saying the same thing (step 5).

    Two words usually name a thing and what is wrong with it ("lid leaks"): a single
    word gives way to a two-word phrase found in nearly all of its low-rated reviews, and
    a three-word phrase to a two-word one inside it found in nearly the same reviews (the
    third word adds nothing: "glue line along" is "glue line").
    """
    pairs = [gram for gram in scored if len(gram) == 2]
    pruned: set[tuple[str, ...]] = set()
    for gram, (low, _high, _z) in scored.items():
        if len(gram) == 1:
            if any(gram[0] in pair and scored[pair][0] >= SUBSUME_SHARE * low for pair in pairs):
                pruned.add(gram)
        elif len(gram) == 3:
            inner = [gram[:2], gram[1:]]
            if any(pair in scored and low >= SUBSUME_SHARE * scored[pair][0] for pair in inner):
                pruned.add(gram)
    return pruned


# Among equal scores, two words first, then three, then one (see _prune).
_LENGTH_PREFERENCE = {2: 0, 3: 1, 1: 2}


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


Gram = tuple[str, ...]


@dataclass
class _Frequencies:
    """Step 3: in how many low- and high-rated reviews of one language each phrase is said."""

    per_review: dict[int, set[Gram]] = field(default_factory=dict)  # review id -> its phrases
    ratings: dict[int, int] = field(default_factory=dict)  # review id -> its rating
    low: Counter[Gram] = field(default_factory=Counter)
    high: Counter[Gram] = field(default_factory=Counter)
    low_total: int = 0
    high_total: int = 0

    def low_review_ids(self, gram: Gram) -> frozenset[int]:
        return frozenset(
            pk for pk, phrases in self.per_review.items() if self.ratings[pk] in LOW_RATINGS and gram in phrases
        )


def _frequencies(reviews: Sequence[ReviewText], language: str) -> _Frequencies:
    counted = _Frequencies()
    for review in reviews:
        phrases = _phrases_of(tokenize(review.text), language)
        counted.per_review[review.review_id] = phrases
        counted.ratings[review.review_id] = review.rating
        if review.rating in LOW_RATINGS:
            counted.low_total += 1
            counted.low.update(phrases)
        elif review.rating in HIGH_RATINGS:
            counted.high_total += 1
            counted.high.update(phrases)
    return counted


def _high_side(counted: _Frequencies, reference: Sequence[ReviewText], language: str) -> dict[Gram, float]:
    """The high-rated side of the contrast: the product's own good reviews, and the
    reference up to REFERENCE_REVIEWS reviews' worth, only when the product has fewer good
    reviews of its own: with enough of them, the contrast is the product's alone (other
    products' praise never names this one)."""
    high: dict[Gram, float] = {gram: float(n) for gram, n in counted.high.items()}
    reference_high = [review for review in reference if review.rating in HIGH_RATINGS]
    if reference_high and counted.high_total < REFERENCE_REVIEWS:
        weight = min(1.0, (REFERENCE_REVIEWS - counted.high_total) / len(reference_high))
        for review in reference_high:
            for gram in _phrases_of(tokenize(review.text), language):
                high[gram] = high.get(gram, 0.0) + weight
    return high


def _scores(
    counted: _Frequencies, high: dict[Gram, float], *, min_low_count: int, min_score: float, prior_share: float
) -> dict[Gram, tuple[int, int, float]]:
    """Step 4: (low count, the product's own high count, z) of each complaint phrase.

    The prior is each phrase's share of all phrase occurrences in both groups, weighing a
    ``prior_share`` of the evidence (so it shrinks a rare phrase, never drowns a product)."""
    low_n, high_n = float(sum(counted.low.values())), sum(high.values())
    all_n = low_n + high_n
    alpha0 = prior_share * all_n
    scored: dict[Gram, tuple[int, int, float]] = {}
    for gram, low in counted.low.items():
        if low < min_low_count:
            continue
        high_count = high.get(gram, 0.0)
        alpha = alpha0 * (low + high_count) / all_n
        z = round(_log_odds_z(low, high_count, low_n, high_n, alpha, alpha0), SCORE_DECIMALS)
        if z >= min_score:
            scored[gram] = (low, counted.high.get(gram, 0), z)
    return scored


def _ranked(scored: dict[Gram, tuple[int, int, float]], high: dict[Gram, float]) -> list[Gram]:
    """The phrases left after pruning, best first.

    Among equal scores (often fragments of one sentence), the phrase whose words are
    rarest in good reviews names the fault best: "constant hiss", not "cancelling makes"."""
    pruned = _prune(scored)

    def commonness(gram: Gram) -> float:
        return sum(high.get((word,), 0.0) for word in gram) / len(gram)

    return sorted(
        (gram for gram in scored if gram not in pruned),
        key=lambda gram: (
            -scored[gram][2],
            -scored[gram][0],
            _LENGTH_PREFERENCE[len(gram)],
            round(commonness(gram), SCORE_DECIMALS),
            " ".join(gram),
        ),
    )


def _chosen(ranked: Sequence[Gram], low_ids: dict[Gram, frozenset[int]], limit: int) -> list[Gram]:
    """The best phrases, skipping the same complaint in other words: contained in a phrase
    taken, or said in mostly the same reviews."""
    chosen: list[Gram] = []
    for gram in ranked:
        if any(
            _contains(gram, other) or _contains(other, gram) or _jaccard(low_ids[gram], low_ids[other]) >= SAME_REVIEWS
            for other in chosen
        ):
            continue
        chosen.append(gram)
        if len(chosen) >= limit:
            break
    return chosen


def _language_phrases(
    reviews: Sequence[ReviewText],
    reference: Sequence[ReviewText],
    language: str,
    *,
    min_low_count: int,
    min_score: float,
    limit: int,
    prior_share: float,
) -> list[ComplaintPhrase]:
    counted = _frequencies(reviews, language)
    if not counted.low_total:
        return []
    high = _high_side(counted, reference, language)
    scored = _scores(counted, high, min_low_count=min_low_count, min_score=min_score, prior_share=prior_share)
    ranked = _ranked(scored, high)
    low_ids = {gram: counted.low_review_ids(gram) for gram in ranked}
    result = []
    for gram in _chosen(ranked, low_ids, limit):
        low, own_high, z = scored[gram]  # own_high: the product's own good reviews containing it
        result.append(
            ComplaintPhrase(
                phrase=" ".join(gram),
                language=language,
                low_count=low,
                high_count=own_high,
                low_total=counted.low_total,
                high_total=counted.high_total,
                score=z,
                review_ids=tuple(sorted(pk for pk, phrases in counted.per_review.items() if gram in phrases)),
                low_review_ids=tuple(sorted(low_ids[gram])),
            )
        )
    return result


def complaint_phrases(
    reviews: Iterable[ReviewText],
    *,
    reference: Iterable[ReviewText] = (),
    languages: Sequence[str] = ("en", "fr"),
    min_low_count: int = MIN_LOW_COUNT,
    min_score: float = MIN_SCORE,
    limit: int = 8,
    prior_share: float = PRIOR_SHARE,
) -> list[ComplaintPhrase]:
    """The complaint phrases of ``reviews`` (one product's), per language in ``languages``
    order, best first, at most ``limit`` per language.

    ``reference``: 4-5 star reviews of similar products, added to the product's own on
    the high-rated side. A product with few good reviews of its own still gets a fair
    contrast (a phrase frequent in every tent's praise is no complaint); its ids are never
    returned, and the counts returned are the product's own.
    Each language is analysed on its own reviews (another language is read as English).
    """
    by_language: dict[str, list[ReviewText]] = {}
    for review in reviews:
        by_language.setdefault(_language(review.language), []).append(review)
    reference_by_language: dict[str, list[ReviewText]] = {}
    for review in reference:
        reference_by_language.setdefault(_language(review.language), []).append(review)
    result: list[ComplaintPhrase] = []
    for code in dict.fromkeys(_language(language) for language in languages):
        result.extend(
            _language_phrases(
                sorted(by_language.get(code, []), key=lambda review: review.review_id),
                sorted(reference_by_language.get(code, []), key=lambda review: review.review_id),
                code,
                min_low_count=min_low_count,
                min_score=min_score,
                limit=limit,
                prior_share=prior_share,
            )
        )
    return result


def phrase_matches(text: str, phrase: str) -> bool:
    """Whether the phrase's words occur, in order and next to each other, in one sentence
    of ``text`` (the same reading as the analysis, so its counts and this test agree)."""
    wanted = tuple(word for sentence in tokenize(phrase) for word in sentence)
    if not wanted:
        return False
    return any(_contains(tuple(words), wanted) for words in tokenize(text))


def phrase_share(texts: Iterable[str], phrase: str) -> tuple[int, int]:
    """(texts containing the phrase, texts): how often a phrase is said in a set of reviews."""
    containing = total = 0
    for text in texts:
        total += 1
        if phrase_matches(text, phrase):
            containing += 1
    return containing, total
