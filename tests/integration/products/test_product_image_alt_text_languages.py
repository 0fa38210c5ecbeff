"""A product picture's alternative text in the shopper's language (products/translation.py),
as its name is: the French page and the API in French read the French text, or the English
one where none was written (found by the try from outside: "Alpenrand Expedition Duffel
70 L" on the French page)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from products.models import ProductImage
from tests.factories import product_create
from tests.photo_files import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)


def _picture(sku: str, *, english: str, french: str | None) -> None:
    ProductImage.objects.create(
        product=product_create(sku=sku, name=english),
        image=SimpleUploadedFile("p.png", image_bytes("PNG", (64, 48), (10, 120, 60))),
        alt_text_en=english,
        alt_text_fr=french,
        position=0,
    )


def test_the_french_page_and_api_read_the_french_alternative_text() -> None:
    _picture("PAN-1", english="Frying pan, 28 cm", french="Poêle, 28 cm")
    page = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/products/PAN-1/").content.decode()
    assert 'alt="Poêle, 28 cm"' in page and 'alt="Frying pan, 28 cm"' not in page
    assert 'alt="Frying pan, 28 cm"' in Client(HTTP_ACCEPT_LANGUAGE="en").get("/products/PAN-1/").content.decode()
    api = Client().get("/api/v1/products/PAN-1/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert api["images"][0]["alt_text"] == "Poêle, 28 cm"


def test_without_a_french_text_the_english_one_is_read() -> None:
    _picture("PAN-2", english="Saucepan", french=None)
    page = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/products/PAN-2/").content.decode()
    assert 'alt="Saucepan"' in page
