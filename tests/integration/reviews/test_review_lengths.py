"""Two sets of lengths (issue 12): a review written here (form, API) keeps 120 / 5,000
characters; a stored review holds 500 / 50,000, so an imported history is kept whole.
The database holds the stored lengths; the form, the API schema and /about/reviews/ state both."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DataError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import User
from core.api_fields import trimmed_length_pattern
from core.errors import NotAllowed, ValidationFailed
from products.models import Product
from reviews.models import (
    BODY_MAX_LENGTH,
    STORED_BODY_MAX_LENGTH,
    STORED_TITLE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Review,
    ReviewSource,
    ReviewStatus,
)
from reviews.ratings import product_ratings_recompute
from reviews.services import review_edit, review_submit
from tests.factories import REVIEW_TEXT, product_create, user_create

pytestmark = pytest.mark.django_db

# Longer than a new review may be, shorter than what is stored: an older review's lengths.
OLD_TITLE_LENGTH = 300
OLD_BODY_LENGTH = 8000


@pytest.fixture
def product() -> Product:
    return product_create(sku="LEN-1", name="Trail shoe")


def _stored_review(product: Product, *, author: User | None, title: str, body: str, **fields: Any) -> Review:
    """A row as the database holds it, written past the services (as an import or an older limit left it)."""
    review = Review.objects.create(
        product=product,
        author=author,
        author_name=author.public_name if author else "Imported",
        rating=4,
        title=title,
        body=body,
        status=ReviewStatus.PUBLISHED,
        published_at=timezone.now(),
        created_at=timezone.now(),
        **fields,
    )
    product_ratings_recompute(product_ids=[product.pk])  # the figures count it, as they would
    return review


# --- The database holds the stored lengths ----------------------------------------------------
def test_the_database_stores_a_title_and_text_of_exactly_the_stored_lengths(product: Product) -> None:
    review = _stored_review(
        product, author=None, title="t" * STORED_TITLE_MAX_LENGTH, body="é" * STORED_BODY_MAX_LENGTH
    )
    review.refresh_from_db()
    assert (len(review.title), len(review.body)) == (STORED_TITLE_MAX_LENGTH, STORED_BODY_MAX_LENGTH)


@pytest.mark.parametrize(
    ("title", "body"),
    [("t" * (STORED_TITLE_MAX_LENGTH + 1), "Fine text."), ("Fine", "x" * (STORED_BODY_MAX_LENGTH + 1))],
    ids=["title", "text"],
)
def test_the_database_refuses_a_title_or_text_longer_than_stored(product: Product, title: str, body: str) -> None:
    # PostgreSQL's varchar(500) refuses a long title first (DataError); SQLite has only the check.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        _stored_review(product, author=None, title=title, body=body)
    assert not Review.objects.exists()


# --- A new review keeps the written lengths ---------------------------------------------------
@pytest.mark.parametrize(
    ("field", "title", "body", "message"),
    [
        ("title", "t" * (TITLE_MAX_LENGTH + 1), REVIEW_TEXT, "The title can be at most 120 characters long."),
        ("body", "Fine", "x" * (BODY_MAX_LENGTH + 1), "The text can be at most 5,000 characters long."),
    ],
)
def test_a_new_review_keeps_the_written_lengths(
    product: Product, field: str, title: str, body: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        review_submit(product=product, author=user_create("shopper"), rating=4, title=title, body=body, language="en")
    assert refused.value.fields[field] == [message]
    assert not Review.objects.exists()


def test_the_api_refuses_a_new_review_longer_than_the_written_lengths(product: Product) -> None:
    client = APIClient()
    client.force_authenticate(user_create("shopper"))
    url = f"/api/v1/products/{product.sku}/reviews/"
    base = {"rating": 4, "title": "Fine", "body": REVIEW_TEXT, "language": "en"}

    too_long_title = client.post(url, {**base, "title": "t" * (TITLE_MAX_LENGTH + 1)}, format="json")
    too_long_body = client.post(url, {**base, "body": "x" * (BODY_MAX_LENGTH + 1)}, format="json")

    assert (too_long_title.status_code, too_long_body.status_code) == (400, 400)
    assert "title" in too_long_title.json()["error"]["fields"]
    assert "body" in too_long_body.json()["error"]["fields"]
    assert not Review.objects.exists()


# --- Editing: never less than the review already holds, never longer ---------------------------
def test_an_author_can_correct_an_older_longer_review_without_cutting_it(product: Product) -> None:
    author = user_create("shopper")
    review = _stored_review(product, author=author, title="T" * OLD_TITLE_LENGTH, body="b" * OLD_BODY_LENGTH)

    edited = review_edit(
        review=review,
        author=author,
        rating=5,
        title="t" * OLD_TITLE_LENGTH,
        body="B" * OLD_BODY_LENGTH,
        language="en",
    )

    edited.refresh_from_db()
    assert (edited.rating, edited.title, edited.body) == (5, "t" * OLD_TITLE_LENGTH, "B" * OLD_BODY_LENGTH)


def test_an_author_cannot_make_an_older_longer_review_longer(product: Product) -> None:
    author = user_create("shopper")
    review = _stored_review(product, author=author, title="T" * OLD_TITLE_LENGTH, body="b" * OLD_BODY_LENGTH)

    with pytest.raises(ValidationFailed) as refused:
        review_edit(
            review=review,
            author=author,
            rating=4,
            title="t" * (OLD_TITLE_LENGTH + 1),
            body="B" * (OLD_BODY_LENGTH + 1),
            language="en",
        )

    assert refused.value.fields == {
        "title": ["The title can be at most 300 characters long."],
        "body": ["The text can be at most 8,000 characters long."],
    }
    review.refresh_from_db()
    assert (review.title, review.body) == ("T" * OLD_TITLE_LENGTH, "b" * OLD_BODY_LENGTH)


def test_a_review_within_the_written_lengths_cannot_grow_past_them_on_edit(product: Product) -> None:
    author = user_create("shopper")
    review = review_submit(product=product, author=author, rating=4, title="Fine", body=REVIEW_TEXT, language="en")

    with pytest.raises(ValidationFailed) as refused:
        review_edit(
            review=review, author=author, rating=4, title="t" * (TITLE_MAX_LENGTH + 1), body=REVIEW_TEXT, language="en"
        )

    assert refused.value.fields == {"title": ["The title can be at most 120 characters long."]}


def test_the_edit_form_states_and_allows_the_older_reviews_lengths(client: Client, product: Product) -> None:
    author = user_create("shopper")
    review = _stored_review(product, author=author, title="T" * OLD_TITLE_LENGTH, body="b" * OLD_BODY_LENGTH)
    client.force_login(author)
    url = reverse("review_edit", kwargs={"pk": review.pk})

    page = client.get(url).content.decode()
    assert f'maxlength="{OLD_TITLE_LENGTH}"' in page and f'maxlength="{OLD_BODY_LENGTH}"' in page
    assert f"At most {OLD_TITLE_LENGTH} characters." in page
    assert f"Between 20 and {OLD_BODY_LENGTH:,} characters." in page

    fields = {"rating": "3", "title": "t" * OLD_TITLE_LENGTH, "body": "B" * OLD_BODY_LENGTH, "language": "en"}
    response = client.post(url, fields)

    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.rating, review.title, review.body) == (3, "t" * OLD_TITLE_LENGTH, "B" * OLD_BODY_LENGTH)
    assert client.post(url, {**fields, "body": "B" * (OLD_BODY_LENGTH + 1)}).status_code == 400


def test_an_imported_review_has_no_author_so_no_one_can_edit_it(client: Client, product: Product) -> None:
    review = _stored_review(
        product, author=None, title="T" * STORED_TITLE_MAX_LENGTH, body="b" * 20_000, source=ReviewSource.IMPORT
    )
    shopper = user_create("shopper")

    with pytest.raises(NotAllowed):
        review_edit(review=review, author=shopper, rating=4, title="Mine now", body=REVIEW_TEXT, language="en")
    client.force_login(shopper)
    assert client.get(reverse("review_edit", kwargs={"pk": review.pk})).status_code == 404


# --- Where the limits are stated ----------------------------------------------------------------
def test_the_review_form_states_the_written_lengths_beside_the_fields(client: Client, product: Product) -> None:
    client.force_login(user_create("shopper"))
    page = client.get(reverse("review_create", kwargs={"sku": product.sku})).content.decode()

    assert 'maxlength="120" required aria-describedby="id_title_helptext" id="id_title"' in page
    assert (
        '<div class="help" id="id_title_helptext">Sum up your experience in a few words. At most 120 characters.</div>'
    ) in page
    assert 'maxlength="5000" minlength="20" required aria-describedby="id_body_helptext" id="id_body"' in page
    assert '<div class="help" id="id_body_helptext">Between 20 and 5,000 characters.' in page


def test_the_transparency_page_states_both_sets_of_lengths(client: Client) -> None:
    page = " ".join(client.get(reverse("about_reviews")).content.decode().split())

    assert "a title of at most 120 characters and a text of 20 to 5,000 characters." in page
    assert (
        "The limits on title and text apply to reviews written here, on the site or through the API; reviews "
        "imported from a shop’s earlier platform keep their title and text exactly as written there, with "
        "titles of up to 500 characters and texts of up to 50,000."
    ) in page


def test_the_api_schema_states_the_written_and_the_stored_lengths() -> None:
    components = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]

    written = components["ReviewInputRequest"]["properties"]
    # Checked after trimming, so stated by the pattern (core.api_fields), not minLength/maxLength.
    assert written["title"]["pattern"] == trimmed_length_pattern(min_length=1, max_length=120)
    assert written["body"]["pattern"] == trimmed_length_pattern(min_length=20, max_length=5000)
    assert "maxLength" not in written["title"] and "maxLength" not in written["body"]
    for name in ("Review", "ReviewCreated"):
        read = components[name]["properties"]
        assert read["title"]["description"] == (
            "Reviews written through the site or the API have titles of at most 120 characters; "
            "imported history keeps titles of up to 500 characters."
        )
        assert read["body"]["description"] == (
            "Reviews written through the site or the API have texts of at most 5,000 characters; "
            "imported history keeps texts of up to 50,000 characters."
        )


# --- The admin shows a long imported review -----------------------------------------------------
def test_the_admin_shows_a_long_imported_review_whole(client: Client, product: Product) -> None:
    body = "Première ligne, <b>pas de HTML</b>.\n" + "x" * 19_000
    review = _stored_review(
        product, author=None, title="T" * STORED_TITLE_MAX_LENGTH, body=body, source=ReviewSource.IMPORT
    )
    client.force_login(user_create(is_staff=True, is_superuser=True))

    change = client.get(reverse("admin:reviews_review_change", args=[review.pk]))
    listing = client.get(reverse("admin:reviews_review_changelist"))

    assert (change.status_code, listing.status_code) == (200, 200)
    page = change.content.decode()
    assert "Première ligne, &lt;b&gt;pas de HTML&lt;/b&gt;.<br>" + "x" * 19_000 in page
    assert "T" * STORED_TITLE_MAX_LENGTH in page
