from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import SHOPPER
from gate.services import improvement_log
from reviews.models import ReasonCode, Review, ReviewReport, ReviewSource, ReviewStatus, ReviewVote
from reviews.reactions import brand_reply_post
from reviews.services import review_remove
from tests.api.conftest import ACTORS, error_of

pytestmark = pytest.mark.django_db

GOOD_REVIEW = {
    "rating": 4,
    "title": "Light and grippy",
    "body": "Did 300 km on wet trails, still fine.",
    "language": "en",
}


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- Reading --------------------------------------------------------------------------------
def test_lists_only_published_reviews_with_brand_reply_and_previous_version_mark(
    actors: dict[str, Any], write_review: Callable[..., Any], settings: Any
) -> None:
    product = actors["product"]
    old = write_review(product, 2)
    brand_reply_post(review=old, author=actors["manager"], body="Fixed in the new version.")
    removed = write_review(product, 1)
    review_remove(review=removed, reason=ReasonCode.SPAM, by=actors["quality_director"])
    improvement_log(product=product, by=actors["manager"], description="New outsole")
    new = write_review(product, 5)
    settings.REVIEWS_PREMODERATION = True
    pending = write_review(product, 3)
    assert pending.status == ReviewStatus.PENDING

    rows = APIClient().get("/api/v1/products/P1/reviews/").json()["results"]

    assert [row["id"] for row in rows] == [new.pk, old.pk]
    newer, older = rows
    assert older["about_previous_version"] is True and newer["about_previous_version"] is False
    assert older["brand_reply"]["body"] == "Fixed in the new version."
    assert newer["brand_reply"] is None
    assert newer["product"] == "P1"
    assert "status" not in newer and "author" not in newer


def test_review_detail_shows_a_published_review_and_hides_others(
    actors: dict[str, Any], write_review: Callable[..., Any], settings: Any
) -> None:
    review = write_review(actors["product"], 4)
    assert APIClient().get(f"/api/v1/reviews/{review.pk}/").json()["rating"] == 4
    settings.REVIEWS_PREMODERATION = True
    pending = write_review(actors["product"], 3)
    response = APIClient().get(f"/api/v1/reviews/{pending.pk}/")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("bad_id", ["abc", "0", "-1", "99999999999999999999999", "1.5", "%C2%B2"])
def test_impossible_review_ids_are_404_not_errors(actors: dict[str, Any], bad_id: str) -> None:
    response = APIClient().get(f"/api/v1/reviews/{bad_id}/")
    assert response.status_code == 404
    error_of(response)


@pytest.mark.parametrize("actor", ACTORS)
def test_everyone_reads_published_reviews(
    client_as: Callable[[str], APIClient], write_review: Callable[..., Any], actors: dict[str, Any], actor: str
) -> None:
    review = write_review(actors["product"], 4)
    client = client_as(actor)
    assert ids(client.get("/api/v1/products/P1/reviews/")) == [review.pk]
    assert client.get(f"/api/v1/reviews/{review.pk}/").status_code == 200


def test_reviews_of_an_unknown_product_are_404(actors: dict[str, Any]) -> None:
    response = APIClient().get("/api/v1/products/NOPE/reviews/")
    assert response.status_code == 404
    error_of(response)


@pytest.fixture
def varied(actors: dict[str, Any], write_review: Callable[..., Any]) -> dict[str, Review]:
    product = actors["product"]
    start = timezone.now() - timedelta(days=10)
    reviews = {
        "a": write_review(product, 5, now=start),
        "b": write_review(product, 4, now=start + timedelta(days=1), language="fr"),
        "c": write_review(product, 1, now=start + timedelta(days=2)),
        "d": write_review(product, 5, now=start + timedelta(days=3), language="fr"),
    }
    # Verified by the rule (reviews.verified) in life; only the filter is tested here.
    Review.objects.filter(pk__in=[reviews["a"].pk, reviews["d"].pk]).update(verified_purchase=True)
    Review.objects.filter(pk=reviews["c"].pk).update(helpful_yes=7)
    Review.objects.filter(pk=reviews["b"].pk).update(helpful_yes=3)
    return reviews


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "dcba"),
        ("stars=5", "da"),
        ("stars=5&stars=1", "dca"),
        ("verified=true", "da"),
        ("verified=false", "cb"),
        ("language=fr", "db"),
        ("ordering=created_at", "abcd"),
        ("ordering=rating", "cbad"),
        ("ordering=-helpful", "cbad"),
        ("current_revision=true", "dcba"),
        ("current_revision=false", ""),
    ],
)
def test_review_filters_and_ordering(varied: dict[str, Review], query: str, expected: str) -> None:
    assert ids(APIClient().get(f"/api/v1/products/P1/reviews/?{query}")) == [varied[k].pk for k in expected]


