"""Thin Celery tasks of topics: each calls one service of topics.tags and is safe to repeat
(a repeated or late run writes the tags the lists give now, nothing twice).

topics.services queues them on commit; this module imports only topics.tags, never the
services (no import cycle)."""

from __future__ import annotations

from celery import shared_task

from core.db_unavailable import TASK_RETRY_ON_DATABASE_ERRORS
from topics.digest_tasks import team_digests_send  # noqa: F401
from topics.tags import review_tag, reviews_retag_language


@shared_task(name="topics.tasks.review_tag_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def review_tag_task(review_id: int) -> int:
    """A review was published or edited: its tags from its title and body (none if it is no
    longer published by the time this runs). Returns how many tags it has."""
    return len(review_tag(review_id))


@shared_task(name="topics.tasks.phrase_lists_retag_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def phrase_lists_retag_task(language: str, generation: int) -> int:
    """A phrase of ``language`` was added or removed, making the lists' ``generation``:
    re-tag that language's published reviews, unless a newer edit queued its own pass (this
    one then stops, at its start or between batches: topics.tags.reviews_retag_language).
    Returns how many reviews' tags changed."""
    return reviews_retag_language(language, generation=generation).changed


# The two tasks queued before the generation counter; kept so messages already in the queue
# when the code is upgraded still run.
@shared_task(name="topics.tasks.phrase_added_retag_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def phrase_added_retag_task(language: str) -> int:
    """A phrase was added to ``language``'s lists: re-tag that language's published reviews."""
    return reviews_retag_language(language).changed


@shared_task(name="topics.tasks.phrase_removed_retag_task", ignore_result=True, **TASK_RETRY_ON_DATABASE_ERRORS)
def phrase_removed_retag_task() -> int:
    """A phrase was removed (its language unknown): re-tag every published review."""
    return sum(reviews_retag_language(language).changed for language in ("en", "fr"))
