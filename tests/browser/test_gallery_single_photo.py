"""Issue 18: a gallery of one photo (a product with a single picture) offers no Previous or
Next and no "1 of 1"; a gallery of two still does. axe-core checks the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from products.models import Product, ProductImage
from tests.browser.conftest import screenshot
from tests.browser.test_review_photos import assert_no_axe_violations
from tests.integration.site.factories import product_create
from tests.photo_files import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _pictures(product: Product, count: int) -> None:
    for position in range(count):
        ProductImage.objects.create(
            product=product,
            image=SimpleUploadedFile(f"{position}.png", image_bytes("PNG", (640, 480), (30, 120, 60))),
            alt_text=f"{product.name} picture {position + 1}",
            position=position,
        )


def test_a_one_photo_gallery_has_no_previous_next_or_position(
    page: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    _pictures(product_create(sku="LAMP-1", name="Head lamp"), 1)
    _pictures(product_create(sku="LAMP-2", name="Lantern"), 2)

    page.goto(f"{live_server.url}/products/LAMP-1/")
    page.get_by_role("link", name="Head lamp picture 1").click()
    gallery = page.get_by_role("dialog", name="Head lamp picture 1")
    expect(gallery).to_be_visible()
    expect(gallery.get_by_role("button", name="Previous photo")).to_be_hidden()
    expect(gallery.get_by_role("button", name="Next photo")).to_be_hidden()
    expect(gallery.locator(".photo-gallery-position")).to_be_hidden()
    expect(gallery.get_by_role("button", name="Close")).to_be_focused()
    assert_no_axe_violations(page)
    screenshot(page, "gallery-one-photo", full_page=False)

    page.goto(f"{live_server.url}/products/LAMP-2/")
    page.get_by_role("link", name="Lantern picture 1").click()
    gallery = page.get_by_role("dialog", name="Lantern picture 1")
    expect(gallery.get_by_role("button", name="Next photo")).to_be_visible()
    expect(gallery.locator(".photo-gallery-position")).to_have_text("1 of 2")
    gallery.get_by_role("button", name="Next photo").click()
    expect(page.get_by_role("dialog", name="Lantern picture 2")).to_be_visible()
