"""Issue 18, item 1, in a real browser: the author edits their review's photos: ticks one to
remove, chooses a new one, saves; the product page shows the kept and the new photo (sized by
the task), the removed one is gone, even by its address. axe-core checks every page visited
(tests/browser/axe_hook.py), the edit form with its photos included."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from reviews import photos
from reviews.models import Review
from tests.browser.conftest import expect_image_loaded, screenshot, sign_in
from tests.integration.site.factories import PASSWORD, product_create, user_create
from tests.photo_files import image_bytes, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _review_with_two_ready_photos() -> Review:
    author = user_create(username="camille", display_name="Camille")
    review = photos.review_submit_with_photos(
        uploads=[
            upload(image_bytes("JPEG", (600, 400), (200, 60, 40)), "red.jpg"),
            upload(image_bytes("PNG", (400, 600), (40, 120, 200)), "blue.png", "image/png"),
        ],
        queue_sizes=lambda photo_id: None,
        product=product_create(sku="LUNCH-2", name="Lunch box"),
        author=author,
        rating=4,
        title="Keeps soup hot",
        body="Soup still hot at lunch; the clips are louder than I thought.",
        language="en",
    )
    for photo in review.photos.all():
        photos.review_photo_sizes_make(photo_id=photo.pk)
    return review


def test_the_author_removes_a_photo_and_adds_one_on_the_edit_form(
    page: Any, live_server: Any, settings: Any, tmp_path: Path, worker_runs_tasks: None
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REVIEWS_PREMODERATION = False
    review = _review_with_two_ready_photos()
    red, blue = review.photos.order_by("position")
    green = tmp_path / "green.png"
    green.write_bytes(image_bytes("PNG", (800, 500), (30, 150, 60)))
    base = live_server.url

    sign_in(page, base, "camille", PASSWORD)
    page.goto(f"{base}/reviews/{review.pk}/edit/")
    kept = page.get_by_role("group", name="Your photos")
    expect(kept.get_by_role("img")).to_have_count(2)
    for img in kept.get_by_role("img").all():  # loaded, not broken
        expect_image_loaded(img)
    kept.get_by_role("checkbox", name="Remove photo 1").check()
    page.get_by_label("Add photos", exact=True).set_input_files(str(green))
    screenshot(page, "review-photo-edit-form")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"{base}/products/LUNCH-2/#your-review")

    card = page.locator(f"#review-{review.pk}")
    expect(card.get_by_role("list", name="Photos by Camille").get_by_role("img")).to_have_count(2)
    kept_ids = list(review.photos.order_by("position").values_list("pk", flat=True))
    assert len(kept_ids) == 2 and kept_ids[0] == blue.pk and red.pk not in kept_ids
    assert page.request.get(f"{base}/reviews/photos/{red.pk}/thumb/").status == 404
    screenshot(page, "review-photo-edit-product-page")

    page.goto(f"{base}/reviews/{review.pk}/edit/")
    expect(page.get_by_role("group", name="Your photos").get_by_role("img")).to_have_count(2)
    expect(page.get_by_role("checkbox", name=re.compile(r"^Remove photo"))).to_have_count(2)

    # Two kept and four more would be six: refused beside the file field, nothing changed.
    more = []
    for n in range(4):
        path = tmp_path / f"more{n}.png"
        path.write_bytes(image_bytes("PNG", (300, 300), (20 * n, 90, 160)))
        more.append(str(path))
    page.get_by_label("Add photos", exact=True).set_input_files(more)
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator("#id_photos_error")).to_contain_text("A review has at most 5 photos: it keeps 2")
    assert review.photos.count() == 2
    screenshot(page, "review-photo-edit-too-many")
