"""Issue 16, item 4: the optional "How likely are you to recommend this product to a
friend?" (0-10) on the review forms and in the API, strict both ways, and never public: no
page but the author's own edit form and no API answer ever shows one answer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import SHOPPER
from care.models import Case, CaseReason
from orders.links import review_token
from orders.models import Invitation, InvitationKind
from products.models import Product
from reviews.models import Review
from tests.care_factories import review_post
from tests.clients import api_as, site_as
from tests.factories import REVIEW_TEXT, product_create, user_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

FORM_REVIEW: dict[str, Any] = {"rating": "4", "title": "Warm and light", "body": REVIEW_TEXT, "language": "en"}
API_REVIEW: dict[str, Any] = {"rating": 4, "title": "Warm and light", "body": REVIEW_TEXT, "language": "en"}
FORM_MESSAGE = "Choose an answer from 0 to 10, or “No answer”."
API_RANGE_MESSAGE = "Answer from 0 (not at all likely) to 10 (extremely likely), or leave it blank."
API_TYPE_MESSAGE = "Enter a whole number (without quotes or a decimal point)."
QUESTION = "How likely are you to recommend this product to a friend?"


@pytest.fixture(autouse=True)
def _published_at_once_and_no_limits(settings: Any) -> None:
    cache.clear()  # the site's and the API's counters live in the database cache
    settings.REVIEWS_PREMODERATION = False
    settings.RATELIMIT_ENABLED = False


@pytest.fixture
def product() -> Product:
    return product_create(sku="TENT-7", name="Ridge tent")


@pytest.fixture
def shopper() -> User:
    return user_create(SHOPPER)


def html_of(response: Any) -> str:
    # What changes from one request to the next whatever the data: the CSP nonce, CSRF tokens.
    text = response.content.decode()
    text = re.sub(r'nonce="[^"]*"', 'nonce=""', text)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def checked_values(html: str) -> list[str]:
    return re.findall(r'<input type="radio" name="recommend" value="([^"]*)"[^>]*\bchecked\b', html)


# --- The site's forms ---------------------------------------------------------------------


def test_the_new_review_form_asks_in_an_accessible_group_with_no_answer_chosen(product: Product, shopper: User) -> None:
    html = site_as(shopper).get(reverse("review_create", kwargs={"sku": product.sku})).content.decode()
    group = re.search(r'<fieldset class="recommend-input".*?</fieldset>', html, re.S)
    assert group is not None
    fieldset = group.group(0)
    assert f"<legend>{QUESTION} " in fieldset
    assert 'aria-describedby="recommend-help"' in fieldset and 'id="recommend-help"' in fieldset
    values = re.findall(r'name="recommend" value="([^"]*)"', fieldset)
    assert values == [str(n) for n in range(11)] + [""]
    labels = re.findall(r'<label for="id_recommend_\d+">([^<]*)</label>', fieldset)
    assert labels == ["0 = not at all likely", *map(str, range(1, 10)), "10 = extremely likely", "No answer"]
    assert checked_values(fieldset) == [""]  # "No answer" until the writer picks a number


@pytest.mark.parametrize(("sent", "stored"), [("0", 0), ("10", 10), ("", None)])
def test_the_form_stores_an_answer_from_0_to_10_or_none(
    product: Product, shopper: User, sent: str, stored: int | None
) -> None:
    response = site_as(shopper).post(
        reverse("review_create", kwargs={"sku": product.sku}), {**FORM_REVIEW, "recommend": sent}
    )
    assert response.status_code == 302
    assert Review.objects.get(product=product, author=shopper).recommend == stored


@pytest.mark.parametrize("sent", ["11", "-1", "7.0", "٧", " 7", "seven", "1e1"])
def test_the_form_refuses_anything_else_with_a_field_message(product: Product, shopper: User, sent: str) -> None:
    response = site_as(shopper).post(
        reverse("review_create", kwargs={"sku": product.sku}), {**FORM_REVIEW, "recommend": sent}
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"recommend": [FORM_MESSAGE]}
    html = response.content.decode()
    assert 'href="#id_recommend_0">How likely' in html  # the summary links to the group
    assert 'aria-describedby="recommend-help id_recommend_error"' in html
    assert not Review.objects.filter(product=product).exists()


def test_the_edit_form_shows_the_author_their_answer_keeps_it_and_lets_them_clear_it(
    product: Product, shopper: User
) -> None:
    review = review_post(product=product, author=shopper, rating=4, recommend=7)
    client = site_as(shopper)
    url = reverse("review_edit", kwargs={"pk": review.pk})
    assert checked_values(client.get(url).content.decode()) == ["7"]

    fields = {**FORM_REVIEW, "title": review.title, "body": review.body}
    assert client.post(url, {**fields, "rating": "5"}).status_code == 302  # a post without the field: kept
    assert Review.objects.values_list("rating", "recommend").get(pk=review.pk) == (5, 7)
    assert client.post(url, {**fields, "recommend": "11"}).status_code == 400
    assert Review.objects.get(pk=review.pk).recommend == 7
    assert client.post(url, {**fields, "recommend": "9"}).status_code == 302
    assert Review.objects.get(pk=review.pk).recommend == 9
    assert client.post(url, {**fields, "recommend": ""}).status_code == 302  # "No answer" clears it
    assert Review.objects.get(pk=review.pk).recommend is None
    assert checked_values(client.get(url).content.decode()) == [""]


def test_the_invitation_form_asks_too_and_stores_the_answer(product: Product) -> None:
    order = order_create(products=[product])
    assert order.delivered_at is not None  # the sweep sends an invitation after delivery
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    invitation.lines.set(order.lines.all())
    url = f"/invitations/{review_token(order.lines.get().pk)}/"
    assert checked_values(Client().get(url).content.decode()) == [""]

    refused = Client().post(url, {**FORM_REVIEW, "author_name": "Cam", "recommend": "12"})
    assert refused.status_code == 400 and refused.context["form"].errors == {"recommend": [FORM_MESSAGE]}
    assert Client().post(url, {**FORM_REVIEW, "author_name": "Cam", "recommend": "3"}).status_code == 200
    review = Review.objects.get(product=product)
    assert (review.author_id, review.recommend) == (None, 3)
    assert Case.objects.get(review=review).reason == CaseReason.LOW_RECOMMEND


# --- The API ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "stored"), [({"recommend": 0}, 0), ({"recommend": 10}, 10), ({"recommend": None}, None), ({}, None)]
)
def test_the_api_stores_an_answer_from_0_to_10_null_or_none(
    product: Product, shopper: User, body: dict[str, Any], stored: int | None
) -> None:
    response = api_as(shopper).post(f"/api/v1/products/{product.sku}/reviews/", {**API_REVIEW, **body}, format="json")
    assert response.status_code == 201, response.content
    assert "recommend" not in response.json()
    assert Review.objects.get(pk=response.json()["id"]).recommend == stored


@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ("7", API_TYPE_MESSAGE),
        (7.0, API_TYPE_MESSAGE),
        (True, API_TYPE_MESSAGE),
        ("", API_TYPE_MESSAGE),
        ([7], API_TYPE_MESSAGE),
        (11, API_RANGE_MESSAGE),
        (-1, API_RANGE_MESSAGE),
    ],
)
def test_the_api_refuses_anything_else_with_a_field_message(
    product: Product, shopper: User, sent: Any, message: str
) -> None:
    response = api_as(shopper).post(
        f"/api/v1/products/{product.sku}/reviews/", {**API_REVIEW, "recommend": sent}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"recommend": [message]}
    assert not Review.objects.exists()


def test_patch_keeps_the_answer_when_absent_changes_it_and_clears_it_with_null(product: Product, shopper: User) -> None:
    review = review_post(product=product, author=shopper, rating=4, recommend=7)
    client, url = api_as(shopper), f"/api/v1/reviews/{review.pk}/"

    kept = client.patch(url, {"rating": 5}, format="json")
    assert kept.status_code == 200, kept.content
    assert "recommend" not in kept.json() and kept.json()["rating"] == 5
    assert Review.objects.values_list("rating", "recommend", "title").get(pk=review.pk) == (5, 7, review.title)
    assert client.patch(url, {"recommend": 11}, format="json").json()["error"]["fields"] == {
        "recommend": [API_RANGE_MESSAGE]
    }
    assert client.patch(url, {"recommend": 10}, format="json").status_code == 200
    assert Review.objects.get(pk=review.pk).recommend == 10
    cleared = client.patch(url, {"recommend": None}, format="json")
    assert cleared.status_code == 200 and "recommend" not in cleared.json()
    assert Review.objects.values_list("rating", "recommend").get(pk=review.pk) == (5, None)


def test_only_the_author_patches_their_review(product: Product, shopper: User) -> None:
    review = review_post(product=product, author=shopper, rating=4, recommend=7)
    url = f"/api/v1/reviews/{review.pk}/"
    assert APIClient().patch(url, {"recommend": 1}, format="json").status_code == 401
    other = api_as(user_create(SHOPPER)).patch(url, {"recommend": 1}, format="json")
    assert other.status_code == 403 and other.json()["error"]["code"] == "permission_denied"
    assert api_as(shopper).put(url, {**API_REVIEW, "recommend": 1}, format="json").status_code == 405
    assert Review.objects.get(pk=review.pk).recommend == 7


# --- Never public -----------------------------------------------------------------------------


def test_no_page_and_no_api_read_depends_on_the_answer(product: Product, shopper: User) -> None:
    """The same review with two answers: every public page and API read is byte for byte the
    same (so none can show it), and no JSON object has a `recommend` key."""
    review = review_post(product=product, author=shopper, rating=4, recommend=3)
    review_post(product=product, rating=5, recommend=9)
    author = site_as(shopper)
    reads = [
        (Client(), reverse("product_detail", kwargs={"sku": product.sku})),
        (author, reverse("product_detail", kwargs={"sku": product.sku})),  # the author's own view of it
        (author, reverse("review_mine")),
        (APIClient(), f"/api/v1/reviews/{review.pk}/"),
        (APIClient(), f"/api/v1/products/{product.sku}/reviews/"),
        (api_as(shopper), f"/api/v1/products/{product.sku}/reviews/?ordering=rating"),
    ]

    def read_all() -> list[str]:
        answers = [client.get(url) for client, url in reads]
        assert [answer.status_code for answer in answers] == [200] * len(reads)
        return [html_of(answer) for answer in answers]

    before = read_all()
    assert all(review.title in text for text in before)  # each read shows the review itself
    Review.objects.filter(pk=review.pk).update(recommend=8)
    assert read_all() == before
    for text in before[3:]:
        assert '"recommend"' not in text
    assert all(QUESTION not in text for text in before)


# --- A detractor's answer reaches customer care, end to end -----------------------------------


def test_a_four_star_review_answering_5_opens_a_care_case_through_the_form_and_the_api(product: Product) -> None:
    by_form, by_api = user_create(SHOPPER), user_create(SHOPPER)
    posted = site_as(by_form).post(
        reverse("review_create", kwargs={"sku": product.sku}), {**FORM_REVIEW, "recommend": "5"}
    )
    assert posted.status_code == 302
    created = api_as(by_api).post(
        f"/api/v1/products/{product.sku}/reviews/", {**API_REVIEW, "recommend": 5}, format="json"
    )
    assert created.status_code == 201
    cases = Case.objects.order_by("pk")
    assert [(case.review.author_id, case.reason, case.rating_at_open) for case in cases] == [
        (by_form.pk, CaseReason.LOW_RECOMMEND, 4),
        (by_api.pk, CaseReason.LOW_RECOMMEND, 4),
    ]
    assert not Case.objects.filter(review__recommend__gte=7).exists()


def test_an_api_edit_to_a_detractors_answer_opens_the_case(product: Product, shopper: User) -> None:
    review = review_post(product=product, author=shopper, rating=4, recommend=9)
    assert not Case.objects.exists()
    assert api_as(shopper).patch(f"/api/v1/reviews/{review.pk}/", {"recommend": 2}, format="json").status_code == 200
    assert Case.objects.get(review=review).reason == CaseReason.LOW_RECOMMEND
