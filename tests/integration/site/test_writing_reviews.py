from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from products.models import Product
from reviews.models import ReasonCode, Review, ReviewStatus
from tests.integration.site.factories import product_create, product_improve, review_create, user_create

pytestmark = pytest.mark.django_db

GOOD = {"rating": "4", "title": "Warm and light", "body": "Kept me warm at two degrees, packs small.", "language": "en"}


@pytest.fixture
def product() -> Product:
    return product_create(sku="BAG-1", name="Sleeping bag")


@pytest.fixture
def shopper(client: Client) -> User:
    user = user_create(display_name="Sam")
    client.force_login(user)
    return user


def _create_url(product: Product) -> str:
    return reverse("review_create", kwargs={"sku": product.sku})


def test_anonymous_shopper_is_sent_to_sign_in(client: Client, product: Product) -> None:
    response = client.get(_create_url(product))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/products/{product.sku}/review/"
    assert client.post(_create_url(product), GOOD).status_code == 302
    assert not Review.objects.exists()


def test_form_has_an_accessible_star_radio_group(client: Client, product: Product, shopper: User) -> None:
    html = client.get(_create_url(product)).content.decode()
    assert '<fieldset class="star-input' in html and "<legend>Your rating" in html
    for n in range(1, 6):
        assert f'<input type="radio" name="rating" value="{n}" id="id_rating_{n - 1}" required>' in html
    assert '<span class="visually-hidden">1 star</span>' in html
    assert '<span class="visually-hidden">5 stars</span>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'maxlength="5000"' in html and 'minlength="20"' in html


def test_posting_publishes_at_once_without_premoderation(
    client: Client, product: Product, shopper: User, settings: Any
) -> None:
    settings.REVIEWS_PREMODERATION = False
    response = client.post(_create_url(product), GOOD, follow=True)
    review = Review.objects.get()
    assert review.status == ReviewStatus.PUBLISHED and review.author == shopper and review.author_name == "Sam"
    assert response.redirect_chain == [(f"/products/{product.sku}/#your-review", 302)]
    html = response.content.decode()
    assert "Thank you! Your review is published." in html
    assert '<span class="status status-published">Published</span>' in html
    product.refresh_from_db()
    assert product.current_count == 1


