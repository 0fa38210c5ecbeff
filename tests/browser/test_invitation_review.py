"""An invitation link in a real browser: no account, the form, a verified review on the
product page (issue 15)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from orders.links import review_token
from orders.models import Invitation, InvitationKind
from reviews.models import Review
from tests.browser.conftest import screenshot
from tests.factories import REVIEW_TEXT, product_create
from tests.orders_factories import order_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_invitation_link_posts_a_verified_review(page: Any, live_server: Any, settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False
    order = order_create(products=[product_create(sku="JACKET-9", name="Down jacket")], name="Lou Bernard")
    assert order.delivered_at is not None
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    line = order.lines.get()
    invitation.lines.add(line)

    page.goto(f"{live_server.url}/invitations/{review_token(line.pk)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your review of Down jacket")
    name = page.get_by_label("Name shown with your review")
    expect(name).to_have_value("Lou")
    page.locator("label[for=id_rating_3]").click()  # 4 stars
    page.locator("#id_title").fill("Warm on cold mornings")
    page.locator("#id_body").fill(REVIEW_TEXT)
    screenshot(page, "invitation-review-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish my review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your review")
    expect(page.locator(".invitation-outcome")).to_have_text("Your review is published, marked as a verified purchase.")

    review = Review.objects.get()
    page.get_by_role("link", name="Back to Down jacket").click()
    card = page.locator(f"#review-{review.pk}")
    expect(card).to_contain_text("Warm on cold mornings")
    expect(card.locator(".badge-verified")).to_have_text("Verified purchase")
    expect(card).to_contain_text("Lou")
    card.scroll_into_view_if_needed()
    screenshot(page, "invitation-review-verified", full_page=False)
