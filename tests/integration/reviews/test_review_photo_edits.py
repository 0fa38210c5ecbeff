"""Photos on the two review paths that took none before (issue 18, item 1): a review written
through an invitation (its page and the API), and an edit (the site's edit form and PATCH),
which removes chosen photos and adds new ones, 5 at most, with nothing half-written."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import SHOPPER
from core.request_limits import body_limit_for
from orders.links import review_token
from orders.models import Invitation, InvitationKind
from products.models import Product
from reviews import photos, reactions
from reviews.models import ReasonCode, Review, ReviewPhoto, ReviewReport, ReviewStatus
from reviews.photo_rules import APPEAL_WINDOW_DAYS
from tests.clients import api_as, site_as
from tests.factories import REVIEW_TEXT, product_create, user_create
from tests.orders_factories import order_create
from tests.photo_files import bomb_png, image_bytes, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

FORM: dict[str, Any] = {"rating": "4", "title": "Warm and light", "body": REVIEW_TEXT, "language": "en"}
API: dict[str, Any] = {"rating": 4, "title": "Warm and light", "body": REVIEW_TEXT, "language": "en"}
LYING_FILE = ("tent.jpg", b"%PDF-1.4 not a photo at all, whatever its name says", "image/jpeg")


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    cache.clear()  # the rate limits' counters
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REVIEWS_PREMODERATION = False
    settings.RATELIMIT_ENABLED = False
    return tmp_path


@pytest.fixture
def product() -> Product:
    return product_create(sku="TENT-7", name="Ridge tent")


@pytest.fixture
def author() -> User:
    return user_create(SHOPPER)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The photo ids the sizes task was queued for (the broker is not called)."""
    sent: list[int] = []
    for module in ("reviews.views", "reviews.invitations", "reviews.api.views"):
        monkeypatch.setattr(f"{module}.review_photo_sizes_queue", sent.append)
    return sent


def files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def jpeg(name: str = "photo.jpg", color: tuple[int, int, int] = (200, 60, 40)) -> Any:
    return upload(image_bytes("JPEG", (120, 80), color), name)


def review_with_photos(product: Product, author: User, count: int) -> Review:
    return photos.review_submit_with_photos(
        uploads=[jpeg(f"p{n}.jpg") for n in range(count)],
        queue_sizes=lambda photo_id: None,
        product=product,
        author=author,
        **API,
    )


def photo_ids(review: Review) -> list[int]:
    return list(review.photos.order_by("position").values_list("pk", flat=True))


def invitation_url(product: Product) -> tuple[str, str]:
    order = order_create(products=[product])
    assert order.delivered_at is not None  # the sweep invites after delivery
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    invitation.lines.set(order.lines.all())
    token = review_token(order.lines.get().pk)
    return f"/invitations/{token}/", token


# --- An invitation's review, on its page --------------------------------------------------------


