"""Issue 18, item 1, in a real browser: a customer writes their review from an invitation's
link with a photo (no account); it is sized by the task and shown on the review's card.
axe-core checks every page visited (tests/browser/axe_hook.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from orders.links import review_token
from orders.models import Invitation, InvitationKind
from reviews.models import Review
from tests.browser.conftest import expect_image_loaded, screenshot
from tests.factories import REVIEW_TEXT, product_create
from tests.orders_factories import order_create
from tests.photo_files import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_invited_customer_adds_a_photo_to_their_review(
    page: Any, live_server: Any, settings: Any, tmp_path: Path, worker_runs_tasks: None
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.REVIEWS_PREMODERATION = False
    order = order_create(products=[product_create(sku="JACKET-9", name="Down jacket")], name="Lou Bernard")
    assert order.delivered_at is not None  # the sweep invites after delivery
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    line = order.lines.get()
    invitation.lines.add(line)
    photo = tmp_path / "jacket.jpg"
    photo.write_bytes(jpeg_with_gps((1200, 900)))

    page.goto(f"{live_server.url}/invitations/{review_token(line.pk)}/")
    page.locator("label[for=id_rating_3]").click()  # 4 stars
    page.locator("#id_title").fill("Warm on cold mornings")
    page.locator("#id_body").fill(REVIEW_TEXT)
    page.get_by_label("Photos", exact=True).set_input_files(str(photo))
    screenshot(page, "invitation-review-photo-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish my review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your review")

    review = Review.objects.get()
    assert review.verified_purchase and review.photos.filter(ready_at__isnull=False).count() == 1
    page.get_by_role("link", name="Back to Down jacket").click()
    card = page.locator(f"#review-{review.pk}")
    expect(card.get_by_role("img", name="Photo 1 by Lou")).to_be_visible()
    expect_image_loaded(card.get_by_role("img", name="Photo 1 by Lou"))
    card.scroll_into_view_if_needed()
    screenshot(page, "invitation-review-photo-card", full_page=False)
