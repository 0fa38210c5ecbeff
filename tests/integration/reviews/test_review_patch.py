"""The author's PATCH /api/v1/reviews/{id}/ (issue 16): a field left out keeps the value
stored when the service locks the row, so an edit saved between the view's read and that
lock is never undone; an empty PATCH is refused and changes nothing; the site's edit form
(which sends every field) still works."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import MODERATOR, SHOPPER
from core.api_errors import error_body
from core.errors import ValidationFailed
from reviews.api import views as review_api_views
from reviews.events import ReviewChanged, review_changed
from reviews.models import ReasonCode, Review, ReviewStatus
from reviews.services import UNCHANGED, review_edit, review_reject, review_remove
from tests.care_factories import review_post
from tests.clients import api_as
from tests.factories import REVIEW_TEXT, product_create, user_create

pytestmark = pytest.mark.django_db

NOTHING_TO_CHANGE = "Send at least one field to change."
OTHER_TAB: dict[str, Any] = {
    "rating": 1,
    "title": "Edited in another tab",
    "body": "Changed elsewhere: " + REVIEW_TEXT,
    "language": "fr",
}
STORED_FIELDS = ("rating", "title", "body", "language", "recommend", "status", "updated_at")


@pytest.fixture(autouse=True)
def _published_at_once_and_no_limits(settings: Any) -> None:
    cache.clear()
    settings.REVIEWS_PREMODERATION = False
    settings.RATELIMIT_ENABLED = False


@pytest.fixture
def shopper() -> User:
    return user_create(SHOPPER)


@pytest.fixture
def review(shopper: User) -> Review:
    return review_post(product=product_create(), author=shopper, rating=4, recommend=7, title="First title")


@pytest.fixture
def heard() -> Iterator[list[ReviewChanged]]:
    facts: list[ReviewChanged] = []
    review_changed.subscribe(facts.append)
    yield facts
    review_changed.unsubscribe(facts.append)


def url_of(review: Review) -> str:
    return f"/api/v1/reviews/{review.pk}/"


def stored(review: Review) -> dict[str, Any]:
    return Review.objects.values(*STORED_FIELDS).get(pk=review.pk)


@pytest.mark.parametrize(
    "sent",
    [{"rating": 2}, {"title": "Sent by the PATCH"}, {"recommend": 3}],
    ids=["rating", "title", "recommend"],
)
def test_a_patch_keeps_an_edit_saved_after_the_view_read_the_review(
    review: Review, shopper: User, sent: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another edit (the site's form in another tab) is saved while the PATCH is between the
    view's read (get_object) and the service's lock: here, during the view's rate-limit call."""
    real_rate_limit = review_api_views.rate_limit_action
    edits_between: list[Review] = []

    def rate_limit_after_another_edit(request: Any, scope: str, **kwargs: Any) -> Any:
        fresh = Review.objects.get(pk=review.pk)
        edits_between.append(review_edit(review=fresh, author=shopper, **OTHER_TAB))
        return real_rate_limit(request, scope, **kwargs)

    monkeypatch.setattr(review_api_views, "rate_limit_action", rate_limit_after_another_edit)
    response = api_as(shopper).patch(url_of(review), sent, format="json")

    assert response.status_code == 200, response.content
    assert len(edits_between) == 1  # the other edit did happen in between
    expected = {**OTHER_TAB, "recommend": 7, **sent}
    assert Review.objects.values(*expected).get(pk=review.pk) == expected
    answer = response.json()
    assert {name: answer[name] for name in ("rating", "title", "body", "language")} == {
        name: expected[name] for name in ("rating", "title", "body", "language")
    }


def test_a_patch_of_only_the_rating_keeps_title_body_and_language(review: Review, shopper: User) -> None:
    before = stored(review)
    response = api_as(shopper).patch(url_of(review), {"rating": 5}, format="json")
    assert response.status_code == 200, response.content
    after = stored(review)
    assert after["rating"] == 5
    assert {name: after[name] for name in ("title", "body", "language", "recommend", "status")} == {
        name: before[name] for name in ("title", "body", "language", "recommend", "status")
    }


@pytest.mark.parametrize("body", [{}, {"author_name": "Not editable", "status": "published"}], ids=["empty", "unknown"])
def test_a_patch_without_a_field_to_change_is_refused_and_changes_nothing(
    review: Review, shopper: User, heard: list[ReviewChanged], settings: Any, body: dict[str, Any]
) -> None:
    settings.REVIEWS_PREMODERATION = True  # an edit would send the published review back to the moderators
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.PUBLISHED)
    before = stored(review)
    response = api_as(shopper).patch(url_of(review), body, format="json")
    assert response.status_code == 400
    assert response.json() == error_body("invalid", NOTHING_TO_CHANGE)
    assert stored(review) == before
    assert heard == []


def test_the_author_patches_their_pending_or_rejected_review_others_and_removed_ones_are_404(
    review: Review, shopper: User
) -> None:
    moderator = user_create(MODERATOR)
    review_reject(review=review, reason=ReasonCode.OFF_TOPIC, by=moderator)
    stranger = api_as(user_create(SHOPPER))
    assert stranger.patch(url_of(review), {"rating": 1}, format="json").status_code == 404

    edited = api_as(shopper).patch(url_of(review), {"rating": 3}, format="json")
    assert edited.status_code == 200, edited.content
    assert edited.json()["status"] == ReviewStatus.PENDING
    assert stranger.patch(url_of(review), {"rating": 1}, format="json").status_code == 404
    assert api_as(shopper).patch(url_of(review), {"rating": 2}, format="json").status_code == 200

    review_remove(review=review, reason=ReasonCode.SPAM, by=moderator)
    assert api_as(shopper).patch(url_of(review), {"rating": 5}, format="json").status_code == 404
    assert Review.objects.values_list("rating", "status").get(pk=review.pk) == (2, ReviewStatus.REMOVED)


def test_the_site_edit_form_still_changes_every_field(review: Review, shopper: User) -> None:
    client = Client()
    client.force_login(shopper)
    form = {"rating": "3", "title": "Changed on the site", "body": "Site: " + REVIEW_TEXT, "language": "fr"}
    response = client.post(reverse("review_edit", kwargs={"pk": review.pk}), {**form, "recommend": "9"})
    assert response.status_code == 302
    assert Review.objects.values("rating", "title", "body", "language", "recommend").get(pk=review.pk) == {
        "rating": 3,
        "title": "Changed on the site",
        "body": "Site: " + REVIEW_TEXT,
        "language": "fr",
        "recommend": 9,
    }


def test_the_service_validates_the_resolved_values(review: Review, shopper: User) -> None:
    """Fields left UNCHANGED come from the locked row and pass; only what is given is at fault."""
    with pytest.raises(ValidationFailed) as refused:
        review_edit(review=review, author=shopper, rating=9, title=UNCHANGED, body=UNCHANGED, language=UNCHANGED)
    assert set(refused.value.fields) == {"rating"}
    with pytest.raises(ValidationFailed) as refused:
        review_edit(review=review, author=shopper, rating=UNCHANGED, title=UNCHANGED, body="Short", language="xx")
    assert set(refused.value.fields) == {"body", "language"}
    assert stored(review)["title"] == "First title"
