"""A moderator removes one reported photo from the desk's queue (desk.photo_takedown): the
queue marks it and links to its page, the page asks a reason and a note, and the queue
comes back with a confirmation; the photo is no longer served to a shopper, the review and
its other photo stay. axe-core checks every page (the page fixture)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from accounts.roles import MODERATOR
from notifications.models import OutboxMessage
from reviews import photos, reactions
from reviews.models import ReviewPhoto
from tests.browser.conftest import screenshot, sign_in
from tests.integration.site.factories import PASSWORD, product_create, user_create
from tests.photo_files import image_bytes, jpeg_with_gps, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_moderator_removes_one_reported_photo_and_the_review_stays(
    page: Any, live_server: Any, settings: Any, tmp_path: Path, make_context: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REVIEWS_PREMODERATION = False
    base = live_server.url
    product = product_create(sku="LAMP-1", name="Camp lamp")
    author = user_create(username="camille", display_name="Camille")
    review = photos.review_submit_with_photos(
        uploads=[
            upload(jpeg_with_gps((900, 600)), "sign.jpg"),
            upload(image_bytes("PNG", (600, 900), (40, 120, 200)), "lamp.png"),
        ],
        queue_sizes=lambda photo_id: None,
        product=product,
        author=author,
        rating=4,
        title="Bright lamp",
        body="Lights the whole tent for three evenings.",
        language="en",
    )
    for photo in review.photos.all():
        photos.review_photo_sizes_make(photo_id=photo.pk)
    reported, kept = list(review.photos.order_by("position"))
    reactions.review_report(
        review=review, reporter=user_create(username="alex"), reason="offensive", comment="A rude sign", photo=reported
    )
    user_create(MODERATOR, username="ines", display_name="Inès")

    sign_in(page, base, "ines", PASSWORD)
    page.goto(f"{base}/desk/moderation/")
    item = page.locator(f"#queue-{review.pk}")
    expect(item.get_by_text("Reported photo")).to_be_visible()
    screenshot(page, "photo-takedown-queue")
    item.get_by_role("link", name=re.compile(r"^Remove this photo \(photo 1, ")).click()

    page.wait_for_url(re.compile(r"/desk/moderation/photos/\d+/remove/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove photo 1 of this review")
    expect(page.get_by_label("Reason")).to_have_value("offensive")  # the report's reason, chosen
    page.wait_for_function("() => document.querySelector('.photo-remove-figure img').naturalWidth > 0")
    page.get_by_label("Note to the author").fill("The sign in the photo insults a group of people.")
    screenshot(page, "photo-takedown-page")
    page.get_by_role("button", name="Remove this photo").click()

    page.wait_for_url(f"{base}/desk/moderation/")
    expect(page.get_by_role("status")).to_contain_text(
        "Photo 1 of “Bright lamp” removed: it is no longer shown; the review stays published. "
        "Its author is emailed the statement of reasons."
    )
    screenshot(page, "photo-takedown-confirmed")
    assert ReviewPhoto.objects.get(pk=reported.pk).removed_at is not None
    assert OutboxMessage.objects.filter(kind="photo_removed").count() == 1

    shopper = make_context().new_page()
    assert shopper.request.get(f"{base}/reviews/photos/{reported.pk}/thumb/").status == 404
    assert shopper.request.get(f"{base}/reviews/photos/{kept.pk}/thumb/").status == 200
    shopper.goto(f"{base}/products/LAMP-1/")
    card = shopper.locator(f"#review-{review.pk}")
    expect(card.get_by_role("img", name=re.compile("^Photo"))).to_have_count(1)
