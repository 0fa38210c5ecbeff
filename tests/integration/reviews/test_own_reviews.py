"""Nobody reports their own review, and nobody moderates it (issue 13): the same service
answers the site, the API and the desk."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.roles import MODERATOR, SHOPPER
from core.errors import NotAllowed
from desk.selectors import moderation_pending, moderation_reported
from desk.services import moderation_approve, moderation_bulk, moderation_reject
from reviews.models import Review, ReviewReport, ReviewStatus
from reviews.reactions import review_report, review_report_handle
from reviews.services import review_publish, review_reject, review_remove, review_submit
from tests.factories import REVIEW_TEXT, product_create, user_create

pytestmark = pytest.mark.django_db

OWN_REPORT_MESSAGE = "You cannot report your own review: edit or delete it instead."
OWN_MODERATION_MESSAGE = "You wrote this review, so another moderator must decide on it."


@pytest.fixture(autouse=True)
def _published_at_once(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False


def submit(author: Any, **extra: Any) -> Review:
    return review_submit(
        product=product_create(), author=author, rating=2, title="Meh", body=REVIEW_TEXT, language="en", **extra
    )


# --- Reports -------------------------------------------------------------------------------


def test_the_service_refuses_a_report_of_ones_own_review() -> None:
    author = user_create(SHOPPER)
    review = submit(author)
    with pytest.raises(NotAllowed) as refused:
        review_report(review=review, reporter=author, reason="spam")
    assert (refused.value.code, refused.value.message) == ("own_review", OWN_REPORT_MESSAGE)
    assert not ReviewReport.objects.exists()


def test_the_site_refuses_a_report_of_ones_own_review(client: Any) -> None:
    author = user_create(SHOPPER)
    review = submit(author)
    client.force_login(author)
    response = client.post(reverse("review_report", args=[review.pk]), {"reason": "spam", "comment": ""})
    assert response.status_code == 403  # as the API answers
    assert OWN_REPORT_MESSAGE in response.content.decode()
    assert not ReviewReport.objects.exists()


def test_the_api_refuses_a_report_of_ones_own_review() -> None:
    author = user_create(SHOPPER)
    review = submit(author)
    client = APIClient()
    client.force_login(author)
    response = client.post(f"/api/v1/reviews/{review.pk}/reports/", {"reason": "spam"}, format="json")
    assert response.status_code == 403, response.content
    assert (response.json()["error"]["code"], response.json()["error"]["message"]) == (
        "own_review",
        OWN_REPORT_MESSAGE,
    )
    assert not ReviewReport.objects.exists()


def test_someone_else_may_still_report_it() -> None:
    review = submit(user_create(SHOPPER))
    report = review_report(review=review, reporter=user_create(SHOPPER), reason="spam")
    assert report.review_id == review.pk


# --- Moderation ----------------------------------------------------------------------------


def test_a_moderator_cannot_keep_their_own_reported_review_published() -> None:
    """The case found: a moderator kept their own reported review published."""
    moderator = user_create(MODERATOR)
    review = submit(moderator)
    review_report(review=review, reporter=user_create(SHOPPER), reason="fake")
    with pytest.raises(NotAllowed) as refused:
        moderation_approve(review=review, by=moderator)
    assert refused.value.message == OWN_MODERATION_MESSAGE
    assert ReviewReport.objects.get().handled_at is None
    with pytest.raises(NotAllowed):
        moderation_reject(review=review, reason="fake", by=moderator)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


def test_a_moderator_cannot_release_their_own_pending_review(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = True
    moderator = user_create(MODERATOR)
    review = submit(moderator)
    assert review.status == ReviewStatus.PENDING
    with pytest.raises(NotAllowed) as refused:
        moderation_approve(review=review, by=moderator)
    assert refused.value.message == OWN_MODERATION_MESSAGE
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    # Another moderator may.
    assert moderation_approve(review=review, by=user_create(MODERATOR)).status == ReviewStatus.PUBLISHED


@pytest.mark.parametrize("action", ["publish", "reject", "remove", "close_report"])
def test_no_review_service_lets_the_author_judge_their_review(settings: Any, action: str) -> None:
    settings.REVIEWS_PREMODERATION = True
    moderator = user_create(MODERATOR)
    review = submit(moderator)
    with pytest.raises(NotAllowed) as refused:
        if action == "publish":
            review_publish(review=review, by=moderator)
        elif action == "reject":
            review_reject(review=review, reason="spam", by=moderator)
        elif action == "remove":
            review_remove(review=review, reason="spam", by=moderator)
        else:
            report = ReviewReport.objects.create(
                review=review, reporter=user_create(SHOPPER), reason="spam", created_at=review.created_at
            )
            review_report_handle(report=report, by=moderator)
    assert refused.value.code == "own_review"
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


def test_the_desk_queue_leaves_ones_own_reviews_to_others_and_refuses_them_in_bulk(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = True
    moderator = user_create(MODERATOR)
    own = submit(moderator)
    other = submit(user_create(SHOPPER))
    assert list(moderation_pending(user=moderator)) == [other]
    result = moderation_bulk(review_ids=[own.pk, other.pk], action="approve", by=moderator)
    assert result.done == [other.pk]
    assert result.skipped == [(own.pk, OWN_MODERATION_MESSAGE)]


def test_the_desk_page_says_why_ones_own_review_was_not_changed(client: Any) -> None:
    moderator = user_create(MODERATOR)
    review = submit(moderator)
    review_report(review=review, reporter=user_create(SHOPPER), reason="fake")
    assert list(moderation_reported(user=moderator)) == []
    client.force_login(moderator)
    response = client.post(
        reverse("desk:moderation_decide"), {"reviews": [review.pk], "decision": f"approve:{review.pk}"}, follow=True
    )
    assert f"Review {review.pk} was not changed: {OWN_MODERATION_MESSAGE}" in response.content.decode()
    assert ReviewReport.objects.get().handled_at is None