def test_created_after_and_before_bound_the_list(varied: dict[str, Review]) -> None:
    after = varied["b"].created_at.isoformat().replace("+", "%2B")
    before = varied["d"].created_at.isoformat().replace("+", "%2B")
    url = f"/api/v1/products/P1/reviews/?created_after={after}&created_before={before}"
    assert ids(APIClient().get(url)) == [varied["c"].pk, varied["b"].pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("stars=6", "stars"),
        ("stars=x", "stars"),
        ("verified=yes%20please", "verified"),
        ("language=de", "language"),
        ("created_after=last%20week", "created_after"),
        ("created_before=10000-01-01", "created_before"),
        ("ordering=author", "ordering"),
        ("page=-2", "page"),
    ],
)
def test_bad_review_filters_are_400(varied: dict[str, Review], query: str, field: str) -> None:
    response = APIClient().get(f"/api/v1/products/P1/reviews/?{query}")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == [field]


@pytest.mark.usefixtures("bursts_off")  # many reviews of one product within a day
def test_review_list_runs_a_fixed_number_of_queries(
    actors: dict[str, Any], write_review: Callable[..., Any], django_assert_max_num_queries: Any
) -> None:
    client = APIClient()
    first = write_review(actors["product"], 4)
    brand_reply_post(review=first, author=actors["manager"], body="Thanks!")
    client.get("/api/v1/products/P1/reviews/")
    # 3 for the data (product, count, page with product and reply joined); the rest is the throttle.
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/products/P1/reviews/")
    for _ in range(20):
        review = write_review(actors["product"], 3)
        brand_reply_post(review=review, author=actors["manager"], body="Thanks!")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/products/P1/reviews/").json()["results"]) == 21


# --- Writing --------------------------------------------------------------------------------
@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_post_a_review(actors: dict[str, Any], client_as: Callable[[str], APIClient], actor: str) -> None:
    response = client_as(actor).post("/api/v1/products/P1/reviews/", GOOD_REVIEW, format="json")
    # P1's manager, and their keys, may not review the product they manage (issue 13).
    expected = {"anonymous": 401, "key_read": 403, "manager": 403, "key_read_write": 403}.get(actor, 201)
    assert response.status_code == expected, response.content
    if expected != 201:
        error = error_of(response)
        if actor in ("manager", "key_read_write"):
            assert error["code"] == "own_product"
        assert not Review.objects.exists()
        return
    body = response.json()
    review = Review.objects.get(pk=body["id"])
    author = actors["manager"] if actor.startswith("key_") else actors[actor]
    assert review.author == author
    assert review.source == ReviewSource.API
    assert review.verified_purchase is False
    assert body["status"] == "published"
    # Staff write employee reviews (labelled, never counted).
    assert body["employee"] is review.employee is (actor in ("other_manager", "quality_director"))
    assert response["Location"].endswith(f"/api/v1/reviews/{review.pk}/")


def test_anonymous_post_says_how_to_authenticate(actors: dict[str, Any]) -> None:
    response = APIClient().post("/api/v1/products/P1/reviews/", GOOD_REVIEW, format="json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Api-Key")
    assert error_of(response)["code"] == "not_authenticated"


def test_second_review_of_the_same_revision_is_409(
    actors: dict[str, Any], client_as: Callable[[str], APIClient]
) -> None:
    client = client_as("shopper")
    assert client.post("/api/v1/products/P1/reviews/", GOOD_REVIEW, format="json").status_code == 201
    response = client.post("/api/v1/products/P1/reviews/", GOOD_REVIEW, format="json")
    assert response.status_code == 409
    assert error_of(response)["code"] == "duplicate_review"


def test_with_premoderation_a_posted_review_is_pending(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], settings: Any
) -> None:
    settings.REVIEWS_PREMODERATION = True
    response = client_as("shopper").post("/api/v1/products/P1/reviews/", GOOD_REVIEW, format="json")
    assert response.json()["status"] == "pending"


