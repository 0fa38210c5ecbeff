"""The review form with photos, and the product pages that show them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from products.models import Product, ProductImage
from reviews.models import Review, ReviewPhoto
from tests.integration.site.factories import product_create, user_create
from tests.photo_files import bomb_png, image_bytes

pytestmark = pytest.mark.django_db

GOOD = {"rating": "4", "title": "Warm and light", "body": "Kept me warm at two degrees, packs small.", "language": "en"}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REVIEWS_PREMODERATION = False
    return tmp_path


@pytest.fixture
def product() -> Product:
    return product_create(sku="BAG-1", name="Sleeping bag")


@pytest.fixture
def shopper(client: Client) -> None:
    client.force_login(user_create(display_name="Sam"))


def _url(product: Product) -> str:
    return reverse("review_create", kwargs={"sku": product.sku})


def _files(media_root: Path) -> list[Path]:
    return [p for p in media_root.rglob("*") if p.is_file()]


def test_the_form_is_multipart_and_states_the_limits(client: Client, product: Product, shopper: None) -> None:
    html = client.get(_url(product)).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="photos"' in html and "multiple" in html
    assert 'accept="image/jpeg,image/png,image/webp"' in html
    assert "up to 5 photos of the product, JPEG, PNG or WebP, at most 10 MB each" in html
    assert 'aria-describedby="id_photos_helptext"' in html


def test_a_review_is_posted_with_two_photos(client: Client, product: Product, shopper: None) -> None:
    photos = [SimpleUploadedFile("a.jpg", image_bytes()), SimpleUploadedFile("b.webp", image_bytes("WEBP"))]
    response = client.post(_url(product), {**GOOD, "photos": photos})
    assert response.status_code == 302
    review = Review.objects.get()
    assert list(review.photos.values_list("position", flat=True)) == [0, 1]


@pytest.mark.parametrize(
    ("photos", "message"),
    [
        ([("notes.jpg", b"dear diary")], "“notes.jpg” is not a photo we can read: send a JPEG, PNG or WebP image."),
        ([("bomb.png", bomb_png())], "“bomb.png” has too many pixels (more than 40 megapixels): send a smaller photo."),
        ([(f"{i}.jpg", image_bytes()) for i in range(6)], "Add at most 5 photos to a review."),
        ([("big.jpg", image_bytes() + b"\0" * (10 * 1024 * 1024))], "“big.jpg” is larger than 10 MB"),
    ],
)
def test_a_refused_photo_shows_a_clear_error_and_stores_nothing(
    client: Client, product: Product, shopper: None, media_root: Path, photos: list[tuple[str, bytes]], message: str
) -> None:
    uploads = [SimpleUploadedFile(name, content, content_type="image/jpeg") for name, content in photos]
    response = client.post(_url(product), {**GOOD, "photos": uploads})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html.replace("&quot;", '"').replace("&#x27;", "'")
    assert "Choose your photos again" in html
    assert 'value="Warm and light"' in html  # what was typed is kept
    assert not Review.objects.exists() and not ReviewPhoto.objects.exists() and _files(media_root) == []


def test_the_review_route_takes_51_mb_and_other_forms_1_mb(client: Client, product: Product, shopper: None) -> None:
    multipart = "multipart/form-data; boundary=x"
    over = client.generic("POST", _url(product), b"", content_type=multipart, CONTENT_LENGTH=str(51 * 1024 * 1024 + 1))
    assert over.status_code == 413
    edit = client.generic("POST", "/reviews/1/edit/", b"", content_type=multipart, CONTENT_LENGTH=str(2 * 1024 * 1024))
    assert edit.status_code == 413


def test_the_catalogue_card_and_product_page_show_the_first_image_else_the_image_url(
    client: Client, product: Product
) -> None:
    other = product_create(sku="OLD-1", name="Old lamp", image_url="https://cdn.example.com/lamp.jpg")
    ProductImage.objects.create(
        product=product, image=SimpleUploadedFile("b.png", image_bytes("PNG")), alt_text="Bag rolled up", position=1
    )
    first = ProductImage.objects.create(
        product=product, image=SimpleUploadedFile("a.png", image_bytes("PNG")), alt_text="Bag open", position=0
    )
    catalogue = client.get(reverse("product_list")).content.decode()
    assert f'src="/product-images/{first.pk}/"' in catalogue
    assert 'src="https://cdn.example.com/lamp.jpg"' in catalogue
    page = client.get(reverse("product_detail", kwargs={"sku": product.sku})).content.decode()
    assert page.index('alt="Bag open"') < page.index('alt="Bag rolled up"')
    assert client.get(f"/product-images/{first.pk}/").status_code == 200
    assert (
        'src="https://cdn.example.com/lamp.jpg"'
        in client.get(reverse("product_detail", kwargs={"sku": other.sku})).content.decode()
    )
