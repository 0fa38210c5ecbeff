"""What customers complain about: phrases that a product's 1-2 star reviews say far more often
than its 4-5 star reviews AND than the 1-2 star reviews of other categories' products.

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
4. The statistic is the z-score of the log-odds ratio with an informative Dirichlet
   prior (Monroe, Colaresi and Quinn, "Fightin' Words", 2008), counted in reviews (see
   ``_contrast_z``). The prior (the phrase's share of both sides' reviews, weighing
   PRIOR_SHARE of their number) shrinks rare phrases towards "no difference", so a
   phrase seen three times is not ranked above one seen forty times, and a phrase common
   everywhere ("the") scores near zero.
   It is computed for two contrasts, and a phrase must win both:
   a. *the product's own*: its low-rated reviews against its high-rated ones. A phrase
      its happy customers say as often ("pitched in minutes") names no fault.
   b. *against complaints elsewhere*: its low-rated reviews against the low-rated
      reviews of the products of the other categories. Unhappy customers of anything
      write alike ("I expected better at this price", "refund requested", "customer
      service", "at least the return was easy"): such phrases win contrast (a) for every
      product and name none's fault. A fault of the product ("lid leaks"), or one common
      to its kind ("main zip broke" on backpacks), is not said of a frying pan. The
      contrast is not made against the product's own category: there its kind's faults
      are as frequent, and a backpack whose zip breaks would hide behind the others'.
      It is made when at least MIN_ELSEWHERE_REVIEWS such reviews of the language exist
      (fewer cannot tell how unhappy customers write); otherwise (a) decides alone.
   A phrase is a complaint when both z-scores reach ``min_score`` (1.96: the usual 5 %
   two-sided level, 2.5 % one-sided) and at least ``min_low_count`` (3) low-rated
   reviews contain it (fewer: one customer's wording or a coincidence). Its score is
   the lower of its two z-scores.
5. Two kinds of phrase are no complaint, however often said: one made only of words
   that name the product (``naming``: its name, brand and category; "tent", "earbuds":
   complaints name the product as often as its fault); and one most of whose low-rated
   reviews say it after a negation (at most NEGATION_REACH words before it: "hasn't been
   able to see"): cut from its negation it reads as the opposite of the complaint ("able
   to see"); the phrase that carries the negation ("not waterproof") is the one shown.
6. Overlaps are pruned (see ``_prune``): a single word almost always said within a
   two-word phrase ("lid" in "lid leaks") gives way to it, and so does a three-word
   phrase that says no more than the two words inside it. Then phrases are taken best
   first, skipping one that contains, or is contained in, a phrase already taken, or is
   found in mostly the same low-rated reviews (the same complaint in other words).
   Equal scores prefer two words, then the words rarest in good reviews, then the text.

``reference`` reviews (4-5 stars of similar products) stand in for the good reviews a
product lacks (up to REFERENCE_REVIEWS' worth), so it still gets a fair contrast (a).
``elsewhere`` reviews (of other categories' products; their 1-2 star ones count) are the
other side of contrast (b).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from core.phrase_words import GENERIC_WORDS, NEGATIONS, NOT_LAST, STOP_WORDS

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


LOW_RATINGS = frozenset({1, 2})
HIGH_RATINGS = frozenset({4, 5})
MAX_WORDS = 3

# Sentence breaks: punctuation, brackets, quotes, dashes between spaces, and numbers. A
# phrase never spans two sentences ("it leaks. the lid" is not "leaks lid"), nor a number
# ("lasted 3 hours" is not "lasted hours").
_SENTENCE_BREAK = re.compile(r"[.!?;:,()\[\]{}\"«»“”„…\n\r\t/|]+|\s[-–—]+\s|\d+")
# A word: letters, joined by hyphens or apostrophes ("usb-c", "l'eau", "doesn't").
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})

# Scoring defaults: see the module docstring. PRIOR_SHARE is the prior's weight as a share
# of the reviews compared: large next to a rare phrase, small next to a frequent one.
PRIOR_SHARE = 0.2
MIN_LOW_COUNT = 3
MIN_SCORE = 1.96
# Contrast (b) is made on at least this many low-rated reviews of other categories' products
# (of the language): fewer cannot tell how unhappy customers of anything write.
MIN_ELSEWHERE_REVIEWS = 20
# A negation this many words or fewer before a phrase governs it ("hasn't been able to see").
NEGATION_REACH = 3
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
    score: float  # the lower of the two contrasts' z-scores, rounded to SCORE_DECIMALS
    review_ids: tuple[int, ...] = field(default=())  # every review containing it, any rating, by id
    low_review_ids: tuple[int, ...] = field(default=())  # the low-rated ones among them
    own_score: float = 0.0  # z of contrast (a): against the product's high-rated reviews
    elsewhere_count: int = 0  # low-rated reviews of other categories' products containing it
    elsewhere_total: int = 0  # low-rated reviews of other categories' products (0: no contrast b)
    elsewhere_score: float | None = None  # z of contrast (b); None when it was not made


Gram = tuple[str, ...]


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


def _phrases_of(sentences: Sequence[Sequence[str]], language: str) -> tuple[set[Gram], set[Gram]]:
    """The review's phrases, and those of them it only ever says after a negation (step 5)."""
    stop = STOP_WORDS[language]
    negations = NEGATIONS[language]
    not_last = NOT_LAST[language]
    found: set[Gram] = set()
    plain: set[Gram] = set()
    for words in sentences:
        # governed[i]: a negation stands at most NEGATION_REACH words before word i.
        last_negation = -NEGATION_REACH - 1
        governed = []
        for i, word in enumerate(words):
            governed.append(i - last_negation <= NEGATION_REACH)
            if word in negations:
                last_negation = i
        for size in range(1, MAX_WORDS + 1):
            for start in range(len(words) - size + 1):
                gram = tuple(words[start : start + size])
                first, last = gram[0], gram[-1]
                if last in stop or last in not_last or len(last) < 2 or len(first) < 2:
                    continue
                if first in stop and not (first in negations and size > 1):
                    continue
                found.add(gram)
                if not governed[start]:
                    plain.add(gram)
    return found, found - plain


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    size = len(shorter)
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def _log_odds_z(low: float, high: float, low_n: float, high_n: float, alpha: float, alpha0: float) -> float:
    """Monroe et al.'s z-score of the difference in log-odds between the two groups."""
    low_odds = math.log((low + alpha) / max(low_n + alpha0 - low - alpha, 1e-9))
    high_odds = math.log((high + alpha) / max(high_n + alpha0 - high - alpha, 1e-9))
    variance = 1.0 / (low + alpha) + 1.0 / (high + alpha)
    return (low_odds - high_odds) / math.sqrt(variance)


