"""Topic tagging stored (issue 17, item 1): a review is tagged by a task queued when its
publication commits, again when edited, untagged when unpublished; imported history only by
``manage.py tag_reviews``, which streams in batches and is idempotent; the lists' edits are
validated with clear messages and re-tag the reviews they change, through a task."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import QUALITY_DIRECTOR
from config.celery_app import app as celery_app
from core.commands import BAD_INPUT
from core.errors import Conflict, NotFound, ValidationFailed
from reviews.models import Review
from reviews.services import UNCHANGED, review_edit, review_remove
from tests.care_factories import review_post
from tests.factories import product_create, user_create
from topics.models import ReviewTopic, TopicPhrase
from topics.services import review_tag, topic_phrase_add, topic_phrase_remove

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _published_at_once(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False


@pytest.fixture
def celery_eager() -> Iterator[None]:
    """Tasks run in-process when queued (the project's app setting, as the notifications
    tests switch it: Celery read Django's setting once, at start)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


def tags_of(review: Review) -> list[tuple[str, str | None, str, bool]]:
    """(topic, listed phrase, words matched, negated), in the topics' order."""
    return [
        (tag.topic.key, tag.phrase.phrase if tag.phrase else None, tag.matched, tag.negated)
        for tag in ReviewTopic.objects.filter(review=review)
        .select_related("topic", "phrase")
        .order_by("topic__position")
    ]


def test_publication_tags_the_review_through_a_task_once_committed(
    celery_eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        review = review_post(rating=2, title="Arrived late", body="The tent is not comfortable at all.")
        assert ReviewTopic.objects.filter(review=review).count() == 0  # nothing before the commit
    assert len(callbacks) >= 1
    assert tags_of(review) == [
        ("delivery", "arrived late", "arrived late", False),
        ("size", "comfortable", "comfortable", True),
    ]


def test_an_edit_retags_and_unpublishing_removes_the_tags(
    celery_eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review = review_post(rating=2, title="Arrived late", body="Not what I expected from the shop.")
    assert [tag[0] for tag in tags_of(review)] == ["delivery"]
    with django_capture_on_commit_callbacks(execute=True):
        review_edit(
            review=review,
            author=review.author,
            rating=UNCHANGED,
            title="Le zip a cassé",
            body="Au bout d'une semaine, et la notice est illisible.",
            language="fr",
        )
    assert tags_of(review) == [("quality", "cassé", "cassé", False), ("setup", "notice", "notice", False)]

    # Unpublished: the tags go in the change's own transaction, no task needed.
    with django_capture_on_commit_callbacks(execute=False):
        review_remove(review=review, reason="spam", by=user_create(QUALITY_DIRECTOR))
    assert tags_of(review) == []
    # A late task (queued before the removal) writes nothing for an unpublished review.
    assert review_tag(review.pk) == []
    assert tags_of(review) == []


def test_tagging_again_changes_nothing(celery_eager: None, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        review = review_post(rating=5, title="Lovely colour", body="My daughter adores it, she wears it daily.")
    [tag] = ReviewTopic.objects.filter(review=review)
    assert (tag.topic.key, tag.phrase_id, tag.matched) == ("other", None, "")
    again = review_tag(review.pk)
    assert [(t.pk, t.tagged_at) for t in again] == [(tag.pk, tag.tagged_at)]


def _write_history(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["review_id", "product_id", "rating", "created_at", "title", "text", "language"])
        for number, (title, text, language) in enumerate(rows, start=1):
            writer.writerow([f"h{number}", "HIST-1", 3, f"2025-01-{number:02d}", title, text, language])
    return path


HISTORY = [
    ("Parcel arrived torn", "", "en"),
    ("Colis arrivé en retard", "", "fr"),
    ("Great", "Comfortable and warm.", "en"),
    ("Bof", "Trop cher pour ce que c'est", "fr"),
    ("Fine", "Nothing to say.", "en"),
]


def test_imported_history_is_tagged_by_the_command_only_in_batches_and_idempotently(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call_command(
            "import_reviews", str(_write_history(tmp_path / "r.csv", HISTORY)), "--create-products", verbosity=0
        )
    assert Review.objects.published().count() == len(HISTORY)
    assert callbacks == []  # an import queues nothing
    assert ReviewTopic.objects.count() == 0

    err = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("tag_reviews", "--batch-size", "2", stderr=err, verbosity=2)
    assert "tagged 2 of 5 reviews" in err.getvalue()
    assert "tag_reviews: 5 reviews read in 3 batches, 5 with new tags" in err.getvalue()
    # Streamed: every read of review rows is bounded by the batch (LIMIT 2, or 2 ids), and
    # the queries grow with the batches, not the reviews.
    review_reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "reviews_review"' in q["sql"]]
    assert review_reads and all("LIMIT 2" in sql or "COUNT(" in sql or "IN (" in sql for sql in review_reads)
    assert len(queries) <= 4 + 8 * 3
    by_title = {review.title: tags_of(review) for review in Review.objects.all()}
    assert by_title == {
        "Parcel arrived torn": [("delivery", "parcel", "parcel", False), ("quality", "torn", "torn", False)],
        "Colis arrivé en retard": [("delivery", "colis", "colis", False)],
        "Great": [("size", "comfortable", "comfortable", False)],
        "Bof": [("price", "cher", "cher", False)],
        "Fine": [("other", None, "", False)],
    }

    stamps = sorted(ReviewTopic.objects.values_list("pk", "tagged_at"))
    err = io.StringIO()
    call_command("tag_reviews", stderr=err, verbosity=1)
    assert "tag_reviews: 0 reviews read in 0 batches, 0 with new tags" in err.getvalue()
    err = io.StringIO()
    call_command("tag_reviews", "--all", stderr=err, verbosity=1)
    assert "tag_reviews: 5 reviews read in 1 batches, 0 with new tags" in err.getvalue()
    assert sorted(ReviewTopic.objects.values_list("pk", "tagged_at")) == stamps


def test_the_command_refuses_a_bad_batch_size_and_empty_lists() -> None:
    with pytest.raises(CommandError, match="--batch-size must be a whole number from 1 to 100,000, got 0") as refused:
        call_command("tag_reviews", "--batch-size", "0")
    assert refused.value.returncode == BAD_INPUT
    TopicPhrase.objects.all().delete()
    with pytest.raises(CommandError, match="the phrase lists are empty") as refused:
        call_command("tag_reviews")
    assert refused.value.returncode == BAD_INPUT


@pytest.mark.parametrize(
    ("topic", "language", "phrase", "error", "message"),
    [
        ("quality", "en", "   ", ValidationFailed, "Write a phrase."),
        ("quality", "en", "x" * 81, ValidationFailed, "A phrase has at most 80 characters; this one has 81."),
        ("quality", "en", "42 !", ValidationFailed, "A phrase needs at least one word: letters, not only numbers"),
        ("quality", "en", "late, broken", ValidationFailed, "A phrase is found inside one sentence of a review"),
        ("other", "en", "meh", ValidationFailed, "“Other” has no phrases"),
        ("weather", "en", "rain", ValidationFailed, "Choose a topic from the list."),
        ("quality", "de", "kaputt", ValidationFailed, "Choose the phrase's language: English or French."),
        (
            "quality",
            "en",
            "Delivering",
            Conflict,
            "“Delivering” reads the same as “delivered”, already listed under “Delivery” in English: "
            "a phrase finds one topic only.",
        ),
        (
            "price",
            "fr",
            "livrées",
            Conflict,
            "“livrées” reads the same as “livré”, already listed under “Delivery” in French",
        ),
    ],
)
def test_adding_a_phrase_is_refused_with_a_clear_message(
    topic: str, language: str, phrase: str, error: type[Exception], message: str
) -> None:
    before = TopicPhrase.objects.count()
    with pytest.raises(error) as refused:
        topic_phrase_add(topic, language, phrase, user_create(QUALITY_DIRECTOR))
    assert str(refused.value).startswith(message)
    assert refused.value.fields  # type: ignore[attr-defined]  # shown beside the form's input
    assert TopicPhrase.objects.count() == before


def test_adding_and_removing_phrases_retag_the_reviews_they_change(
    celery_eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    director = user_create(QUALITY_DIRECTOR)
    product = product_create()
    with django_capture_on_commit_callbacks(execute=True):
        wobbly = review_post(product=product, title="Wobbly legs", body="The frame wobbles when you sit down.")
        parcel = review_post(product=product, title="Good", body="The parcel was opened but everything arrived.")
        french = review_post(product=product, language="fr", title="Ça tangue", body="Le cadre wobbles un peu.")
    assert tags_of(wobbly) == [("other", None, "", False)]
    french_stamp = ReviewTopic.objects.get(review=french).tagged_at

    with django_capture_on_commit_callbacks(execute=True):
        added = topic_phrase_add("quality", "en", "  wobbles ", director)
        assert tags_of(wobbly) == [("other", None, "", False)]  # re-tagged after the commit, by the task
    assert (added.phrase, added.stems, added.created_by) == ("wobbles", "wobbl", director)
    assert tags_of(wobbly) == [("quality", "wobbles", "wobbly", False)]
    assert tags_of(french) == [("other", None, "", False)]  # another language's lists
    assert ReviewTopic.objects.get(review=french).tagged_at == french_stamp

    assert tags_of(parcel) == [("delivery", "parcel", "parcel", False)]
    with django_capture_on_commit_callbacks(execute=True):
        topic_phrase_remove(TopicPhrase.objects.get(language="en", phrase="parcel"), director)
    assert tags_of(parcel) == [("delivery", "arrived", "arrived", False)]  # another phrase still finds it
    with django_capture_on_commit_callbacks(execute=True):
        topic_phrase_remove(added, director)
    assert tags_of(wobbly) == [("other", None, "", False)]

    with pytest.raises(NotFound) as gone:
        topic_phrase_remove(added.pk, director)
    assert gone.value.message == "This phrase is no longer listed: someone removed it already."