def test_the_invitation_form_takes_photos_stored_clean_and_queued_for_their_sizes(
    product: Product, media_root: Path, queued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    url, _token = invitation_url(product)
    page = Client().get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="photos"' in page

    sent = [upload(jpeg_with_gps((300, 200)), "a.jpg"), upload(image_bytes("PNG"), "b.png", "image/png")]
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(url, {**FORM, "author_name": "Cam", "photos": sent})
    assert response.status_code == 200, response.content
    review = Review.objects.get(product=product)
    assert review.verified_purchase and review.author_id is None
    stored = list(review.photos.order_by("position"))
    assert [p.position for p in stored] == [0, 1] and queued == [p.pk for p in stored]
    assert all(p.full.name.endswith("/full.webp") for p in stored)


def test_a_refused_photo_on_the_invitation_form_stores_nothing_and_says_which(
    product: Product, media_root: Path
) -> None:
    url, _token = invitation_url(product)
    name, content, ctype = LYING_FILE
    response = Client().post(url, {**FORM, "author_name": "Cam", "photos": [jpeg(), upload(content, name, ctype)]})
    assert response.status_code == 400
    errors = response.context["form"].errors["photos"]
    assert any("“tent.jpg”" in message for message in errors)
    assert any("Choose your photos again" in message for message in errors)
    assert Review.objects.count() == 0 and ReviewPhoto.objects.count() == 0
    assert files_under(media_root) == set()
    assert Client().get(url).status_code == 200  # the link was not used up


def test_refused_photos_on_the_invitation_form_count_against_the_rate_limit(product: Product, settings: Any) -> None:
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"review_post": (2, 3600)}
    url, _token = invitation_url(product)
    form = {**FORM, "author_name": "Cam"}
    statuses = [Client().post(url, {**form, "photos": [upload(bomb_png(), "bad.png")]}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


# --- An invitation's review, through the API -------------------------------------------------------


def test_an_invited_review_takes_photos_through_the_api_without_credentials(
    product: Product, queued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    _url, token = invitation_url(product)
    body = {"review": json.dumps({**API, "invitation_token": token}), "photos": [jpeg("a.jpg"), jpeg("b.jpg")]}
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(f"/api/v1/products/{product.sku}/reviews/", body, format="multipart")
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["verified_purchase"] is True and [p["position"] for p in answer["photos"]] == [0, 1]
    assert queued == [p["id"] for p in answer["photos"]]


def test_an_invited_api_review_with_a_refused_photo_is_400_and_stores_nothing(
    product: Product, media_root: Path
) -> None:
    _url, token = invitation_url(product)
    name, content, ctype = LYING_FILE
    body = {"review": json.dumps({**API, "invitation_token": token}), "photos": [upload(content, name, ctype)]}
    response = APIClient().post(f"/api/v1/products/{product.sku}/reviews/", body, format="multipart")
    assert response.status_code == 400
    assert "“tent.jpg”" in response.json()["error"]["fields"]["photos"][0]
    assert Review.objects.count() == 0 and files_under(media_root) == set()


def test_a_multipart_request_without_a_token_or_credentials_is_still_401(product: Product) -> None:
    body = {"review": json.dumps(API), "photos": [jpeg()]}
    response = APIClient().post(f"/api/v1/products/{product.sku}/reviews/", body, format="multipart")
    assert response.status_code == 401


# --- The request limit covers the new routes -----------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/invitations/abc:def/", "/reviews/12/edit/", "/api/v1/reviews/12/", "/products/TENT-7/review/"]
)
def test_the_photo_routes_take_the_upload_limit_for_a_multipart_body_only(path: str, settings: Any) -> None:
    assert body_limit_for(path, "multipart/form-data; boundary=x").max_bytes == settings.UPLOAD_BODY_MAX_BYTES
    assert body_limit_for(path, "application/json").max_bytes < settings.UPLOAD_BODY_MAX_BYTES


def test_an_edit_over_the_upload_limit_is_413_before_anything_is_read(
    product: Product, author: User, settings: Any
) -> None:
    review = review_with_photos(product, author, 0)
    settings.UPLOAD_BODY_MAX_BYTES = 20_000  # the site's forms keep their 1 MiB: this route is an upload's
    noise = Image.frombytes("RGB", (100, 100), os.urandom(30_000))
    out = io.BytesIO()
    noise.save(out, format="PNG")
    response = site_as(author).post(
        reverse("review_edit", args=[review.pk]), {**FORM, "photos": [upload(out.getvalue(), "n.png", "image/png")]}
    )
    assert response.status_code == 413
    assert review.photos.count() == 0


# --- Editing on the site ------------------------------------------------------------------------


def test_the_edit_form_removes_a_chosen_photo_and_adds_a_new_one(
    product: Product, author: User, media_root: Path, queued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    review = review_with_photos(product, author, 3)
    first, second, third = review.photos.order_by("position")
    url = reverse("review_edit", args=[review.pk])
    page = site_as(author).get(url).content.decode()
    assert f'value="{second.pk}"' in page and "Remove photo 2" in page and 'name="photos"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = site_as(author).post(url, {**FORM, "remove_photos": [str(second.pk)], "photos": [jpeg("new.jpg")]})
    assert response.status_code == 302, response.content
    kept = list(review.photos.order_by("position"))
    assert [p.pk for p in kept[:2]] == [first.pk, third.pk] and [p.position for p in kept] == [0, 1, 2]
    assert queued == [kept[2].pk]
    assert second.full.name not in files_under(media_root)  # deleted once the edit committed
    assert first.full.name in files_under(media_root) and kept[2].full.name in files_under(media_root)


def test_the_edit_form_never_lets_a_review_pass_five_photos(
    product: Product, author: User, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    review = review_with_photos(product, author, 4)
    before, files_before = photo_ids(review), files_under(media_root)
    url = reverse("review_edit", args=[review.pk])
    changed = {**FORM, "title": "Changed"}
    refused = site_as(author).post(url, {**changed, "photos": [jpeg("a.jpg"), jpeg("b.jpg")]})
    assert refused.status_code == 400
    assert any("at most 5 photos" in m for m in refused.context["form"].errors["photos"])
    review.refresh_from_db()
    assert review.title == "Warm and light" and photo_ids(review) == before
    assert files_under(media_root) == files_before

    with django_capture_on_commit_callbacks(execute=True):
        accepted = site_as(author).post(
            url, {**changed, "remove_photos": [str(before[0])], "photos": [jpeg("a.jpg"), jpeg("b.jpg")]}
        )
    assert accepted.status_code == 302
    assert review.photos.count() == 5 and before[0] not in photo_ids(review)


def test_a_refused_photo_on_the_edit_form_changes_nothing(
    product: Product, author: User, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    review = review_with_photos(product, author, 2)
    before, files_before = photo_ids(review), files_under(media_root)
    name, content, ctype = LYING_FILE
    with django_capture_on_commit_callbacks(execute=True):
        response = site_as(author).post(
            reverse("review_edit", args=[review.pk]),
            {**FORM, "title": "Changed", "remove_photos": [str(before[0])], "photos": [upload(content, name, ctype)]},
        )
    assert response.status_code == 400
    assert any("“tent.jpg”" in m for m in response.context["form"].errors["photos"])
    review.refresh_from_db()
    assert review.title == "Warm and light" and photo_ids(review) == before
    assert files_under(media_root) == files_before


def test_the_edit_form_refuses_another_reviews_photo(product: Product, author: User) -> None:
    mine = review_with_photos(product, author, 1)
    theirs = review_with_photos(product_create(sku="LAMP-2", name="Lamp"), user_create(SHOPPER), 1)
    response = site_as(author).post(
        reverse("review_edit", args=[mine.pk]), {**FORM, "remove_photos": [str(photo_ids(theirs)[0])]}
    )
    assert response.status_code == 400 and "remove_photos" in response.context["form"].errors
    # The summary's link leads to the first checkbox (a group has no element of its own id).
    assert 'href="#id_remove_photos_0"' in response.content.decode()
    assert theirs.photos.count() == 1 and mine.photos.count() == 1


def test_adding_photos_to_a_published_review_follows_the_edits_moderation_rule(
    product: Product, author: User, settings: Any
) -> None:
    review = review_with_photos(product, author, 1)
    assert review.status == ReviewStatus.PUBLISHED
    settings.REVIEWS_PREMODERATION = True
    response = api_as(author).patch(f"/api/v1/reviews/{review.pk}/", {"photos": [jpeg()]}, format="multipart")
    assert response.status_code == 200 and response.json()["status"] == "pending"


def test_removing_photos_alone_needs_no_moderation(product: Product, author: User, settings: Any) -> None:
    review = review_with_photos(product, author, 2)
    settings.REVIEWS_PREMODERATION = True
    response = api_as(author).patch(
        f"/api/v1/reviews/{review.pk}/", {"remove_photos": [photo_ids(review)[0]]}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "published"
    assert review.photos.count() == 1


# --- Editing through the API --------------------------------------------------------------------


def test_patch_removes_photos_by_id_and_their_files_go_after_commit(
    product: Product, author: User, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    review = review_with_photos(product, author, 3)
    first, second, third = review.photos.order_by("position")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(author).patch(
            f"/api/v1/reviews/{review.pk}/", {"remove_photos": [first.pk, third.pk]}, format="json"
        )
    assert response.status_code == 200, response.content
    assert [(p["id"], p["position"]) for p in response.json()["photos"]] == [(second.pk, 0)]
    left = files_under(media_root)
    assert first.full.name not in left and third.full.name not in left and second.full.name in left


def test_patch_adds_photos_with_text_changes_in_one_multipart_request(
    product: Product, author: User, queued: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    review = review_with_photos(product, author, 1)
    body = {"review": json.dumps({"rating": 2}), "photos": [jpeg("a.jpg"), jpeg("b.jpg")]}
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as(author).patch(f"/api/v1/reviews/{review.pk}/", body, format="multipart")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["rating"] == 2 and [p["position"] for p in answer["photos"]] == [0, 1, 2]
    assert [p["ready"] for p in answer["photos"][1:]] == [False, False]
    assert queued == [p["id"] for p in answer["photos"][1:]]


def test_patch_refuses_another_users_photo_id_and_changes_nothing(product: Product, author: User) -> None:
    mine = review_with_photos(product, author, 1)
    theirs = review_with_photos(product_create(sku="LAMP-2", name="Lamp"), user_create(SHOPPER), 1)
    stranger = photo_ids(theirs)[0]
    response = api_as(author).patch(
        f"/api/v1/reviews/{mine.pk}/", {"title": "Changed", "remove_photos": [stranger]}, format="json"
    )
    assert response.status_code == 400
    assert str(stranger) in response.json()["error"]["fields"]["remove_photos"][0]
    mine.refresh_from_db()
    assert mine.title == "Warm and light" and theirs.photos.count() == 1


def test_a_reported_photo_the_author_removes_is_withdrawn_with_its_report_kept(
    product: Product, author: User, media_root: Path
) -> None:
    """Deleting it would delete the report (the notice's record): it is hidden at once
    instead, kept with its report for the moderators, its files until the appeal window ends;
    the unreported one is deleted. The answer lists neither, numbered from 0."""
    review = review_with_photos(product, author, 3)
    reported, other, last = review.photos.order_by("position")
    report = reactions.review_report(
        review=review, reporter=user_create(SHOPPER), reason=ReasonCode.OFFENSIVE, photo=reported
    )
    version = Product.objects.values_list("page_version", flat=True).get(pk=product.pk)
    response = api_as(author).patch(
        f"/api/v1/reviews/{review.pk}/", {"remove_photos": [reported.pk, other.pk]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert [(p["id"], p["position"]) for p in response.json()["photos"]] == [(last.pk, 0)]
    reported.refresh_from_db()
    assert reported.removed_at is not None and reported.removed_reason == ReasonCode.AUTHOR_DELETED
    assert reported.removed_by == author
    assert not ReviewPhoto.objects.filter(pk=other.pk).exists()
    assert ReviewReport.objects.filter(pk=report.pk, photo=reported, handled_at__isnull=True).exists()
    assert reported.full.name in files_under(media_root)
    assert Product.objects.values_list("page_version", flat=True).get(pk=product.pk) > version
    last.refresh_from_db()
    assert last.number_shown() == 1
    public = Client().get(f"/products/{product.sku}/").content.decode()
    assert f"/reviews/photos/{reported.pk}/" not in public
    # The appeal window closed: the photo goes, its report stays (without the photo).
    photos.review_photos_expired_delete(now=reported.removed_at + timedelta(days=APPEAL_WINDOW_DAYS + 1))
    assert not ReviewPhoto.objects.filter(pk=reported.pk).exists()
    assert ReviewReport.objects.filter(pk=report.pk, photo__isnull=True).exists()


def test_patch_keeps_a_review_at_five_photos_at_most(product: Product, author: User, media_root: Path) -> None:
    review = review_with_photos(product, author, 5)
    files_before = files_under(media_root)
    response = api_as(author).patch(f"/api/v1/reviews/{review.pk}/", {"photos": [jpeg()]}, format="multipart")
    assert response.status_code == 400 and "at most 5 photos" in response.json()["error"]["fields"]["photos"][0]
    assert review.photos.count() == 5 and files_under(media_root) == files_before


def test_patch_with_a_refused_photo_changes_nothing(product: Product, author: User, media_root: Path) -> None:
    review = review_with_photos(product, author, 2)
    before, files_before = photo_ids(review), files_under(media_root)
    body = {
        "review": json.dumps({"title": "Changed", "remove_photos": [before[0]]}),
        "photos": [jpeg("fine.jpg"), upload(bomb_png(), "bomb.png", "image/png")],
    }
    response = api_as(author).patch(f"/api/v1/reviews/{review.pk}/", body, format="multipart")
    assert response.status_code == 400 and "“bomb.png”" in response.json()["error"]["fields"]["photos"][0]
    review.refresh_from_db()
    assert review.title == "Warm and light" and photo_ids(review) == before
    assert files_under(media_root) == files_before


def test_only_the_author_changes_a_reviews_photos(product: Product, author: User, media_root: Path) -> None:
    review = review_with_photos(product, author, 1)
    files_before = files_under(media_root)
    other = api_as(user_create(SHOPPER))
    added = other.patch(f"/api/v1/reviews/{review.pk}/", {"photos": [jpeg()]}, format="multipart")
    removed = other.patch(f"/api/v1/reviews/{review.pk}/", {"remove_photos": photo_ids(review)}, format="json")
    assert (added.status_code, removed.status_code) == (403, 403)
    assert review.photos.count() == 1 and files_under(media_root) == files_before


def test_an_empty_patch_is_still_refused(product: Product, author: User) -> None:
    review = review_with_photos(product, author, 0)
    response = api_as(author).patch(f"/api/v1/reviews/{review.pk}/", {}, format="json")
    assert response.status_code == 400


def test_refused_photos_on_an_edit_count_against_the_rate_limit(product: Product, author: User, settings: Any) -> None:
    review = review_with_photos(product, author, 0)
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"review_post": (2, 3600)}
    client: Callable[[], Any] = lambda: api_as(author).patch(  # noqa: E731
        f"/api/v1/reviews/{review.pk}/", {"photos": [upload(bomb_png(), "bad.png")]}, format="multipart"
    )
    assert [client().status_code for _ in range(3)] == [400, 400, 429]


def test_refused_photos_on_the_edit_form_count_against_the_rate_limit(
    product: Product, author: User, settings: Any
) -> None:
    review = review_with_photos(product, author, 0)
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"review_post": (2, 3600)}
    url = reverse("review_edit", args=[review.pk])
    sent = [site_as(author).post(url, {**FORM, "photos": [upload(bomb_png(), "bad.png")]}) for _ in range(3)]
    assert [response.status_code for response in sent] == [400, 400, 429]


# --- A photo a moderator took down (desk.photo_takedown) -------------------------------------


def test_an_edit_neither_lists_nor_removes_a_photo_a_moderator_took_down(
    product: Product, author: User, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    """The taken-down photo stays (kept for the author's appeal) but is out of the author's
    hands: not on the edit form, not removable; it keeps its place among the 5 until its
    appeal window closes, and the photos after it move around it without colliding."""
    review = review_with_photos(product, author, 4)
    first, *others = photo_ids(review)
    moderator = user_create("moderator")
    assert photos.review_photo_take_down(
        photo=ReviewPhoto.objects.get(pk=first),
        reason=ReasonCode.OFFENSIVE,
        note="",
        by=moderator,
        now=review.created_at,
    )
    url = reverse("review_edit", args=[review.pk])
    page = site_as(author).get(url).context["form"]
    assert [photo.pk for photo in page.current_photos] == others

    refused = site_as(author).post(url, {**FORM, "remove_photos": [str(first)]})
    assert refused.status_code == 400 and ReviewPhoto.objects.filter(pk=first).exists()
    too_many = site_as(author).post(url, {**FORM, "photos": [jpeg("c.jpg"), jpeg("d.jpg")]})
    assert too_many.status_code == 400 and review.photos.count() == 4

    with django_capture_on_commit_callbacks(execute=True):
        accepted = site_as(author).post(
            url, {**FORM, "remove_photos": [str(others[0])], "photos": [jpeg("c.jpg"), jpeg("d.jpg")]}
        )
    assert accepted.status_code == 302, accepted.content
    assert review.photos.filter(removed_at__isnull=True).count() == 4
    assert ReviewPhoto.objects.filter(pk=first, removed_at__isnull=False).exists()
    assert list(review.photos.order_by("position").values_list("position", flat=True)) == [0, 1, 2, 3, 4]


def test_patch_with_a_null_review_part_adds_the_photos_alone(product: Product, author: User, media_root: Path) -> None:
    """Found by Schemathesis: the optional ``review`` part as JSON ``null`` answered 400 "No
    data provided"; it means no field to change, as when the part is left out."""
    review = review_with_photos(product, author, 1)
    response = api_as(author).patch(
        f"/api/v1/reviews/{review.pk}/", {"review": "null", "photos": [jpeg("n.jpg")]}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert review.photos.count() == 2