def _prune(scored: dict[Gram, _Scored]) -> set[Gram]:
    """Phrases that give way to a two-word phrase saying the same thing (step 5).

    Two words usually name a thing and what is wrong with it ("lid leaks"): a single
    word gives way to a two-word phrase found in nearly all of its low-rated reviews, and
    a three-word phrase to a two-word one inside it found in nearly the same reviews (the
    third word adds nothing: "glue line along" is "glue line").
    """
    pairs = [gram for gram in scored if len(gram) == 2]
    pruned: set[Gram] = set()
    for gram, figures in scored.items():
        low = figures.low
        if len(gram) == 1:
            if any(gram[0] in pair and scored[pair].low >= SUBSUME_SHARE * low for pair in pairs):
                pruned.add(gram)
        elif len(gram) == 3:
            inner = [gram[:2], gram[1:]]
            if any(pair in scored and low >= SUBSUME_SHARE * scored[pair].low for pair in inner):
                pruned.add(gram)
    return pruned


# Among equal scores, two words first, then three, then one (see _prune).
_LENGTH_PREFERENCE = {2: 0, 3: 1, 1: 2}


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclass
class _Frequencies:
    """Step 3: in how many low- and high-rated reviews of one language each phrase is said."""

    per_review: dict[int, set[Gram]] = field(default_factory=dict)  # review id -> its phrases
    ratings: dict[int, int] = field(default_factory=dict)  # review id -> its rating
    low: Counter[Gram] = field(default_factory=Counter)
    high: Counter[Gram] = field(default_factory=Counter)
    low_negated: Counter[Gram] = field(default_factory=Counter)  # low-rated reviews saying it only negated
    low_total: int = 0
    high_total: int = 0

    def low_review_ids(self, gram: Gram) -> frozenset[int]:
        return frozenset(
            pk for pk, phrases in self.per_review.items() if self.ratings[pk] in LOW_RATINGS and gram in phrases
        )


