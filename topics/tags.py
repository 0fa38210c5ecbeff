"""Writing reviews' topic tags (topics.tagging decides them; this stores them).

topics.tasks calls these; topics.services (which queues those tasks) re-exports them, so
this module never imports the tasks (no import cycle).

A published review's tags are what topics.tagging finds in its title and body with the
current lists; any other review has none. Every function here is idempotent: run again
with the same lists, it changes nothing (a tag unchanged keeps its ``tagged_at``).

Lists edited while a pass runs
------------------------------
A pass reads the lists once, then writes batch after batch. A phrase removed meanwhile is
never written: at write time each batch locks the rows of the phrases it is about to store
(so a removal waits for the batch, and finds and clears its tags), and reads again, without
them, the reviews whose match was a phrase already gone. A phrase added meanwhile is found
by the pass its addition queued. Each edit bumps its language's PhraseListGeneration in its
own transaction; the pass it queues carries that generation and gives way (at its start and
between batches) once a newer one exists, since the newer pass re-reads the whole language
with the newest lists: five edits in a row cost one full pass, not five.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from reviews.models import Review, ReviewStatus
from topics.models import PhraseListGeneration, ReviewTopic, Topic, TopicPhrase
from topics.tagging import (
    ListedPhrase,
    PhraseIndex,
    TopicMatch,
    phrase_index,
    reading_language,
    review_text,
    review_topics_indexed,
)

logger = logging.getLogger(__name__)

# Reviews tagged per transaction (and per query): memory stays bounded whatever the history.
TAG_BATCH_SIZE = 500

Progress = Callable[[int, int], None]  # (reviews done, reviews to do)


@dataclass
class TagSummary:
    reviews: int = 0  # reviews read
    changed: int = 0  # reviews whose tags were written or removed
    batches: int = 0
    superseded: bool = False  # stopped early: a newer edit of the lists queued its own pass


def listed_phrases() -> list[ListedPhrase]:
    """Every phrase of the lists, as the tagger reads them."""
    return [
        ListedPhrase(phrase_id=pk, topic=key, language=language, stems=stems)
        for pk, key, language, stems in TopicPhrase.objects.order_by("pk").values_list(
            "pk", "topic__key", "language", "stems"
        )
    ]


class _Indexes:
    """The lists indexed once per language, for a run over many reviews."""

    def __init__(self) -> None:
        self.phrases = listed_phrases()
        self.by_language: dict[str, PhraseIndex] = {}
        self.topic_ids = dict(Topic.objects.values_list("key", "pk"))

    def forget(self, phrase_ids: set[int]) -> None:
        """Phrases removed since the lists were read: read on without them."""
        self.phrases = [phrase for phrase in self.phrases if phrase.phrase_id not in phrase_ids]
        self.by_language.clear()

    def of(self, language: str) -> PhraseIndex:
        code = reading_language(language)
        if code not in self.by_language:
            self.by_language[code] = phrase_index(self.phrases, code)
        return self.by_language[code]


_Tag = tuple[int, int | None, str, bool]  # topic id, phrase id, matched, negated


def _wanted(review: Review, indexes: _Indexes) -> set[_Tag]:
    if review.status != ReviewStatus.PUBLISHED:
        return set()
    text = review_text(review.title, review.body)
    matches: list[TopicMatch] = review_topics_indexed(text, indexes.of(review.language))
    return {(indexes.topic_ids[m.topic], m.phrase_id, m.matched, m.negated) for m in matches}


def _changes(reviews: list[Review], stored: dict[int, set[_Tag]], indexes: _Indexes) -> dict[int, set[_Tag]]:
    """The tags wanted for each review whose stored tags differ."""
    changes = {}
    for review in reviews:
        wanted = _wanted(review, indexes)
        if wanted != stored[review.pk]:
            changes[review.pk] = wanted
    return changes


def _phrases_gone(changes: dict[int, set[_Tag]]) -> set[int]:
    """The phrases the changes would store that no longer exist. The others stay locked
    until the caller's transaction ends: a removal waits, then clears the tags written."""
    wanted_ids = {phrase_id for tags in changes.values() for _t, phrase_id, _m, _n in tags if phrase_id is not None}
    if not wanted_ids:
        return set()
    present = TopicPhrase.objects.select_for_update().filter(pk__in=wanted_ids).order_by("pk")
    return wanted_ids - set(present.values_list("pk", flat=True))


def _write(reviews: Iterable[Review], indexes: _Indexes, *, now: datetime) -> int:
    """Bring the reviews' tags to what the lists find (in the caller's transaction); how
    many reviews changed. A handful of queries whatever the number of reviews."""
    reviews = list(reviews)
    stored: dict[int, set[_Tag]] = {review.pk: set() for review in reviews}
    for review_id, topic_id, phrase_id, matched, negated in ReviewTopic.objects.filter(
        review_id__in=stored
    ).values_list("review_id", "topic_id", "phrase_id", "matched", "negated"):
        stored[review_id].add((topic_id, phrase_id, matched, negated))
    changes = _changes(reviews, stored, indexes)
    if gone := _phrases_gone(changes):  # removed since the lists were read
        indexes.forget(gone)
        changes = _changes(reviews, stored, indexes)  # only phrases locked above remain
    if changes:
        ReviewTopic.objects.filter(review_id__in=changes).delete()
        ReviewTopic.objects.bulk_create(
            ReviewTopic(review_id=review_id, topic_id=t, phrase_id=p, matched=m, negated=n, tagged_at=now)
            for review_id, wanted in changes.items()
            for t, p, m, n in sorted(wanted, key=lambda tag: tag[0])
        )
    return len(changes)


