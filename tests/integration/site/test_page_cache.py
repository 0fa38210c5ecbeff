"""Anonymous product pages from the cache (core.page_cache, products.page_version).

Three promises: nothing personal travels from one visitor to another through the cache
(CSRF tokens, a signed-in user's page, messages, the language); a cached page is never
older than the last change it shows, whatever the change (each service that makes one);
a revalidation answers 304 without rendering.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from django.contrib import admin, messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.timezone import now

from accounts.roles import MODERATOR, PRODUCT_MANAGER
from core.page_cache import CSRF_PLACEHOLDER, STATUS_HEADER
from gate.configured import gate_policy_from_settings
from gate.policy import ACTIVE, GateState, ProductGateState
from gate.services import improvement_log, product_gate_state_set
from products.models import Category, Product
from reviews import photo_edits, photos
from reviews.models import BrandReply, ReasonCode, Review, ReviewPhoto
from reviews.ratings import product_ratings_rebuild
from reviews.reactions import brand_reply_post, review_vote
from reviews.services import review_edit, review_remove, review_submit
from tests.photo_files import image_bytes, upload

from .factories import category_create, product_create, review_create, user_create

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def product() -> Product:
    return product_create(sku="TENT-7", name="Trail tent", category=category_create(name="Tents", slug="tents"))


@pytest.fixture
def author() -> Any:
    return user_create(display_name="Camille")


@pytest.fixture
def review(product: Product, author: Any) -> Review:
    return review_create(product=product, author=author, title="Dry all night", rating=4)


def _url(product: Product) -> str:
    return reverse("product_detail", kwargs={"sku": product.sku})


def _primed(client: Client, product: Product, **params: Any) -> str:
    """The page twice: rendered and stored, then served from the cache."""
    assert client.get(_url(product), params)[STATUS_HEADER] == "miss"
    second = client.get(_url(product), params)
    assert second[STATUS_HEADER] == "hit"
    return second.content.decode()


# --- Nothing personal travels -----------------------------------------------------------


def test_each_anonymous_visitor_gets_their_own_csrf_token_and_it_works(product: Product, review: Review) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_a = first.get(_url(product))
    page_b = second.get(_url(product))
    assert (page_a[STATUS_HEADER], page_b[STATUS_HEADER]) == ("miss", "hit")
    tokens_a = set(CSRF_INPUT.findall(page_a.content.decode()))
    tokens_b = set(CSRF_INPUT.findall(page_b.content.decode()))
    # The language switcher and the vote form: one token per page, the visitor's own.
    assert len(tokens_a) == 1 and len(tokens_b) == 1 and tokens_a != tokens_b
    assert CSRF_PLACEHOLDER not in page_a.content.decode() + page_b.content.decode()
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    # Each token works with its own visitor's cookie, and not with the other's.
    setlang = reverse("set_language")
    assert second.post(setlang, {"language": "fr", "csrfmiddlewaretoken": tokens_b.pop()}).status_code == 302
    assert second.post(setlang, {"language": "fr", "csrfmiddlewaretoken": tokens_a.pop()}).status_code == 403


def test_a_signed_in_page_is_never_stored_nor_a_cached_page_shown_to_a_signed_in_user(
    product: Product, review: Review
) -> None:
    shopper = user_create(display_name="Zoé Private")
    signed_in = Client()
    signed_in.force_login(shopper)
    own = signed_in.get(_url(product))
    assert STATUS_HEADER not in own and "Zoé Private" in own.content.decode()
    assert "private" in own["Cache-Control"]
    anonymous = Client().get(_url(product))
    assert anonymous[STATUS_HEADER] == "miss"  # the signed-in render stored nothing
    assert "Zoé Private" not in anonymous.content.decode()
    # Once an anonymous copy exists, the signed-in user still gets their own page.
    again = signed_in.get(_url(product))
    assert STATUS_HEADER not in again and "Zoé Private" in again.content.decode()


def _messages_cookie(text: str) -> str:
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, text)
    response = HttpResponse()
    storage.update(response)
    return response.cookies["messages"].value


def test_a_visitors_message_is_shown_to_them_and_never_cached(product: Product, review: Review) -> None:
    visitor = Client()
    visitor.cookies["messages"] = _messages_cookie("Your secret message")
    page = visitor.get(_url(product))
    assert "Your secret message" in page.content.decode() and STATUS_HEADER not in page
    other = Client().get(_url(product))
    assert other[STATUS_HEADER] == "miss" and "Your secret message" not in other.content.decode()


def test_each_language_and_each_address_has_its_own_copy(product: Product, review: Review) -> None:
    english, french = Client(), Client(HTTP_ACCEPT_LANGUAGE="fr")
    _primed(english, product)
    page_fr = _primed(french, product)
    assert '<html lang="fr">' in page_fr
    page_en = english.get(_url(product)).content.decode()
    assert '<html lang="en">' in page_en
    # The language switcher returns to the address asked for, query string included.
    sorted_page = english.get(_url(product), {"sort": "helpful"})
    assert sorted_page[STATUS_HEADER] == "miss"
    assert 'name="next" type="hidden" value="/products/TENT-7/?sort=helpful"' in sorted_page.content.decode()
    assert 'name="next" type="hidden" value="/products/TENT-7/"' in page_en


def test_a_query_parameter_the_page_does_not_read_is_rendered_not_cached(product: Product) -> None:
    client = Client()
    for _ in range(2):
        response = client.get(_url(product), {"utm_source": "mail"})
        assert response.status_code == 200 and STATUS_HEADER not in response


def test_an_unknown_sku_is_a_404_and_not_cached() -> None:
    with mock.patch("core.page_cache.cache_write") as written:
        assert Client().get("/products/NOPE-1/").status_code == 404
        assert Client().get("/products/NOPE-1/").status_code == 404
    written.assert_not_called()


# --- Revalidation -----------------------------------------------------------------------


def test_a_revalidation_answers_304_without_rendering_until_the_page_changes(
    product: Product, review: Review, author: Any
) -> None:
    client = Client()
    first = client.get(_url(product))
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"') and "no-cache" in first["Cache-Control"] and "Cookie" in first["Vary"]
    with mock.patch("storefront.views.render", side_effect=AssertionError("rendered")) as render:
        assert client.get(_url(product), HTTP_IF_NONE_MATCH=etag).status_code == 304
        assert client.get(_url(product), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
        # A hit without validators does not render either.
        assert client.get(_url(product))[STATUS_HEADER] == "hit"
        render.assert_not_called()
    review_edit(review=review, author=author, rating=2, title="Leaked at dawn", body=review.body, language="en")
    changed = client.get(_url(product), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag and "Leaked at dawn" in changed.content.decode()


def test_an_etag_is_the_visitors_own_since_the_copy_holds_their_token(product: Product, review: Review) -> None:
    first, second = Client(), Client()
    etag = first.get(_url(product))["ETag"]
    assert first.get(_url(product), HTTP_IF_NONE_MATCH=etag).status_code == 304
    second.get(_url(product))
    assert second.get(_url(product), HTTP_IF_NONE_MATCH=etag).status_code == 200


# --- Never staler than the last change --------------------------------------------------


def _post(product: Product, review: Review, author: Any) -> str:
    review_submit(
        product=product, author=None, author_name="Guest", rating=1, title="Torn seam", body="x" * 40, language="en"
    )
    return "Torn seam"


def _edit(product: Product, review: Review, author: Any) -> str:
    review_edit(review=review, author=author, rating=4, title="Dry all week", body=review.body, language="en")
    return "Dry all week"


def _moderation(product: Product, review: Review, author: Any) -> str:
    review_remove(review=review, reason=ReasonCode.SPAM, by=user_create(MODERATOR))
    return "No reviews yet"


def _gate_event(product: Product, review: Review, author: Any) -> str:
    policy = gate_policy_from_settings()
    day = date(2026, 11, 1)
    flagged = ProductGateState(GateState.FLAGGED, day)
    product_gate_state_set(product_id=product.pk, expected=ACTIVE, new=flagged, day=day, policy=policy)
    product_gate_state_set(
        product_id=product.pk, expected=flagged, new=ProductGateState(GateState.WITHDRAWN), day=day, policy=policy
    )
    return "Withdrawn from sale"


def _improvement(product: Product, review: Review, author: Any) -> str:
    manager = user_create(PRODUCT_MANAGER)
    product.managers.add(manager)
    improvement_log(product=product, by=manager, description="New zip.", public_note="A stronger zip.")
    return "A stronger zip."


def _brand_reply(product: Product, review: Review, author: Any) -> str:
    manager = user_create(PRODUCT_MANAGER)
    product.managers.add(manager)
    brand_reply_post(review=review, author=manager, body="Thank you from the brand")
    return "Thank you from the brand"


def _vote(product: Product, review: Review, author: Any) -> str:
    review_vote(review=review, voter=user_create(), helpful=True)
    return 'data-count="yes">1<'


def _photo(product: Product, review: Review, author: Any) -> str:
    photo = _shown_photo(product)  # a review posted with a photo, its sizes made
    return reverse("review_photo", args=[photo.pk, "large"])


def _product_edit_in_the_admin(product: Product, review: Review, author: Any) -> str:
    product.name_fr = "Tente de randonnée"
    product.name_en = "Trail tent XL"
    product_admin = admin.site._registry[Product]
    form = SimpleNamespace(instance=product, save_m2m=lambda: None)
    product_admin.save_model(RequestFactory().post("/"), product, form, True)
    product_admin.save_related(RequestFactory().post("/"), form, [], True)
    return "Trail tent XL"


def _category_rename_in_the_admin(product: Product, review: Review, author: Any) -> str:
    category = Category.objects.get(slug="tents")
    category.name_en = "Camping tents"
    admin.site._registry[Category].save_model(RequestFactory().post("/"), category, None, True)
    return "Camping tents"


def _figures_rebuilt(product: Product, review: Review, author: Any) -> str:
    Review.objects.filter(pk=review.pk).update(rating=1)  # as an import of history writes
    product_ratings_rebuild(product_ids=[product.pk])
    return "1 out of 5"


@pytest.mark.usefixtures("bursts_off")
@pytest.mark.parametrize(
    "change",
    [
        _post,
        _edit,
        _moderation,
        _gate_event,
        _improvement,
        _brand_reply,
        _vote,
        _photo,
        _product_edit_in_the_admin,
        _category_rename_in_the_admin,
        _figures_rebuilt,
    ],
)
def test_a_cached_page_never_shows_a_page_older_than_the_last_change(
    change: Callable[[Product, Review, Any], str], product: Product, review: Review, author: Any
) -> None:
    client = Client()
    before = _primed(client, product)
    expected = change(product, review, author)
    assert expected not in before
    after = client.get(_url(product))
    assert after[STATUS_HEADER] == "miss" and expected in after.content.decode()


# Changes that take something off the page: the cached copy must not keep showing it.


def _shown_photo(product: Product) -> ReviewPhoto:
    posted = photos.review_submit_with_photos(
        uploads=[upload(image_bytes("JPEG", (400, 300), (90, 90, 200)), "door.jpg")],
        queue_sizes=lambda photo_id: None,
        product=product,
        author=user_create(display_name="Noé"),
        rating=5,
        title="Roomy",
        body="Four of us and the dog, dry after a night of rain.",
        language="en",
    )
    photo = posted.photos.get()
    assert photos.review_photo_sizes_make(photo_id=photo.pk)
    return photo


def _photo_taken_down(photo: ReviewPhoto) -> None:
    photos.review_photo_take_down(photo=photo, reason=ReasonCode.SPAM, note="", by=user_create(MODERATOR), now=now())


def _photo_removed_by_its_author(photo: ReviewPhoto) -> None:
    photo_edits.review_edit_with_photos(
        review=photo.review,
        author=photo.review.author,
        uploads=[],
        remove_ids=[photo.pk],
        queue_sizes=lambda photo_id: None,
    )


def _photos_author_account_deleted(photo: ReviewPhoto) -> None:
    assert photo.review.author is not None
    photo.review.author.delete()


@pytest.mark.usefixtures("bursts_off")
@pytest.mark.parametrize(
    "change",
    [_photo_taken_down, _photo_removed_by_its_author, _photos_author_account_deleted],
)
def test_a_cached_page_never_shows_what_was_taken_off_it(
    change: Callable[[ReviewPhoto], None], product: Product
) -> None:
    photo = _shown_photo(product)
    client = Client()
    link = reverse("review_photo", args=[photo.pk, "large"])
    assert link in _primed(client, product)
    change(photo)
    after = client.get(_url(product))
    assert after[STATUS_HEADER] == "miss" and link not in after.content.decode()


def test_a_brand_reply_deleted_in_the_admin_leaves_the_cached_page(product: Product, review: Review) -> None:
    manager = user_create(PRODUCT_MANAGER)
    product.managers.add(manager)
    reply = brand_reply_post(review=review, author=manager, body="Thank you from the brand")
    client = Client()
    assert "Thank you from the brand" in _primed(client, product)
    admin.site._registry[BrandReply].delete_model(RequestFactory().post("/"), reply)
    after = client.get(_url(product))
    assert after[STATUS_HEADER] == "miss" and "Thank you from the brand" not in after.content.decode()


def test_a_change_rolled_back_leaves_the_cached_page_in_use(product: Product, review: Review, author: Any) -> None:
    client = Client()
    _primed(client, product)
    with pytest.raises(Exception, match="Only the author"):
        review_edit(review=review, author=user_create(), rating=1, title="Nope", body=review.body, language="en")
    assert client.get(_url(product))[STATUS_HEADER] == "hit"


@pytest.mark.parametrize(
    "query",
    ["?q=zz0", "?q=%20", "?stars=9", "?stars=%205", "?page=01", "?page=999", "?page=1&page=2", "?sort=nope"],
)
def test_only_the_canonical_address_of_a_page_is_stored(product: Product, review: Review, query: str) -> None:
    """Anyone could otherwise fill the shared cache with variants of one page (a new search,
    a refused filter, a page number that shows another page): rendered, never stored."""
    client = Client()
    first = client.get(_url(product) + query)
    assert first.status_code == 200 and first[STATUS_HEADER] == "bypass"
    assert client.get(_url(product) + query)[STATUS_HEADER] == "bypass"


def test_a_canonical_filtered_page_is_stored(product: Product, review: Review) -> None:
    client = Client()
    assert client.get(_url(product) + "?stars=4&page=1")[STATUS_HEADER] == "miss"
    assert client.get(_url(product) + "?stars=4&page=1")[STATUS_HEADER] == "hit"