def _frequencies(reviews: Sequence[ReviewText], language: str) -> _Frequencies:
    counted = _Frequencies()
    for review in reviews:
        phrases, negated = _phrases_of(tokenize(review.text), language)
        counted.per_review[review.review_id] = phrases
        counted.ratings[review.review_id] = review.rating
        if review.rating in LOW_RATINGS:
            counted.low_total += 1
            counted.low.update(phrases)
            counted.low_negated.update(negated)
        elif review.rating in HIGH_RATINGS:
            counted.high_total += 1
            counted.high.update(phrases)
    return counted


@dataclass(frozen=True)
class _Contrast:
    """The other side of one contrast (step 4): in how many of its reviews each phrase is
    said, and how many reviews it has (both weighted where the reference fills in)."""

    counts: dict[Gram, float]
    reviews: float


def _high_side(counted: _Frequencies, reference: Sequence[ReviewText], language: str) -> _Contrast:
    """The other side of contrast (a): the product's own good reviews, and the reference
    up to REFERENCE_REVIEWS reviews' worth, only when the product has fewer good reviews of
    its own: with enough of them, the contrast is the product's alone (other products'
    praise never names this one)."""
    high: dict[Gram, float] = {gram: float(n) for gram, n in counted.high.items()}
    reviews = float(counted.high_total)
    reference_high = [review for review in reference if review.rating in HIGH_RATINGS]
    if reference_high and counted.high_total < REFERENCE_REVIEWS:
        weight = min(1.0, (REFERENCE_REVIEWS - counted.high_total) / len(reference_high))
        reviews += weight * len(reference_high)
        for review in reference_high:
            for gram in _phrases_of(tokenize(review.text), language)[0]:
                high[gram] = high.get(gram, 0.0) + weight
    return _Contrast(high, reviews)


def _contrast_z(low: int, low_total: int, gram: Gram, contrast: _Contrast, prior_share: float) -> float:
    """Step 4's z-score of one phrase against one contrast.

    Monroe et al. count words, so their totals are numbers of words; the unit here is the
    review (it says the phrase or not), so each side's total is its number of reviews: a
    long complaint does not make its phrases look rarer. The prior is the phrase's share
    of the reviews of both sides, weighing ``prior_share`` of their number (the Beta
    marginal of the Dirichlet prior for one phrase): it shrinks a rare phrase, never
    drowns a product."""
    other = contrast.counts.get(gram, 0.0)
    all_n = low_total + contrast.reviews
    alpha0 = prior_share * all_n
    alpha = alpha0 * (low + other) / all_n
    return round(_log_odds_z(low, other, low_total, contrast.reviews, alpha, alpha0), SCORE_DECIMALS)


@dataclass(frozen=True)
class _Scored:
    """A complaint phrase's figures (step 4)."""

    low: int
    own_high: int  # the product's own good reviews containing it
    own_z: float
    elsewhere_count: int
    elsewhere_z: float | None

    @property
    def z(self) -> float:
        return self.own_z if self.elsewhere_z is None else min(self.own_z, self.elsewhere_z)


def _scores(
    counted: _Frequencies,
    high: _Contrast,
    elsewhere: _Frequencies,
    *,
    naming: frozenset[str],
    min_low_count: int,
    min_score: float,
    prior_share: float,
) -> dict[Gram, _Scored]:
    """Steps 4 and 5: the phrases over-represented in the low-rated reviews against both
    contrasts, said by at least ``min_low_count`` of them, mostly not after a negation."""
    other_complaints = _Contrast({gram: float(n) for gram, n in elsewhere.low.items()}, float(elsewhere.low_total))
    # Too few complaints elsewhere say nothing of how unhappy customers write: no contrast (b).
    contrasted = elsewhere.low_total >= MIN_ELSEWHERE_REVIEWS
    scored: dict[Gram, _Scored] = {}
    for gram, low in counted.low.items():
        if low < min_low_count or 2 * counted.low_negated[gram] > low or set(gram) <= naming:
            continue
        own_z = _contrast_z(low, counted.low_total, gram, high, prior_share)
        elsewhere_z = _contrast_z(low, counted.low_total, gram, other_complaints, prior_share) if contrasted else None
        if own_z >= min_score and (elsewhere_z is None or elsewhere_z >= min_score):
            scored[gram] = _Scored(low, counted.high.get(gram, 0), own_z, elsewhere.low.get(gram, 0), elsewhere_z)
    return scored


