"""The demo's pictures (devtools/demo/photos.py): drawn at seeding, stored once."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from devtools.demo.photos import REVIEWS_WITH_PHOTOS, demo_photos_write
from products.models import ProductImage
from reviews.models import ReviewPhoto
from tests.integration.site.factories import product_create, review_create

pytestmark = pytest.mark.django_db


def test_demo_products_get_a_picture_and_a_few_reviews_photos_once() -> None:
    products = [product_create(sku=f"DEMO-{n}", name=f"Demo product {n}") for n in range(12)]
    for n, product in enumerate(products):
        review_create(product=product, rating=4 + n % 2)
    plan: Any = SimpleNamespace(products=[SimpleNamespace(sku=p.sku) for p in products])
    created: Counter[str] = Counter()
    demo_photos_write(plan, created=created)
    assert created == {"product images": 12, "review photos": sum((2, 1, 3, 2, 1, 3))}
    image = ProductImage.objects.get(product=products[0])
    assert (image.alt_text, image.width, image.height) == ("Demo product 0", 640, 480)
    with default_storage.open(image.image.name, "rb") as stream:
        assert Image.open(stream).format == "WEBP"
    assert ReviewPhoto.objects.ready().count() == ReviewPhoto.objects.count()
    assert ReviewPhoto.objects.values("review").distinct().count() == REVIEWS_WITH_PHOTOS

    again: Counter[str] = Counter()
    demo_photos_write(plan, created=again)
    assert not again and ProductImage.objects.count() == 12
