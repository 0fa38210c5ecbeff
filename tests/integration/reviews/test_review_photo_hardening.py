"""Issue 18, hostile review of the review photos: decoding cost, caching, deletion, sizing."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from apikeys.services import api_key_create
from core.errors import Conflict
from products.models import Product
from reviews import photos, reactions, services
from reviews.models import REPORT_REASONS, Review, ReviewPhoto
from reviews.photo_rules import APPEAL_WINDOW_DAYS, MAX_JPEG_SCANS, jpeg_scan_count
from reviews.tasks import review_photo_sizes_sweep_task
from tests.factories import product_create, user_create
from tests.photo_files import bomb_png, image_bytes, many_scans_jpeg, upload

pytestmark = pytest.mark.django_db

FIELDS: dict[str, Any] = {"rating": 4, "title": "Sturdy", "body": "Held up for a month of daily use.", "language": "en"}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REVIEWS_PREMODERATION = False
    return tmp_path


@pytest.fixture
def product() -> Product:
    return product_create(sku="LAMP-1", name="Camp lamp")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def no_decoding(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records (and forbids the effect of) every full decode of an upload."""
    decoded: list[str] = []
    real = photos._decoded

    def recording(stream: Any) -> Any:
        decoded.append(getattr(stream, "name", "?"))
        return real(stream)

    monkeypatch.setattr(photos, "_decoded", recording)
    return decoded


def submit(product: Product, uploads: list[Any], **extra: Any) -> Review:
    author = extra.pop("author", None) or user_create()
    return photos.review_submit_with_photos(
        uploads=uploads, queue_sizes=lambda photo_id: None, product=product, author=author, **{**FIELDS, **extra}
    )


# --- 1. a JPEG of thousands of scans -----------------------------------------------------


def test_a_jpeg_of_thousands_of_scans_is_refused_from_its_markers_without_decoding(
    product: Product, media_root: Path, no_decoding: list[str]
) -> None:
    crafted = many_scans_jpeg()
    assert (jpeg_scan_count(crafted, stop_after=10**6) or 0) > 2000  # the crafted file does have them
    with pytest.raises(photos.PhotosRefused) as refused:
        submit(product, [upload(crafted, "scans.jpg")])
    assert no_decoding == []  # refused from its markers: never handed to the decoder
    message = refused.value.fields["photos"][0]
    assert "“scans.jpg”" in message and f"more than {MAX_JPEG_SCANS} scans" in message
    assert stored_files(media_root) == [] and not Review.objects.exists()


def test_an_ordinary_progressive_jpeg_is_accepted(product: Product) -> None:
    review = submit(product, [upload(image_bytes("JPEG", progressive=True), "p.jpg")])
    assert review.photos.count() == 1


# --- 2. decoding is bounded: headers first, the review's checks, the rate limit -----------


def test_every_header_is_checked_before_any_photo_is_decoded(
    product: Product, media_root: Path, no_decoding: list[str]
) -> None:
    good = [upload(image_bytes(), f"good{i}.jpg") for i in range(3)]
    with pytest.raises(photos.PhotosRefused) as refused:
        submit(product, [*good, upload(bomb_png(), "bomb.png"), upload(b"text", "text.jpg")])
    assert no_decoding == []
    assert len(refused.value.fields["photos"]) == 1 and "“bomb.png”" in refused.value.fields["photos"][0]
    assert stored_files(media_root) == []


def test_a_duplicate_review_is_refused_before_its_photos_are_decoded(
    product: Product, media_root: Path, no_decoding: list[str]
) -> None:
    author = user_create()
    services.review_submit(product=product, author=author, **FIELDS)
    with pytest.raises(Conflict):
        submit(product, [upload(image_bytes(), "again.jpg")], author=author)
    assert no_decoding == []
    assert stored_files(media_root) == []


@pytest.fixture
def tight_limit(settings: Any) -> None:
    cache.clear()
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {"review_post": (2, 3600)}


def _api_post(client: APIClient, product: Product, photo: bytes) -> Any:
    return client.post(
        f"/api/v1/products/{product.sku}/reviews/",
        {"review": json.dumps(FIELDS), "photos": [upload(photo, "bad.jpg")]},
        format="multipart",
    )


def test_refused_photos_count_against_the_api_rate_limit(product: Product, tight_limit: None) -> None:
    client = APIClient()
    key = api_key_create(name="shop", owner=user_create(), scopes=["read", "write"])
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key.plaintext}")
    statuses = [_api_post(client, product, bomb_png()).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_refused_photos_count_against_the_sites_rate_limit(product: Product, tight_limit: None) -> None:
    client = Client()
    client.force_login(user_create())
    url = reverse("review_create", kwargs={"sku": product.sku})
    form = {**FIELDS, "rating": "4"}
    statuses = [client.post(url, {**form, "photos": [upload(bomb_png(), "bad.png")]}).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]


def test_a_refused_review_without_photos_is_still_given_back(product: Product, tight_limit: None) -> None:
    """The design kept for other refusals: only attempts that succeed count."""
    client = APIClient()
    key = api_key_create(name="shop", owner=user_create(), scopes=["read", "write"])
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key.plaintext}")
    url = f"/api/v1/products/{product.sku}/reviews/"
    assert client.post(url, FIELDS, format="json").status_code == 201
    statuses = [client.post(url, FIELDS, format="json").status_code for _ in range(3)]
    assert statuses == [409, 409, 409]


# --- 3. a published photo is cached minutes, not a day -------------------------------------