def test_language_defaults_to_the_authors(actors: dict[str, Any], client_as: Callable[[str], APIClient]) -> None:
    actors["shopper"].language = "fr"
    actors["shopper"].save()
    body = {k: v for k, v in GOOD_REVIEW.items() if k != "language"}
    response = client_as("shopper").post("/api/v1/products/P1/reviews/", body, format="json")
    assert response.json()["language"] == "fr"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rating": 6}, "rating"),
        ({"rating": "five"}, "rating"),
        ({"rating": None}, "rating"),
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"body": "Too short."}, "body"),
        ({"language": "de"}, "language"),
    ],
)
def test_invalid_reviews_are_400_naming_the_field(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], change: dict[str, Any], field: str
) -> None:
    response = client_as("shopper").post("/api/v1/products/P1/reviews/", {**GOOD_REVIEW, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in error_of(response)["fields"]


def test_malformed_json_is_400(actors: dict[str, Any], client_as: Callable[[str], APIClient]) -> None:
    response = client_as("shopper").post(
        "/api/v1/products/P1/reviews/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_session_writes_need_the_csrf_token(actors: dict[str, Any]) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(actors["shopper"])
    response = client.post("/api/v1/products/P1/reviews/", GOOD_REVIEW, format="json")
    assert response.status_code == 403
    assert "CSRF" in error_of(response)["message"]


# --- Votes and reports ------------------------------------------------------------------------
@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_vote(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], write_review: Callable[..., Any], actor: str
) -> None:
    review = write_review(actors["product"], 4)
    response = client_as(actor).post(f"/api/v1/reviews/{review.pk}/votes/", {"helpful": True}, format="json")
    expected = {"anonymous": 401, "key_read": 403}.get(actor, 200)
    assert response.status_code == expected, response.content
    if expected == 200:
        assert response.json() == {"review": review.pk, "helpful": True, "helpful_yes": 1, "helpful_no": 0}
    else:
        error_of(response)


def test_a_vote_can_be_changed_but_not_cast_on_ones_own_review(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], write_review: Callable[..., Any]
) -> None:
    review = write_review(actors["product"], 4)
    client = client_as("shopper")
    client.post(f"/api/v1/reviews/{review.pk}/votes/", {"helpful": True}, format="json")
    body = client.post(f"/api/v1/reviews/{review.pk}/votes/", {"helpful": False}, format="json").json()
    assert (body["helpful_yes"], body["helpful_no"]) == (0, 1)
    assert ReviewVote.objects.count() == 1

    own = write_review(actors["other_product"], 5, author=actors["shopper"])
    response = client.post(f"/api/v1/reviews/{own.pk}/votes/", {"helpful": True}, format="json")
    assert response.status_code == 403
    assert error_of(response)["code"] == "own_review"


def test_vote_needs_a_boolean(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], write_review: Callable[..., Any]
) -> None:
    review = write_review(actors["product"], 4)
    response = client_as("shopper").post(f"/api/v1/reviews/{review.pk}/votes/", {"helpful": "maybe"}, format="json")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["helpful"]


@pytest.mark.parametrize("actor", ACTORS)
def test_who_may_report(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], write_review: Callable[..., Any], actor: str
) -> None:
    review = write_review(actors["product"], 4)
    response = client_as(actor).post(f"/api/v1/reviews/{review.pk}/reports/", {"reason": "spam"}, format="json")
    expected = {"anonymous": 401, "key_read": 403}.get(actor, 201)
    assert response.status_code == expected, response.content
    if expected == 201:
        assert response.json()["reason"] == "spam"
        assert ReviewReport.objects.get().review == review
    else:
        error_of(response)


def test_reporting_twice_is_409_and_other_needs_a_comment(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], write_review: Callable[..., Any], make_user: Any
) -> None:
    review = write_review(actors["product"], 4)
    client = client_as("shopper")
    assert client.post(f"/api/v1/reviews/{review.pk}/reports/", {"reason": "spam"}, format="json").status_code == 201
    again = client.post(f"/api/v1/reviews/{review.pk}/reports/", {"reason": "fake"}, format="json")
    assert again.status_code == 409
    assert error_of(again)["code"] == "duplicate_report"

    other = APIClient()
    other.force_login(make_user(SHOPPER, username="someone"))
    response = other.post(f"/api/v1/reviews/{review.pk}/reports/", {"reason": "other"}, format="json")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["comment"]
    bad = other.post(f"/api/v1/reviews/{review.pk}/reports/", {"reason": "author_deleted"}, format="json")
    assert bad.status_code == 400
    assert list(error_of(bad)["fields"]) == ["reason"]


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "spam", "comment": "a\x00b"},
        {"reason": "other", "comment": "Copied from\x00another site"},
        {"reason": "other", "comment": " \t\n "},
        {"reason": "other", "comment": ""},
    ],
    ids=["nul", "other-with-nul", "other-only-spaces", "other-empty"],
)
def test_a_report_comment_refused_as_the_schemas_patterns_say(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], write_review: Callable[..., Any], body: Any
) -> None:
    """The comment patterns of the schema (test_schema_and_docs) are the API's real rules."""
    review = write_review(actors["product"], 4)
    response = client_as("shopper").post(f"/api/v1/reviews/{review.pk}/reports/", body, format="json")
    assert response.status_code == 400, response.content
    assert list(error_of(response)["fields"]) == ["comment"]
    assert not ReviewReport.objects.exists()


def test_votes_and_reports_on_unpublished_reviews_are_404(
    actors: dict[str, Any], client_as: Callable[[str], APIClient], write_review: Callable[..., Any]
) -> None:
    review = write_review(actors["product"], 4)
    review_remove(review=review, reason=ReasonCode.SPAM, by=actors["quality_director"])
    client = client_as("shopper")
    assert client.post(f"/api/v1/reviews/{review.pk}/votes/", {"helpful": True}, format="json").status_code == 404
    assert client.post(f"/api/v1/reviews/{review.pk}/reports/", {"reason": "spam"}, format="json").status_code == 404
