"""Topics' services: tagging on publication, and the phrase lists' edits (docs/topics.md).

Tagging itself is in topics.tags (re-exported here: ``review_tag``, ``reviews_tag``,
``reviews_tag_untagged``); this module adds what queues the tasks that run it, on commit:
- a review published or edited is tagged by ``review_tag_task``; one unpublished loses its
  tags at once (in the change's transaction). Imported history publishes nothing: it is
  tagged by ``manage.py tag_reviews``, so imports stay fast;
- a phrase added or removed re-tags its language's published reviews, by a task, never in
  the request (a list change may touch every review of a language; a removal too, as the
  phrase may have hidden a shorter one of another topic). Each edit bumps the language's
  PhraseListGeneration in its transaction and its task carries that generation: a pass
  gives way to a newer edit's, so edits in a row cost one pass (topics.tags).
A task lost to a broker outage is made good by ``tag_reviews`` (untagged reviews) or
``tag_reviews --all`` (after a list change).
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from accounts.models import User
from core.errors import Conflict, NotFound, ValidationFailed
from core.phrases import GENERIC_WORDS, STOP_WORDS, tokenize
from core.text_safety import validate_display_text
from reviews.events import ReviewChange, ReviewChanged
from topics.models import PHRASE_MAX_LENGTH, TOPIC_LANGUAGES, Topic, TopicKey, TopicPhrase
from topics.tagging import phrase_sentences, phrase_stems
from topics.tags import (
    TAG_BATCH_SIZE,
    TagSummary,
    phrase_lists_changed,
    review_tag,
    review_tags_remove,
    reviews_tag,
    reviews_tag_untagged,
)
from topics.tasks import phrase_lists_retag_task, review_tag_task

__all__ = [
    "TAG_BATCH_SIZE",
    "TagSummary",
    "review_changed_handle",
    "review_tag",
    "reviews_tag",
    "reviews_tag_untagged",
    "topic_phrase_add",
    "topic_phrase_remove",
]

logger = logging.getLogger(__name__)


def _queue_on_commit(queue: Callable[[], object], what: str) -> None:
    """Queue a task once the caller's transaction commits. A broker outage is logged, never
    raised into a request whose change is already committed: ``tag_reviews`` makes it good."""

    def kick() -> None:
        try:
            queue()
        except (OperationalError, ConnectionError, OSError) as exc:
            logger.warning("topics: broker unavailable, %s left to manage.py tag_reviews: %s", what, exc)

    transaction.on_commit(kick, robust=True)


def _retag_on_commit(language: str, generation: int, what: str) -> None:
    """After an edit of ``language``'s lists that made ``generation``: its re-tag pass."""
    _queue_on_commit(lambda: phrase_lists_retag_task.delay(language, generation), what)


def review_changed_handle(fact: ReviewChanged) -> None:
    """In the transaction of the review's change (reviews.events.review_changed): a review
    published or edited is tagged by a task once the change commits; one unpublished loses
    its tags now."""
    if fact.change == ReviewChange.UNPUBLISHED:
        review_tags_remove(fact.review_id)
        return
    review_id = fact.review_id
    _queue_on_commit(lambda: review_tag_task.delay(review_id), f"tagging review {review_id}")


def _topic_of(topic: Topic | str) -> Topic:
    key = topic.key if isinstance(topic, Topic) else str(topic)
    if key == TopicKey.OTHER:
        message = _("“Other” has no phrases: it is a review that matches none of the other topics.")
        raise ValidationFailed(message, fields={"topic": message})
    found = Topic.objects.filter(key=key).first()
    if found is None:
        message = _("Choose a topic from the list.")
        raise ValidationFailed(message, fields={"topic": message})
    return found


def _language_checked(language: str) -> str:
    if language not in dict(TOPIC_LANGUAGES):
        message = _("Choose the phrase's language: English or French.")
        raise ValidationFailed(message, fields={"language": message})
    return language


# Invisible characters a phrase never needs (Unicode "format" characters: direction
# controls, zero-width ones, soft hyphens): it is matched by its words only.
_INVISIBLE_CATEGORY = "Cf"


def _invisible_message(text: str) -> str | None:
    """The project's text rule (core.text_safety) for a phrase, with its messages; then any
    other invisible character, even paired direction controls."""
    try:
        validate_display_text(text)
    except ValidationError as refused:
        return str(refused.messages[0])
    if any(unicodedata.category(char) == _INVISIBLE_CATEGORY for char in text):
        return _("This phrase contains an invisible character (a direction control or a soft hyphen): remove it.")
    return None


