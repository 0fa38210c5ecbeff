"""Product images are cleaned as review photos are (products.images), and served as what they hold."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.models import User
from products.models import Product, ProductImage
from tests.factories import product_create
from tests.integration.products.admin_forms import product_add_form
from tests.photo_files import GPS_IFD, image_bytes, jpeg_with_gps, many_scans_jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _served(client: Client, image: ProductImage) -> Any:
    return client.get(reverse("product_image", kwargs={"pk": image.pk}))


def test_a_png_named_pdf_is_stored_and_served_as_the_image_it_is(
    client: Client, admin_user: User, media_root: Path
) -> None:
    client.force_login(admin_user)
    upload = SimpleUploadedFile("x.pdf", image_bytes("PNG", (120, 90)), content_type="application/pdf")
    response = client.post(
        "/admin/products/product/add/", product_add_form(image=upload, alt_text="Tent", position="0")
    )
    assert response.status_code == 302
    image = ProductImage.objects.get()
    assert image.image.name.endswith("/x.webp") and (image.width, image.height) == (120, 90)
    served = _served(client, image)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(b"".join(served.streaming_content))).format == "WEBP"


def test_a_product_images_exif_and_gps_are_removed(media_root: Path) -> None:
    source = jpeg_with_gps(size=(80, 40), orientation=6)
    image = ProductImage(product=product_create(sku="TENT-2"), alt_text="Tent")
    image.image = SimpleUploadedFile("tent.jpg", source)  # type: ignore[assignment]
    image.save()
    raw = (media_root / image.image.name).read_bytes()
    assert b"Exif" not in raw and b"SpyCam" not in raw
    stored = Image.open(io.BytesIO(raw))
    assert stored.format == "WEBP" and not stored.getexif().get_ifd(GPS_IFD)
    assert (stored.width, stored.height) == (40, 80) == (image.width, image.height)  # upright


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_the_admin_refuses_an_image_that_is_not_jpeg_png_or_webp(client: Client, admin_user: User, fmt: str) -> None:
    client.force_login(admin_user)
    upload = SimpleUploadedFile("tent.png", image_bytes(fmt), content_type="image/png")
    response = client.post(
        "/admin/products/product/add/", product_add_form(image=upload, alt_text="Tent", position="0")
    )
    assert response.status_code == 200
    assert "Upload a JPEG, PNG or WebP image" in response.content.decode()
    assert not Product.objects.exists() and not ProductImage.objects.exists()


def test_an_image_stored_before_the_cleaning_is_served_with_the_type_it_holds(client: Client) -> None:
    """A row written as uploaded (before this change): a PNG under a .pdf name."""
    name = default_storage.save("products/x.pdf", ContentFile(image_bytes("PNG")))
    image = ProductImage.objects.create(product=product_create(sku="TENT-3"), alt_text="Tent", image=name)
    served = _served(client, image)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"


def test_a_picture_stored_by_its_file_gets_its_size_and_loading_it_reads_no_file(media_root: Path) -> None:
    # The demo stores its pictures through FieldFile.save(), which the cleaning does not see.
    product = product_create(sku="TENT-9")
    image = ProductImage(product=product, alt_text="Tent", position=0)
    image.image.save("tent.webp", ContentFile(image_bytes("WEBP", (64, 48))), save=True)
    assert (image.width, image.height) == (64, 48)
    # Loading rows never opens their files (a page of products would make a storage round
    # trip per picture): with the file gone, the product and its pictures still load.
    default_storage.delete(image.image.name)
    loaded = Product.objects.prefetch_related("images").get(pk=product.pk)
    assert [(picture.width, picture.height) for picture in loaded.images.all()] == [(64, 48)]
    ProductImage.objects.filter(pk=image.pk).update(width=None, height=None)
    assert ProductImage.objects.get(pk=image.pk).width is None  # no read on load, even unknown


def test_the_admin_refuses_a_jpeg_of_thousands_of_scans_as_review_photos_are(client: Client, admin_user: User) -> None:
    """core.images guards product images as it guards review photos: a CPU bomb (a JPEG of
    thousands of scans, which Django's ImageField lets through) is refused from its markers."""
    client.force_login(admin_user)
    upload = SimpleUploadedFile("tent.jpg", many_scans_jpeg(), content_type="image/jpeg")
    response = client.post(
        "/admin/products/product/add/", product_add_form(image=upload, alt_text="Tent", position="0")
    )
    assert response.status_code == 200
    assert "more than 64 scans" in response.content.decode()
    assert not Product.objects.exists() and not ProductImage.objects.exists()