def test_posting_is_held_for_moderation_with_premoderation(
    client: Client, product: Product, shopper: User, settings: Any
) -> None:
    settings.REVIEWS_PREMODERATION = True
    html = client.post(_create_url(product), GOOD, follow=True).content.decode()
    assert Review.objects.get().status == ReviewStatus.PENDING
    assert "will be published once a moderator has checked it" in html
    assert '<span class="status status-pending">Pending moderation</span>' in html
    # Not in the public list until a moderator publishes it.
    assert 'class="review" id="review-' not in html
    mine = client.get(reverse("review_mine")).content.decode()
    assert "Pending moderation" in mine and "Waiting for a moderator." in mine


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rating", "", "Choose a rating from 1 to 5 stars."),
        ("rating", "6", "Select a valid choice."),
        ("title", "", "Give your review a title."),
        ("title", "x" * 121, "Ensure this value has at most 120 characters"),
        ("body", "Too short.", "Ensure this value has at least 20 characters"),
        ("body", "y" * 5001, "Ensure this value has at most 5,000 characters"),
        ("language", "de", "Select a valid choice."),
    ],
)
def test_invalid_review_is_a_400_with_the_message_beside_the_field(
    client: Client, product: Product, shopper: User, field: str, value: str, message: str
) -> None:
    response = client.post(_create_url(product), {**GOOD, field: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert not Review.objects.exists()


def test_service_refusal_is_shown_on_the_form(client: Client, product: Product, shopper: User) -> None:
    # Twenty spaces pass the form's length check; the service strips them and refuses.
    response = client.post(_create_url(product), {**GOOD, "body": " " * 10 + "short" + " " * 10})
    assert response.status_code == 400
    assert "at least 20 characters" in response.content.decode()


def test_second_review_of_the_same_revision_is_a_409(client: Client, product: Product, shopper: User) -> None:
    existing = review_create(product=product, author=shopper)
    get = client.get(_create_url(product))
    assert get.status_code == 200
    assert f'href="/reviews/{existing.pk}/edit/"' in get.content.decode()
    post = client.post(_create_url(product), GOOD)
    assert post.status_code == 409
    assert "You have already reviewed this product" in post.content.decode()
    assert Review.objects.count() == 1


def test_a_new_revision_can_be_reviewed_again(client: Client, product: Product, shopper: User) -> None:
    review_create(product=product, author=shopper)
    product_improve(product)
    assert client.post(_create_url(product), GOOD).status_code == 302
    assert Review.objects.filter(author=shopper).count() == 2


def test_author_edits_and_the_figures_follow(client: Client, product: Product, shopper: User, settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False
    review = review_create(product=product, author=shopper, rating=2)
    url = reverse("review_edit", kwargs={"pk": review.pk})
    form = client.get(url).content.decode()
    assert 'value="2" id="id_rating_1" checked' in form
    response = client.post(url, {**GOOD, "rating": "5"}, follow=True)
    assert "Your changes are published." in response.content.decode()
    review.refresh_from_db()
    product.refresh_from_db()
    assert review.rating == 5 and review.title == GOOD["title"]
    assert product.current_sum == 5


def test_edit_is_remoderated_with_premoderation(client: Client, product: Product, shopper: User, settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = True
    review = review_create(product=product, author=shopper)
    response = client.post(reverse("review_edit", kwargs={"pk": review.pk}), GOOD, follow=True)
    assert "once a moderator has checked them" in response.content.decode()
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING


def test_rejected_review_shows_its_reason_to_the_author(client: Client, product: Product, shopper: User) -> None:
    review_create(product=product, author=shopper, status=ReviewStatus.REJECTED, status_reason=ReasonCode.OFF_TOPIC)
    html = client.get(reverse("product_detail", kwargs={"sku": product.sku})).content.decode()
    assert "Not published. Reason: Not about the product." in html
    assert "Reason: Not about the product." in client.get(reverse("review_mine")).content.decode()


def test_author_deletes_their_review(client: Client, product: Product, shopper: User) -> None:
    review = review_create(product=product, author=shopper)
    url = reverse("review_delete", kwargs={"pk": review.pk})
    assert "Delete your review?" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "Your review was deleted." in response.content.decode()
    review.refresh_from_db()
    product.refresh_from_db()
    assert review.status == ReviewStatus.REMOVED and review.status_reason == ReasonCode.AUTHOR_DELETED
    assert product.current_count == 0
    assert "Sleeping bag" not in client.get(reverse("review_mine")).content.decode()
    # Deleted, the author may write a new review.
    assert client.get(_create_url(product)).status_code == 200


def test_nobody_else_can_edit_or_delete_a_review(client: Client, product: Product) -> None:
    review = review_create(product=product, author=user_create())
    client.force_login(user_create())
    assert client.get(reverse("review_edit", kwargs={"pk": review.pk})).status_code == 404
    assert client.post(reverse("review_edit", kwargs={"pk": review.pk}), GOOD).status_code == 404
    assert client.post(reverse("review_delete", kwargs={"pk": review.pk})).status_code == 404
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


def test_guest_form_asks_for_a_display_name() -> None:
    from reviews.forms import ReviewForm

    form = ReviewForm({**GOOD, "author_name": "Dominique"}, ask_author_name=True)
    assert form.is_valid(), form.errors
    assert form.review_fields()["author_name"] == "Dominique"
    assert not ReviewForm(GOOD, ask_author_name=True).is_valid()
    assert "author_name" not in ReviewForm(GOOD).fields