def _only_common_words(text: str, language: str) -> bool:
    """Made only of grammar words and negations ("the", "and", "it is", "le"): found in
    nearly every review, such a phrase would tag them all."""
    common = STOP_WORDS[language] - GENERIC_WORDS[language]
    words = [word for sentence in tokenize(text) for word in sentence]
    return bool(words) and all(word in common for word in words)


def _phrase_checked(phrase: str, language: str) -> tuple[str, str]:
    """The phrase as stored (spaces trimmed and single) and its stems, or a refusal."""
    text = " ".join((phrase or "").split())
    message = None
    stems = ""
    if not text:
        message = _("Write a phrase.")
    elif len(text) > PHRASE_MAX_LENGTH:
        message = _("A phrase has at most %(limit)d characters; this one has %(length)d.") % {
            "limit": PHRASE_MAX_LENGTH,
            "length": len(text),
        }
    elif (message := _invisible_message(text)) is not None:
        pass
    elif not (stems := phrase_stems(text, language)):
        message = _("A phrase needs at least one word: letters, not only numbers or punctuation.")
    elif phrase_sentences(text) > 1:
        message = _(
            "A phrase is found inside one sentence of a review: take out the punctuation or numbers between its words."
        )
    elif _only_common_words(text, language):
        message = _(
            "“%(phrase)s” is made only of words found in nearly every review (such as “the”, “and”, “le”): "
            "add a word that names the topic."
        ) % {"phrase": text}
    if message is not None:
        raise ValidationFailed(message, fields={"phrase": message})
    return text, stems


def _duplicate_message(text: str, existing: TopicPhrase) -> str:
    in_language = _("in English") if existing.language == "en" else _("in French")
    return _(
        "“%(phrase)s” reads the same as “%(existing)s”, already listed under “%(topic)s” %(in_language)s: "
        "a phrase finds one topic only."
    ) % {
        "phrase": text,
        "existing": existing.phrase,
        "topic": TopicKey(existing.topic.key).label,
        "in_language": in_language,
    }


def topic_phrase_add(topic: Topic | str, language: str, phrase: str, by: User | None) -> TopicPhrase:
    """Add ``phrase`` to ``topic``'s list in ``language`` ("en" or "fr"), on behalf of ``by``.

    Refused with a ValidationFailed (topic "other" or unknown, language, empty, too long, an
    invisible or direction-control character, no word, punctuation inside, only words found
    in nearly every review such as "the", "le") or a Conflict (a phrase with the same stems is listed in that
    language, under any topic), each with a message for the person and ``fields``. Once
    committed, a task re-tags that language's published reviews."""
    found_topic = _topic_of(topic)
    language = _language_checked(language)
    text, stems = _phrase_checked(phrase, language)
    existing = TopicPhrase.objects.select_related("topic").filter(language=language, stems=stems).first()
    if existing is not None:
        message = _duplicate_message(text, existing)
        raise Conflict(message, fields={"phrase": message}, code="duplicate_phrase")
    try:
        with transaction.atomic():
            created = TopicPhrase.objects.create(
                topic=found_topic, language=language, phrase=text, stems=stems, created_by=by
            )
            _retag_on_commit(language, phrase_lists_changed(language), f"re-tagging after adding {text!r}")
    except IntegrityError:  # the same stems added meanwhile by someone else
        existing = TopicPhrase.objects.select_related("topic").get(language=language, stems=stems)
        message = _duplicate_message(text, existing)
        raise Conflict(message, fields={"phrase": message}, code="duplicate_phrase") from None
    logger.info("topics: %s added %r (%s) to %s", by.pk if by else None, text, language, found_topic.key)
    return created


def topic_phrase_remove(phrase: TopicPhrase | int, by: User | None) -> None:
    """Remove a phrase from the lists, on behalf of ``by``. The tags it made keep the words
    they matched until a task, queued on commit, re-tags the language's published reviews
    (another phrase may still find the topic, and a shorter phrase of another topic it hid
    inside it now shows: "qualité" once "rapport qualité" is gone). NotFound when it is
    already gone."""
    phrase_id = phrase.pk if isinstance(phrase, TopicPhrase) else int(phrase)
    with transaction.atomic():
        # The row lock orders this after a tagging batch storing the phrase (topics.tags):
        # the delete then finds that batch's tags and clears their phrase.
        language = (
            TopicPhrase.objects.select_for_update().filter(pk=phrase_id).values_list("language", flat=True).first()
        )
        if language is None:
            raise NotFound(_("This phrase is no longer listed: someone removed it already."))
        TopicPhrase.objects.filter(pk=phrase_id).delete()
        _retag_on_commit(language, phrase_lists_changed(language), f"re-tagging after removing phrase {phrase_id}")
    logger.info("topics: %s removed phrase %s", by.pk if by else None, phrase_id)
