"""Review photos through reviews.photos: what is accepted, what is stored, what is shown."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from core.errors import Conflict, ValidationFailed
from products.models import Product
from reviews import photos, reactions, services
from reviews.models import ReasonCode, Review, ReviewPhoto, ReviewStatus
from tests.factories import product_create, user_create
from tests.photo_files import GPS_IFD, MAKE, bomb_png, image_bytes, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

FIELDS = {"rating": 4, "title": "Sturdy", "body": "Held up for a month of daily use.", "language": "en"}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REVIEWS_PREMODERATION = False
    return tmp_path


@pytest.fixture
def product() -> Product:
    return product_create(sku="LUNCH-1", name="Lunch box")


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def submit(product: Product, uploads: list[Any], queued: list[int] | None = None, **extra: Any) -> Review:
    author = extra.pop("author", None) or user_create()
    queue = queued.append if queued is not None else (lambda photo_id: None)
    return photos.review_submit_with_photos(
        uploads=uploads, queue_sizes=queue, product=product, author=author, **{**FIELDS, **extra}
    )


def opened(name: str) -> Image.Image:
    with default_storage.open(name, "rb") as stream:
        image = Image.open(io.BytesIO(stream.read()))
        image.load()
    return image


def test_exif_and_gps_are_removed_and_the_photo_is_turned_upright(product: Product, media_root: Path) -> None:
    source = jpeg_with_gps(size=(80, 40), orientation=6)  # "rotate 90° clockwise to display"
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)  # the test's file does carry GPS
    review = submit(product, [upload(source, "holiday.jpg")])
    photo = review.photos.get()
    stored = opened(photo.full.name)
    assert stored.format == "WEBP"
    assert (stored.width, stored.height) == (40, 80) == (photo.width, photo.height)
    exif = stored.getexif()
    assert not exif.get_ifd(GPS_IFD) and MAKE not in exif and len(exif) == 0
    raw = (media_root / photo.full.name).read_bytes()
    assert b"Exif" not in raw and b"SpyCam" not in raw and b"XMP" not in raw


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (b"just some text, honest", "photo.jpg", "image/jpeg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "cat.jpg", "image/jpeg"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "cat.svg", "image/svg+xml"),
        (image_bytes("GIF"), "anim.jpg", "image/jpeg"),
        (image_bytes("GIF"), "anim.gif", "image/gif"),
        (image_bytes("BMP"), "photo.png", "image/png"),
        (image_bytes("JPEG")[:200], "cut.jpg", "image/jpeg"),  # truncated
    ],
)
def test_a_file_is_judged_by_its_decoded_content_never_its_name_or_type(
    product: Product, media_root: Path, content: bytes, name: str, content_type: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        submit(product, [upload(content, name, content_type)])
    assert refused.value.fields["photos"][0].startswith(f"“{name}”")
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_a_png_named_jpg_is_accepted_for_what_it_is(product: Product) -> None:
    review = submit(product, [upload(image_bytes("PNG", color=(0, 0, 255, 128)), "really-a-png.jpg")])
    stored = opened(review.photos.get().full.name)
    assert stored.format == "WEBP" and stored.mode == "RGBA"


def test_a_decompression_bomb_is_refused_before_it_is_decoded(product: Product, media_root: Path) -> None:
    bomb = bomb_png(10_000)  # 100 megapixels in a small file
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationFailed) as refused:
        submit(product, [upload(bomb, "bomb.png", "image/png")])
    assert "too many pixels" in refused.value.fields["photos"][0]
    assert not Review.objects.exists() and stored_files(media_root) == []


def test_an_over_size_photo_is_refused_with_nothing_stored(product: Product, media_root: Path) -> None:
    big = upload(image_bytes("JPEG") + b"\0" * (10 * 1024 * 1024), "big.jpg")
    with pytest.raises(ValidationFailed) as refused:
        submit(product, [upload(image_bytes("PNG"), "fine.png"), big])
    assert refused.value.fields["photos"] == ["“big.jpg” is larger than 10 MB: send a smaller photo."]
    assert not Review.objects.exists() and stored_files(media_root) == []


def test_more_than_five_photos_are_refused(product: Product, media_root: Path) -> None:
    with pytest.raises(ValidationFailed) as refused:
        submit(product, [upload(image_bytes(), f"p{i}.jpg") for i in range(6)])
    assert refused.value.fields["photos"] == ["Add at most 5 photos to a review."]
    assert not Review.objects.exists() and stored_files(media_root) == []


def test_a_refused_review_leaves_no_photo_file(product: Product, media_root: Path) -> None:
    author = user_create()
    submit(product, [], author=author)
    with pytest.raises(Conflict):  # a second review of the same product
        submit(product, [upload(image_bytes(), "a.jpg"), upload(image_bytes("PNG"), "b.png")], author=author)
    assert Review.objects.count() == 1 and not ReviewPhoto.objects.exists()
    assert stored_files(media_root) == []


def test_photos_are_queued_on_commit_and_the_sizes_task_is_idempotent(
    product: Product, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    queued: list[int] = []
    with django_capture_on_commit_callbacks(execute=True):
        review = submit(
            product, [upload(image_bytes(size=(3000, 1500)), "wide.jpg"), upload(image_bytes("WEBP"))], queued
        )
    first, second = review.photos.all()
    assert queued == [first.pk, second.pk]
    assert first.ready_at is None and not ReviewPhoto.objects.ready().exists()
    assert photos.review_photo_sizes_make(photo_id=first.pk) is True
    files = stored_files(media_root)
    first.refresh_from_db()
    assert first.ready_at is not None
    assert opened(first.full.name).size == (2048, 1024)
    assert opened(first.large.name).size == (1024, 512)
    assert opened(first.thumb.name).size == (320, 160)
    # Again: nothing changes. A run that stopped after writing a size (not marked ready) is
    # replaced, not duplicated, by the next one.
    assert photos.review_photo_sizes_make(photo_id=first.pk) is False
    assert stored_files(media_root) == files
    ReviewPhoto.objects.filter(pk=second.pk).update(ready_at=None)
    assert photos.review_photo_sizes_make(photo_id=second.pk) is True
    assert photos.review_photo_sizes_make(photo_id=second.pk) is False
    second.refresh_from_db()
    assert len([f for f in stored_files(media_root) if f"/{second.full.name.rsplit('/', 2)[-2]}/" in str(f)]) == 3


def test_the_sweep_makes_the_sizes_a_lost_task_never_made(product: Product) -> None:
    review = submit(product, [upload(image_bytes())])
    assert photos.review_photo_ids_unsized() == [review.photos.get().pk]
    photos.review_photo_sizes_make(photo_id=review.photos.get().pk)
    assert photos.review_photo_ids_unsized() == []


# --- Who sees a photo ---------------------------------------------------------------------
def _ready_review(product: Product, **extra: Any) -> tuple[Review, ReviewPhoto]:
    review = submit(product, [upload(image_bytes())], **extra)
    photo = review.photos.get()
    photos.review_photo_sizes_make(photo_id=photo.pk)
    return review, photo


def _photo_url(photo: ReviewPhoto, size: str = "thumb") -> str:
    return reverse("review_photo", kwargs={"pk": photo.pk, "size": size})


def test_a_published_reviews_photo_is_public(client: Client, product: Product) -> None:
    review, photo = _ready_review(product)
    assert review.status == ReviewStatus.PUBLISHED
    for size in ("thumb", "large", "full"):
        response = client.get(_photo_url(photo, size))
        assert response.status_code == 200 and response["Content-Type"] == "image/webp"
        assert "public" in response["Cache-Control"]
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "WEBP"  # type: ignore[attr-defined]
    assert client.get(_photo_url(photo, "huge")).status_code == 404


@pytest.mark.parametrize("move", ["pending", "rejected", "removed"])
def test_a_held_rejected_or_removed_reviews_photo_is_seen_by_its_author_and_moderators_only(
    client: Client, product: Product, settings: Any, move: str
) -> None:
    settings.REVIEWS_PREMODERATION = True
    author = user_create()
    review, photo = _ready_review(product, author=author)
    assert review.status == ReviewStatus.PENDING
    moderator = user_create("moderator")
    if move == "rejected":
        services.review_reject(review=review, reason=ReasonCode.SPAM, by=moderator)
    elif move == "removed":
        services.review_publish(review=review, by=moderator)
        assert client.get(_photo_url(photo)).status_code == 200  # published: public
        services.review_remove(review=review, reason=ReasonCode.OFFENSIVE, by=moderator)
    assert client.get(_photo_url(photo)).status_code == 404  # anonymous
    client.force_login(user_create())
    assert client.get(_photo_url(photo)).status_code == 404  # another shopper
    client.force_login(author)
    response = client.get(_photo_url(photo))
    assert response.status_code == 200 and "public" not in response["Cache-Control"]
    client.force_login(moderator)
    assert client.get(_photo_url(photo)).status_code == 200
    assert photo not in ReviewPhoto.objects.public()


def test_a_photo_shows_only_once_its_sizes_exist(client: Client, product: Product) -> None:
    author = user_create()
    review = submit(product, [upload(image_bytes())], author=author)
    photo = review.photos.get()
    page = reverse("product_detail", kwargs={"sku": product.sku})
    assert _photo_url(photo) not in client.get(page).content.decode()
    assert client.get(_photo_url(photo)).status_code == 404
    photos.review_photo_sizes_make(photo_id=photo.pk)
    html = client.get(page).content.decode()
    assert html.count(_photo_url(photo)) == 2  # the customer photos strip and the review card
    assert 'alt="Photo 1 by ' in html and "Customer photos" in html


# --- Reporting a photo --------------------------------------------------------------------
def test_a_shopper_reports_a_photo_and_moderators_see_which(client: Client, product: Product) -> None:
    review, photo = _ready_review(product, author=user_create(display_name="Ann"))
    _other_review, other_photo = _ready_review(product)
    report_url = reverse("review_report", kwargs={"pk": review.pk})
    client.force_login(user_create())
    form = client.get(report_url, {"photo": photo.pk})
    assert form.status_code == 200
    html = form.content.decode()
    assert (
        "<h1>Report a photo</h1>" in html
        and "What is wrong with this photo?" in html
        and f'name="photo" value="{photo.pk}"' in html
    )
    assert client.get(report_url, {"photo": other_photo.pk}).status_code == 404  # another review's photo
    assert client.get(report_url, {"photo": "١"}).status_code == 404
    response = client.post(
        report_url, {"reason": "personal_data", "comment": "A face.", "photo": photo.pk}, follow=True
    )
    assert response.redirect_chain and "A moderator will look at this photo" in response.content.decode()
    report = review.reports.get()
    assert report.photo == photo and report.reason == ReasonCode.PERSONAL_DATA
    moderator = user_create("moderator")
    client.force_login(moderator)
    queue = client.get(reverse("desk:moderation")).content.decode()
    assert "Reported photo" in queue and _photo_url(photo) in queue


def test_a_report_names_only_a_photo_of_its_review(product: Product) -> None:
    review, _photo = _ready_review(product)
    _other, other_photo = _ready_review(product)
    with pytest.raises(ValidationFailed):
        reactions.review_report(review=review, reporter=user_create(), reason=ReasonCode.SPAM, photo=other_photo)


def test_a_phones_jpeg_with_a_second_picture_mpo_is_accepted(product: Product) -> None:
    out = io.BytesIO()
    first, depth = Image.new("RGB", (60, 40), (10, 200, 10)), Image.new("RGB", (30, 20), (0, 0, 0))
    first.save(out, format="MPO", save_all=True, append_images=[depth])
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    review = submit(product, [upload(out.getvalue(), "IMG_0001.JPG")])
    assert opened(review.photos.get().full.name).size == (60, 40)
