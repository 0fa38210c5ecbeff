from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from products.models import Product
from reviews.models import Review, ReviewReport, ReviewStatus, ReviewVote
from tests.integration.site.factories import product_create, review_create, user_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def product() -> Product:
    return product_create(sku="LAMP-1", name="Head lamp")


@pytest.fixture
def review(product: Product) -> Review:
    return review_create(product=product, author=user_create(), title="Bright enough")


@pytest.fixture
def voter(client: Client) -> User:
    user = user_create()
    client.force_login(user)
    return user


def _vote_url(review: Review) -> str:
    return reverse("review_vote", kwargs={"pk": review.pk})


def _report_url(review: Review) -> str:
    return reverse("review_report", kwargs={"pk": review.pk})


def test_vote_counts_once_and_can_be_changed(client: Client, review: Review, voter: User) -> None:
    page = f"/products/{review.product.sku}/?sort=helpful"
    response = client.post(_vote_url(review), {"helpful": "yes", "next": page})
    assert response.status_code == 302
    assert response["Location"] == f"{page}#review-{review.pk}"
    client.post(_vote_url(review), {"helpful": "yes"})
    review.refresh_from_db()
    assert (review.helpful_yes, review.helpful_no) == (1, 0)
    client.post(_vote_url(review), {"helpful": "no"})
    review.refresh_from_db()
    assert (review.helpful_yes, review.helpful_no) == (0, 1)
    assert ReviewVote.objects.count() == 1
    html = client.get(page).content.decode()
    assert f'value="no" aria-describedby="helpful-{review.pk}" aria-pressed="true"' in html


def test_vote_answers_json_for_the_script(client: Client, review: Review, voter: User) -> None:
    response = client.post(_vote_url(review), {"helpful": "yes"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "helpful_yes": 1,
        "helpful_no": 0,
        "my_vote": "yes",
        "message": "Thank you for your feedback.",
    }


def test_own_review_cannot_be_voted_on(client: Client, review: Review) -> None:
    assert review.author is not None
    client.force_login(review.author)
    response = client.post(_vote_url(review), {"helpful": "yes"})
    assert response.status_code == 403
    assert "You cannot vote on your own review." in response.content.decode()
    json_response = client.post(_vote_url(review), {"helpful": "yes"}, HTTP_ACCEPT="application/json")
    assert json_response.status_code == 403
    assert json_response.json()["error"]["code"] == "own_review"
    # The page offers no buttons on one's own review.
    html = client.get(f"/products/{review.product.sku}/").content.decode()
    assert f'action="/reviews/{review.pk}/vote/"' not in html


def test_bad_vote_value_is_a_400(client: Client, review: Review, voter: User) -> None:
    assert client.post(_vote_url(review), {"helpful": "maybe"}).status_code == 400
    assert not ReviewVote.objects.exists()


def test_anonymous_vote_goes_to_sign_in_then_back_to_the_review(client: Client, review: Review) -> None:
    response = client.post(_vote_url(review), {"helpful": "yes", "next": f"/products/{review.product.sku}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/products/{review.product.sku}/%23review-{review.pk}"
    assert not ReviewVote.objects.exists()


def test_unpublished_review_cannot_be_voted_on_or_reported(client: Client, product: Product, voter: User) -> None:
    pending = review_create(product=product, status=ReviewStatus.PENDING)
    assert client.post(_vote_url(pending), {"helpful": "yes"}).status_code == 404
    assert client.get(_report_url(pending)).status_code == 404


def test_vote_is_post_only(client: Client, review: Review, voter: User) -> None:
    assert client.get(_vote_url(review)).status_code == 405


def test_vote_redirect_refuses_another_site(client: Client, review: Review, voter: User) -> None:
    response = client.post(_vote_url(review), {"helpful": "yes", "next": "https://evil.example/"})
    assert response["Location"] == f"/products/{review.product.sku}/#review-{review.pk}"


def test_report_form_lists_the_published_reasons(client: Client, review: Review, voter: User) -> None:
    html = client.get(_report_url(review)).content.decode()
    for label in (
        "Spam or advertising",
        "Offensive or abusive language",
        "Contains personal data",
        "Not about the product",
        "Fake or conflict of interest",
        "Other",
    ):
        assert label in html
    assert "Deleted by its author" not in html


def test_report_goes_to_the_moderation_queue_and_review_stays_visible(
    client: Client, review: Review, voter: User
) -> None:
    response = client.post(
        _report_url(review), {"reason": "fake", "next": f"/products/{review.product.sku}/"}, follow=True
    )
    report = ReviewReport.objects.get()
    assert (report.review, report.reporter, report.reason, report.handled_at) == (review, voter, "fake", None)
    html = response.content.decode()
    assert "A moderator will look at this review" in html
    assert "You reported this review." in html
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


def test_report_other_needs_a_comment(client: Client, review: Review, voter: User) -> None:
    response = client.post(_report_url(review), {"reason": "other", "comment": "  "})
    assert response.status_code == 400
    assert "Tell us what is wrong with this review." in response.content.decode()
    assert (
        client.post(_report_url(review), {"reason": "other", "comment": "Copied from another site."}).status_code == 302
    )


def test_report_without_reason_is_a_400(client: Client, review: Review, voter: User) -> None:
    response = client.post(_report_url(review), {"reason": "author_deleted"})
    assert response.status_code == 400
    assert not ReviewReport.objects.exists()


def test_second_open_report_is_a_409(client: Client, review: Review, voter: User) -> None:
    client.post(_report_url(review), {"reason": "spam"})
    response = client.post(_report_url(review), {"reason": "offensive"})
    assert response.status_code == 409
    assert "You have already reported this review" in response.content.decode()
    assert ReviewReport.objects.count() == 1


def test_anonymous_report_goes_to_sign_in(client: Client, review: Review) -> None:
    response = client.get(_report_url(review))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