def _ranked(scored: dict[Gram, _Scored], high: _Contrast) -> list[Gram]:
    """The phrases left after pruning, best first.

    Among equal scores (often fragments of one sentence), the phrase whose words are
    rarest in good reviews names the fault best: "constant hiss", not "cancelling makes"."""
    pruned = _prune(scored)

    def commonness(gram: Gram) -> float:
        return sum(high.counts.get((word,), 0.0) for word in gram) / len(gram)

    return sorted(
        (gram for gram in scored if gram not in pruned),
        key=lambda gram: (
            -scored[gram].z,
            -scored[gram].low,
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
    elsewhere_reviews: Sequence[ReviewText],
    language: str,
    *,
    naming: frozenset[str],
    min_low_count: int,
    min_score: float,
    limit: int,
    prior_share: float,
) -> list[ComplaintPhrase]:
    counted = _frequencies(reviews, language)
    if not counted.low_total:
        return []
    high = _high_side(counted, reference, language)
    # Counting elsewhere's phrases is most of the work: not when no phrase is said often enough.
    said_enough = any(low >= min_low_count for low in counted.low.values())
    elsewhere = _frequencies(
        [review for review in elsewhere_reviews if said_enough and review.rating in LOW_RATINGS], language
    )
    scored = _scores(
        counted,
        high,
        elsewhere,
        naming=naming,
        min_low_count=min_low_count,
        min_score=min_score,
        prior_share=prior_share,
    )
    ranked = _ranked(scored, high)
    low_ids = {gram: counted.low_review_ids(gram) for gram in ranked}
    result = []
    for gram in _chosen(ranked, low_ids, limit):
        figures = scored[gram]
        result.append(
            ComplaintPhrase(
                phrase=" ".join(gram),
                language=language,
                low_count=figures.low,
                high_count=figures.own_high,
                low_total=counted.low_total,
                high_total=counted.high_total,
                score=figures.z,
                review_ids=tuple(sorted(pk for pk, phrases in counted.per_review.items() if gram in phrases)),
                low_review_ids=tuple(sorted(low_ids[gram])),
                own_score=figures.own_z,
                elsewhere_count=figures.elsewhere_count,
                elsewhere_total=elsewhere.low_total,
                elsewhere_score=figures.elsewhere_z,
            )
        )
    return result


def _by_language(reviews: Iterable[ReviewText]) -> dict[str, list[ReviewText]]:
    grouped: dict[str, list[ReviewText]] = {}
    for review in reviews:
        grouped.setdefault(_language(review.language), []).append(review)
    # By id: the result never depends on the order the reviews came in.
    return {code: sorted(group, key=lambda review: review.review_id) for code, group in grouped.items()}


def complaint_phrases(
    reviews: Iterable[ReviewText],
    *,
    reference: Iterable[ReviewText] = (),
    elsewhere: Iterable[ReviewText] = (),
    naming: Iterable[str] = (),
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
    contrast (a phrase frequent in every tent's praise is no complaint).
    ``elsewhere``: reviews of products of the other categories; their 1-2 star ones are
    the other side of contrast (b) (step 4), made when at least MIN_ELSEWHERE_REVIEWS of
    them are of the language.
    ``naming``: texts that name the product (its name, brand, category's name): a phrase
    made only of their words is no complaint.
    Neither's ids are ever returned, and the counts returned are the product's own (and
    those of ``elsewhere`` in ``elsewhere_count``/``elsewhere_total``).
    Each language is analysed on its own reviews (another language is read as English).
    """
    by_language = _by_language(reviews)
    reference_by_language = _by_language(reference)
    elsewhere_by_language = _by_language(elsewhere)
    naming_words = frozenset(word for text in naming for sentence in tokenize(text) for word in sentence)
    result: list[ComplaintPhrase] = []
    for code in dict.fromkeys(_language(language) for language in languages):
        result.extend(
            _language_phrases(
                by_language.get(code, []),
                reference_by_language.get(code, []),
                elsewhere_by_language.get(code, []),
                code,
                naming=naming_words,
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