def _ready_photo(product: Product) -> ReviewPhoto:
    review = submit(product, [upload(image_bytes(), "a.jpg")])
    photo = review.photos.get()
    assert photos.review_photo_sizes_make(photo_id=photo.pk)
    return ReviewPhoto.objects.get(pk=photo.pk)


def test_a_published_photo_is_cached_five_minutes_and_revalidated(client: Client, product: Product) -> None:
    photo = _ready_photo(product)
    response = client.get(reverse("review_photo", kwargs={"pk": photo.pk, "size": "thumb"}))
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert directives == {"public", "max-age=300", "must-revalidate"}


# --- 5. one broken photo does not block the sweep ------------------------------------------


def test_the_sweep_skips_a_photo_whose_file_is_gone_and_sizes_the_others(
    product: Product, media_root: Path, caplog: pytest.LogCaptureFixture
) -> None:

    broken = submit(product, [upload(image_bytes(), "a.jpg")]).photos.get()
    fine = submit(product, [upload(image_bytes(), "b.jpg")]).photos.get()
    (media_root / broken.full.name).unlink()
    assert review_photo_sizes_sweep_task() == 1
    assert ReviewPhoto.objects.get(pk=fine.pk).ready_at is not None
    assert ReviewPhoto.objects.get(pk=broken.pk).ready_at is None
    assert f"photo {broken.pk} could not be sized" in caplog.text


# --- 6. two sizing runs at once leave no orphan --------------------------------------------


def test_two_sizing_runs_at_once_leave_one_file_per_size(
    product: Product, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photo = submit(product, [upload(image_bytes(size=(1600, 1200)), "a.jpg")]).photos.get()
    real_save = photos._save_replacing
    raced: list[bool] = []

    def racing_save(name: str, content: bytes) -> str:
        # This run found no file at ``name``; before it saves, another run makes every size
        # and wins: this one's save then gets a renamed file.
        if not raced:
            raced.append(True)
            monkeypatch.setattr(photos, "_save_replacing", real_save)
            assert photos.review_photo_sizes_make(photo_id=photo.pk)
            monkeypatch.setattr(photos, "_save_replacing", racing_save)

        return default_storage.save(name, ContentFile(content))

    monkeypatch.setattr(photos, "_save_replacing", racing_save)
    assert photos.review_photo_sizes_make(photo_id=photo.pk) is False  # the loser
    photo.refresh_from_db()
    names = sorted(p.relative_to(media_root).as_posix() for p in stored_files(media_root))
    assert names == sorted([photo.full.name, photo.large.name, photo.thumb.name])


# --- 7. a 16-bit greyscale PNG keeps its greys ---------------------------------------------


def test_a_16_bit_greyscale_png_keeps_its_greys(product: Product) -> None:
    out = io.BytesIO()
    Image.new("I;16", (40, 30), 128 * 256).save(out, format="PNG")
    assert Image.open(io.BytesIO(out.getvalue())).mode.startswith("I")  # a 16-bit file indeed
    photo = submit(product, [upload(out.getvalue(), "grey.png")]).photos.get()
    with default_storage.open(photo.full.name, "rb") as stream:
        stored = Image.open(io.BytesIO(stream.read())).convert("RGB")
    red, green, blue = stored.getpixel((20, 15))  # type: ignore[misc]
    assert abs(red - 128) <= 3 and red == green == blue


# --- 4. photo files are deleted with their photos ------------------------------------------


def test_an_author_deleting_their_review_deletes_its_photos_and_files(
    product: Product, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    photo = _ready_photo(product)
    assert len(stored_files(media_root)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        services.review_delete_by_author(review=photo.review, author=photo.review.author)
    assert not ReviewPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_a_deleted_photo_row_deletes_its_files_after_commit_only(
    product: Product, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    photo = _ready_photo(product)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        ReviewPhoto.objects.filter(pk=photo.pk).delete()
        raise RuntimeError("rolled back")
    assert len(stored_files(media_root)) == 3  # a rolled-back deletion keeps them
    with django_capture_on_commit_callbacks(execute=True):
        Review.objects.filter(pk=photo.review_id).delete()  # with its review, as the admin would
    assert stored_files(media_root) == []


def test_a_rejected_reviews_photos_are_kept_for_the_appeal_window_then_deleted(
    product: Product, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    photo = _ready_photo(product)
    decided = timezone.now()
    services.review_reject(review=photo.review, reason=REPORT_REASONS[0], by=None, now=decided)
    kept = photos.review_photos_expired_delete(now=decided + timedelta(days=APPEAL_WINDOW_DAYS - 1))
    assert kept == 0 and len(stored_files(media_root)) == 3
    with django_capture_on_commit_callbacks(execute=True):
        deleted = photos.review_photos_expired_delete(now=decided + timedelta(days=APPEAL_WINDOW_DAYS + 1))
    assert deleted == 1 and stored_files(media_root) == [] and not ReviewPhoto.objects.exists()


def test_an_author_deleting_their_review_keeps_a_reported_photo_with_its_report(
    product: Product, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    review = submit(product, [upload(image_bytes(), "a.jpg"), upload(image_bytes("PNG"), "b.png")])
    reported, _unreported = review.photos.order_by("position")
    report = reactions.review_report(review=review, reporter=user_create(), reason=REPORT_REASONS[0], photo=reported)
    with django_capture_on_commit_callbacks(execute=True):
        services.review_delete_by_author(review=review, author=review.author)
    assert list(ReviewPhoto.objects.values_list("pk", flat=True)) == [reported.pk]
    assert [p.relative_to(media_root).as_posix() for p in stored_files(media_root)] == [reported.full.name]
    report.refresh_from_db()
    assert report.photo_id == reported.pk