_COLUMNS = ("pk", "title", "body", "language", "status")


def review_tag(review_id: int, *, now: datetime | None = None) -> list[ReviewTopic]:
    """Tag one review (idempotent): its tags replaced in one transaction by what the lists
    find now; none when it is not published (or no longer exists). Returns its tags."""
    with transaction.atomic():
        # The row lock orders this against a concurrent re-tag of the same review.
        review = Review.objects.select_for_update().only(*_COLUMNS).filter(pk=review_id).first()
        if review is None:
            return []
        _write([review], _Indexes(), now=now or timezone.now())
        return list(ReviewTopic.objects.filter(review_id=review_id).select_related("topic").order_by("topic__position"))


def review_tags_remove(review_id: int) -> int:
    """A review that stops being public loses its tags (in the caller's transaction)."""
    deleted, _by_model = ReviewTopic.objects.filter(review_id=review_id).delete()
    return deleted


def _id_batches(reviews: QuerySet[Review], batch_size: int) -> Iterator[list[int]]:
    """The reviews' ids in batches, by keyset (id > last): each batch is its own short
    query, so memory stays bounded and no cursor stays open while tags are written (SQLite
    cannot write under an open cursor on the same table safely; PostgreSQL needs none)."""
    last = 0
    while True:
        ids = list(reviews.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def reviews_tag(
    reviews: QuerySet[Review] | Iterable[int],
    *,
    progress: Progress | None = None,
    batch_size: int = TAG_BATCH_SIZE,
    now: datetime | None = None,
    superseded: Callable[[], bool] | None = None,
) -> TagSummary:
    """Tag many reviews (a queryset, or ids), streamed in batches of ``batch_size``, one
    transaction per batch; ``progress(done, total)`` after each batch. Idempotent. Stops,
    with ``summary.superseded``, when ``superseded()`` is true before a batch (a newer pass
    will do the work)."""
    summary = TagSummary()
    if superseded is not None and superseded():
        summary.superseded = True
        return summary
    queryset = reviews if isinstance(reviews, QuerySet) else Review.objects.filter(pk__in=list(reviews))
    total = queryset.count()
    indexes = _Indexes()
    for ids in _id_batches(queryset, batch_size):
        if summary.batches and superseded is not None and superseded():
            summary.superseded = True
            break
        with transaction.atomic():
            batch = Review.objects.select_for_update().only(*_COLUMNS).filter(pk__in=ids).order_by("pk")
            summary.changed += _write(batch, indexes, now=now or timezone.now())
        summary.reviews += len(ids)
        summary.batches += 1
        if progress is not None:
            progress(summary.reviews, total)
    return summary


def untagged_published_reviews() -> QuerySet[Review]:
    """Published reviews without a tag: imported history, or a publication whose task was lost."""
    return Review.objects.published().filter(topic_tags__isnull=True)


def reviews_tag_untagged(*, progress: Progress | None = None, batch_size: int = TAG_BATCH_SIZE) -> TagSummary:
    """Tag the published reviews that have no tag yet (the demo and ``tag_reviews``)."""
    return reviews_tag(untagged_published_reviews(), progress=progress, batch_size=batch_size)


def reviews_in_language(language: str) -> QuerySet[Review]:
    """The published reviews read in ``language`` (any language not French is read as English)."""
    french = Q(language__istartswith="fr")
    published = Review.objects.published()
    return published.filter(french) if reading_language(language) == "fr" else published.exclude(french)


def phrase_lists_changed(language: str) -> int:
    """In the transaction of an edit of ``language``'s lists: its generation, bumped. The
    pass queued for the edit carries it (reviews_retag_language)."""
    PhraseListGeneration.objects.get_or_create(language=language)
    PhraseListGeneration.objects.filter(language=language).update(generation=F("generation") + 1)
    return PhraseListGeneration.objects.values_list("generation", flat=True).get(language=language)


def phrase_lists_generation(language: str) -> int:
    """How many times ``language``'s lists changed (0 before the first edit)."""
    found = PhraseListGeneration.objects.filter(language=language).values_list("generation", flat=True).first()
    return found or 0


def reviews_retag_language(
    language: str,
    *,
    generation: int | None = None,
    progress: Progress | None = None,
    batch_size: int = TAG_BATCH_SIZE,
) -> TagSummary:
    """After a phrase was added or removed: re-tag the language's published reviews (any
    may now match it, or a phrase it hid: removing "rapport qualité" lets "qualité" tag
    quality). With the ``generation`` its edit was queued for, the pass gives way (at its
    start and between batches) once the lists have a newer one: that edit's own pass reads
    the whole language again with the newest lists, so edits in a row cost one pass."""

    def superseded() -> bool:
        return generation is not None and phrase_lists_generation(language) > generation

    return reviews_tag(reviews_in_language(language), progress=progress, batch_size=batch_size, superseded=superseded)
