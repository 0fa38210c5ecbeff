"""Issue 18, item 1, in a real browser: a shopper posts a review with two photos; they
stay hidden while the review waits for a moderator, then show on the product page (the
customer photos strip and the review card) and open in the gallery dialog, driven by the
keyboard, under the site's Content-Security-Policy (the page fixture fails on a violation).
axe-core checks the product page, the form and the open gallery for WCAG 2.1 AA."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from reviews import services
from reviews.models import Review, ReviewPhoto
from tests.browser.conftest import expect_image_loaded, screenshot, sign_in
from tests.integration.site.factories import PASSWORD, product_create, user_create
from tests.photo_files import image_bytes, jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_no_axe_violations(page: Any) -> None:
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def _post_review_with_two_photos(page: Any, base: str, tmp_path: Path) -> None:
    first = tmp_path / "lid.jpg"
    first.write_bytes(jpeg_with_gps((1200, 900)))
    second = tmp_path / "inside.png"
    second.write_bytes(image_bytes("PNG", (900, 1200), (40, 120, 200)))
    sign_in(page, base, "camille", PASSWORD)
    page.goto(f"{base}/products/LUNCH-2/review/")
    page.locator('label[for="id_rating_3"]').click()  # 4 stars
    page.get_by_label("Title").fill("Keeps soup hot")
    page.get_by_label(re.compile(r"^Your review")).fill("Soup still hot at lunch; the clips are louder than I thought.")
    page.get_by_label("Photos").set_input_files([str(first), str(second)])
    assert_no_axe_violations(page)
    screenshot(page, "review-photos-form")
    page.get_by_role("button", name="Publish my review").click()
    page.wait_for_url(f"{base}/products/LUNCH-2/#your-review")


def _open_the_gallery_and_use_the_keyboard(visitor: Any, review: Review) -> None:
    strip = visitor.get_by_role("region", name="Customer photos")
    opener = strip.get_by_role("link").first
    opener.click()
    gallery = visitor.get_by_role("dialog", name=re.compile("From the review “Keeps soup hot” by Camille"))
    expect(gallery).to_be_visible()
    expect(gallery.get_by_role("button", name="Close")).to_be_focused()
    expect(gallery.locator(".photo-gallery-position")).to_have_text("1 of 2")
    expect(gallery.get_by_role("img", name="Customer photo 1, by Camille")).to_be_visible()
    visitor.wait_for_function("() => document.querySelector('.photo-gallery-image').naturalWidth > 0")
    assert_no_axe_violations(visitor)
    screenshot(visitor, "review-photos-gallery", full_page=False)
    visitor.keyboard.press("ArrowRight")
    expect(gallery.locator(".photo-gallery-position")).to_have_text("2 of 2")
    expect(gallery.get_by_role("img", name="Customer photo 2, by Camille")).to_be_visible()
    visitor.keyboard.press("Escape")
    expect(gallery).to_be_hidden()
    expect(opener).to_be_focused()
    # A review card's photos open the same dialog, with that review's photos.
    visitor.locator(f"#review-{review.pk}").get_by_role("link", name="Photo 2 by Camille").click()
    expect(visitor.get_by_role("dialog")).to_be_visible()
    expect(visitor.locator(".photo-gallery-position")).to_have_text("2 of 2")
    visitor.get_by_role("button", name="Close").click()
    expect(visitor.get_by_role("dialog")).to_be_hidden()


def test_a_shopper_posts_photos_that_show_after_moderation_in_an_accessible_gallery(
    page: Any, live_server: Any, settings: Any, tmp_path: Path, make_context: Any, worker_runs_tasks: None
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REVIEWS_PREMODERATION = True
    product_create(sku="LUNCH-2", name="Lunch box")
    user_create(username="camille", display_name="Camille")
    _post_review_with_two_photos(page, live_server.url, tmp_path)
    review = Review.objects.get(author__username="camille")
    assert review.status == "pending"
    assert ReviewPhoto.objects.filter(review=review, ready_at__isnull=False).count() == 2  # sized by the task

    # Another shopper sees nothing of a review that waits, not even by the photo's address.
    visitor = make_context().new_page()
    photo = review.photos.first()
    assert photo is not None
    visitor.goto(f"{live_server.url}/products/LUNCH-2/")
    expect(visitor.get_by_role("heading", name="Customer photos")).to_have_count(0)
    assert visitor.request.get(f"{live_server.url}/reviews/photos/{photo.pk}/thumb/").status == 404

    services.review_publish(review=review, by=user_create("moderator"))
    visitor.goto(f"{live_server.url}/products/LUNCH-2/")
    expect(visitor.get_by_role("region", name="Customer photos").get_by_role("img")).to_have_count(2)
    card = visitor.locator(f"#review-{review.pk}")
    expect(card.get_by_role("list", name="Photos by Camille").get_by_role("img")).to_have_count(2)
    expect(card.get_by_role("img", name="Photo 2 by Camille")).to_be_visible()
    for img in visitor.locator(".photo-strip img").all():  # loaded, not broken
        expect_image_loaded(img)
    assert_no_axe_violations(visitor)
    screenshot(visitor, "review-photos-product-page")
    _open_the_gallery_and_use_the_keyboard(visitor, review)
