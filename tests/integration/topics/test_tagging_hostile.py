"""Topic tagging under a hostile review (issue 17): the lists edited while a pass runs, a
removal that uncovers a phrase it hid, edits in a row coalesced into one pass, phrases made of
invisible characters or of words every review has, and the command's bounds."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.roles import QUALITY_DIRECTOR
from config.celery_app import app as celery_app
from core.commands import BAD_INPUT
from core.errors import ValidationFailed
from reviews.models import Review
from tests.factories import product_create, user_create
from tests.integration.desk.factories import add_review
from topics import tags as tags_module
from topics.models import ReviewTopic, Topic, TopicPhrase
from topics.services import review_tag, topic_phrase_add, topic_phrase_remove
from topics.tags import TagSummary, phrase_lists_generation, reviews_retag_language, reviews_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def celery_eager() -> Iterator[None]:
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


def tags_of(review: Review) -> list[tuple[str, str]]:
    return sorted(
        (tag.topic.key, tag.matched) for tag in ReviewTopic.objects.filter(review=review).select_related("topic")
    )


def test_a_phrase_removed_while_a_pass_runs_is_never_written() -> None:
    TopicPhrase.objects.filter(language="en").delete()
    product = product_create()
    first = add_review(product, rating=2, text="The parcel was crushed.")
    second = add_review(product, rating=2, text="Parcel crushed again.")
    parcel = topic_phrase_add(topic="delivery", language="en", phrase="parcel", by=None)

    def director_removes_it_meanwhile(done: int, total: int) -> None:
        if done == 1:
            topic_phrase_remove(parcel, by=None)

    # The pass read the lists (with "parcel") before the removal: it used to fail on the
    # foreign key when writing the second batch.
    summary = reviews_tag([first.pk, second.pk], batch_size=1, progress=director_removes_it_meanwhile)
    assert (summary.reviews, summary.batches) == (2, 2)
    assert tags_of(second) == [("other", "")]
    assert ReviewTopic.objects.get(review=first).phrase_id is None  # cleared by the removal
    connection.check_constraints()  # what a commit checks: no tag points at a removed phrase


def test_a_review_tagged_with_lists_read_before_a_removal_skips_the_removed_phrase() -> None:
    product = product_create()
    review = add_review(product, rating=2, title="Late", text="The parcel was torn.")
    parcel = TopicPhrase.objects.get(language="en", phrase="parcel")
    stale = [*tags_module.listed_phrases()]
    topic_phrase_remove(parcel, by=None)
    assert any(phrase.phrase_id == parcel.pk for phrase in stale)
    with mock.patch.object(tags_module, "listed_phrases", return_value=stale):
        review_tag(review.pk)  # used to store a tag whose phrase no longer exists
    assert tags_of(review) == [("quality", "torn")]
    assert not ReviewTopic.objects.filter(phrase_id=parcel.pk).exists()


def test_removing_a_longer_phrase_retags_the_shorter_one_it_hid(
    celery_eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    product = product_create()
    review = add_review(product, rating=4, language="fr", title="Bien", text="Bon rapport qualité prix.")
    reviews_tag([review.pk])
    assert tags_of(review) == [("price", "rapport qualité")]  # "qualité" hidden inside it
    with django_capture_on_commit_callbacks(execute=True):
        topic_phrase_remove(TopicPhrase.objects.get(language="fr", phrase="rapport qualité"), by=None)
    assert tags_of(review) == [("price", "prix"), ("quality", "qualité")]


def test_edits_in_a_row_cost_one_pass(celery_eager: None, django_capture_on_commit_callbacks: Any) -> None:
    product = product_create()
    for number in range(40):
        add_review(product, rating=3, text=f"Review number {number}, the tent was dented.")
    queued: list[Callable[[], object]] = []
    for phrase in ("delayed", "slow", "crushed", "dented", "missing"):
        with django_capture_on_commit_callbacks() as callbacks:
            topic_phrase_add(topic="quality", language="en", phrase=phrase, by=None)
        queued.extend(callbacks)
    assert phrase_lists_generation("en") == 5
    summaries: list[TagSummary] = []
    real = tags_module.reviews_tag

    def recorded(*args: Any, **kwargs: Any) -> TagSummary:
        summaries.append(real(*args, **kwargs))
        return summaries[-1]

    with mock.patch.object(tags_module, "reviews_tag", recorded):
        for queue in queued:  # the worker catches up: five tasks, one for each edit
            queue()
    assert [(summary.reviews, summary.superseded) for summary in summaries] == [(0, True)] * 4 + [(40, False)]
    assert ReviewTopic.objects.filter(topic__key="quality", matched="dented").count() == 40


def test_a_pass_gives_way_between_batches_to_a_newer_edit() -> None:
    product = product_create()
    for _number in range(3):
        add_review(product, rating=3, text="It arrived.")
    generation = phrase_lists_generation("en")

    def director_edits_meanwhile(done: int, total: int) -> None:
        if done == 1:
            topic_phrase_add(topic="quality", language="en", phrase="wobbly", by=None)

    summary = reviews_retag_language("en", generation=generation, batch_size=1, progress=director_edits_meanwhile)
    assert (summary.reviews, summary.batches, summary.superseded) == (1, 1, True)
    assert phrase_lists_generation("en") == generation + 1


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("\u202edelayed", "This text contains a direction control character"),
        ("late\u2066", "This text contains a direction control character"),
        ("dela\u200byed", "This text contains an invisible character (a zero-width space"),
        ("\u202adelayed\u202c", "This phrase contains an invisible character (a direction control"),
        ("dela\u00adyed", "This phrase contains an invisible character (a direction control or a soft hyphen)"),
    ],
)
def test_a_phrase_with_an_invisible_character_is_refused(phrase: str, message: str) -> None:
    before = TopicPhrase.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        topic_phrase_add(topic="delivery", language="en", phrase=phrase, by=None)
    assert str(refused.value).startswith(message)
    assert refused.value.fields == {"phrase": [str(refused.value)]}  # shown beside the input
    assert TopicPhrase.objects.count() == before


@pytest.mark.parametrize(("phrase", "language"), [("the", "en"), ("and", "en"), ("It is", "en"), ("le", "fr")])
def test_a_phrase_of_words_every_review_has_is_refused(phrase: str, language: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        topic_phrase_add(topic="delivery", language=language, phrase=phrase, by=None)
    assert str(refused.value) == (
        f"“{phrase}” is made only of words found in nearly every review (such as “the”, “and”, “le”): "
        "add a word that names the topic."
    )
    assert not TopicPhrase.objects.filter(phrase=phrase).exists()


def test_the_phrase_page_refuses_an_invisible_character(client: Client) -> None:
    client.force_login(user_create(QUALITY_DIRECTOR))
    response = client.post(
        reverse("desk:topic_phrases"),
        {"topic": Topic.objects.get(key="delivery").pk, "language": "en", "phrase": "\u202edelayed"},
    )
    assert response.status_code == 400
    assert not TopicPhrase.objects.filter(phrase__contains="delayed").exists()


@pytest.mark.parametrize("size", ["100001", "100000000000000000000", "9223372036854775808"])
def test_the_command_bounds_the_batch_size(size: str) -> None:
    with pytest.raises(
        CommandError, match=f"--batch-size must be a whole number from 1 to 100,000, got {size}"
    ) as refused:
        call_command("tag_reviews", "--batch-size", size)
    assert refused.value.returncode == BAD_INPUT


def test_the_revised_defaults_replace_the_dropped_ones_and_keep_a_directors_own() -> None:
    director = user_create(QUALITY_DIRECTOR)
    TopicPhrase.objects.filter(phrase__in=["ripped", "est arrivé"]).delete()
    delivery = Topic.objects.get(key="delivery")
    TopicPhrase.objects.create(topic=delivery, language="en", phrase="package", stems="packag")
    TopicPhrase.objects.create(topic=delivery, language="fr", phrase="arrivé", stems="arriv", created_by=director)
    revised = importlib.import_module("topics.migrations.0005_default_phrases_revised")
    for _run in range(2):  # idempotent
        revised.seed(apps, None)
        assert not TopicPhrase.objects.filter(language="en", phrase="package").exists()
        assert TopicPhrase.objects.filter(language="fr", phrase="arrivé", created_by=director).exists()
        assert TopicPhrase.objects.filter(language="en", phrase="ripped").count() == 1
        assert TopicPhrase.objects.filter(language="fr", phrase="est arrivé").count() == 1
