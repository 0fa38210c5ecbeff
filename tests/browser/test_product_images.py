"""Issue 18, item 1, in a real browser: a product's pictures on the catalogue card and its
page (opened in the gallery, which offers no report link for them), and a shopper reporting
a customer's photo from the gallery. axe-core checks each page for WCAG 2.1 AA."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from products.models import ProductImage
from reviews import photos
from reviews.models import ReviewReport
from tests.browser.conftest import expect_image_loaded, screenshot, sign_in
from tests.browser.test_review_photos import assert_no_axe_violations
from tests.integration.site.factories import PASSWORD, product_create, user_create
from tests.photo_files import image_bytes, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_product_pictures_on_the_card_and_page_and_a_customer_photo_reported(
    page: Any, live_server: Any, settings: Any
) -> None:
    settings.REVIEWS_PREMODERATION = False
    product = product_create(sku="TENT-9", name="Family tent", brand="Quechua")
    for position, (alt, color) in enumerate(
        [("Tent pitched in a meadow", (30, 120, 60)), ("Tent packed", (200, 140, 20))]
    ):
        ProductImage.objects.create(
            product=product,
            image=SimpleUploadedFile(f"{position}.png", image_bytes("PNG", (640, 480), color)),
            alt_text=alt,
            position=position,
        )
    review = photos.review_submit_with_photos(
        uploads=[upload(image_bytes("JPEG", (800, 600), (90, 90, 200)), "door.jpg")],
        queue_sizes=lambda photo_id: None,
        product=product,
        author=user_create(display_name="Noé"),
        rating=5,
        title="Roomy",
        body="Four of us and the dog, dry after a night of rain.",
        language="en",
    )
    photo = review.photos.get()
    photos.review_photo_sizes_make(photo_id=photo.pk)

    page.goto(f"{live_server.url}/products/")
    card_image = page.locator(".product-thumb").first
    expect(card_image).to_have_attribute("src", re.compile(r"^/product-images/\d+/$"))
    expect_image_loaded(card_image)
    assert_no_axe_violations(page)
    screenshot(page, "product-images-catalogue")

    page.goto(f"{live_server.url}/products/TENT-9/")
    expect(page.get_by_role("img", name="Tent pitched in a meadow")).to_be_visible()
    page.get_by_role("link", name="Tent packed").click()
    gallery = page.get_by_role("dialog", name="Tent packed")
    expect(gallery).to_be_visible()
    expect(gallery.get_by_role("link", name="Report this photo")).to_be_hidden()  # the shop's own picture
    expect(gallery.locator(".photo-gallery-position")).to_have_text("2 of 2")
    screenshot(page, "product-images-gallery", full_page=False)
    page.keyboard.press("Escape")

    sign_in(page, live_server.url, user_create(username="lou").username, PASSWORD)
    page.goto(f"{live_server.url}/products/TENT-9/")
    page.get_by_role("region", name="Customer photos").get_by_role("link").first.click()
    page.get_by_role("dialog").get_by_role("link", name="Report this photo").click()
    expect(page.get_by_role("heading", name="Report a photo", level=1)).to_be_visible()
    expect(page.get_by_role("img", name="Photo 1 by Noé")).to_be_visible()
    page.get_by_label("Contains personal data").check()
    assert_no_axe_violations(page)
    screenshot(page, "review-photo-report")
    page.get_by_role("button", name="Send the report").click()
    expect(page.locator(".messages")).to_contain_text("A moderator will look at this photo")
    report = ReviewReport.objects.get()
    assert (report.review_id, report.photo_id, report.reason) == (review.pk, photo.pk, "personal_data")
