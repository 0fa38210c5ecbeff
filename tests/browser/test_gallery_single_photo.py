"""Issue 18: a gallery of one photo (a product with a single picture) offers no Previous or
Next and no "1 of 1"; a gallery of two still does. axe-core checks the page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from products.models import Product, ProductImage
from reviews import photos
from tests.browser.conftest import screenshot
from tests.browser.test_review_photos import assert_no_axe_violations
from tests.integration.site.factories import product_create, user_create
from tests.photo_files import image_bytes, upload

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


def test_a_tall_photo_leaves_the_gallerys_buttons_inside_it_on_a_720_pixel_screen(
    page: Any, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    """Found by the try from outside: at 1280 x 720, a customer's square photo (its gallery
    has a caption, a position and a report link too) pushed Previous, Next and Close through
    the dialog's bottom edge."""
    settings.MEDIA_ROOT = str(tmp_path)
    settings.REVIEWS_PREMODERATION = False
    review = photos.review_submit_with_photos(
        uploads=[upload(image_bytes("PNG", (1400, 1400), (200, 60, 40)), f"{n}.png", "image/png") for n in range(2)],
        queue_sizes=lambda photo_id: None,
        product=product_create(sku="DUFFEL-7", name="Duffel"),
        author=user_create(username="alex", display_name="Alex P."),
        rating=5,
        title="Great duffel with photos",
        body="Took it on three trips; the zips and the straps held up well.",
        language="en",
    )
    for photo in review.photos.all():
        photos.review_photo_sizes_make(photo_id=photo.pk)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server.url}/products/DUFFEL-7/")
    page.get_by_role("region", name="Customer photos").get_by_role("link").first.click()
    gallery = page.get_by_role("dialog")
    expect(gallery.get_by_role("link", name="Report this photo")).to_be_visible()
    page.wait_for_function("() => document.querySelector('.photo-gallery-image').naturalWidth > 0")
    dialog_box = gallery.bounding_box()
    assert dialog_box is not None
    for name in ("Previous photo", "Next photo", "Close"):
        button = gallery.get_by_role("button", name=name).bounding_box()
        assert button is not None and button["y"] + button["height"] <= dialog_box["y"] + dialog_box["height"], name
    screenshot(page, "gallery-tall-photo-720", full_page=False)
