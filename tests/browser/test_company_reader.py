"""A company reader in a real browser (issue 17): signs in, finds every product on the desk,
opens a product's reviews, narrows them to a topic and reads the words that found it; no
reply button, no email address, no username on the way. The page fixture fails the test on
any CSP violation, JavaScript error or dialog."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import COMPANY_READER, PRODUCT_MANAGER, SHOPPER
from tests.browser.conftest import screenshot
from tests.integration.desk.factories import (
    DESK_SETTINGS,
    PASSWORD,
    add_review,
    make_category,
    make_product,
    user_create,
)
from topics.models import ReviewTopic, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _desk_settings(settings: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)


def test_a_company_reader_reads_a_products_reviews_by_topic(page: Any, live_server: Any) -> None:
    user_create(COMPANY_READER, username="rosa_login", email="rosa.private@example.com", display_name="Rosa K.")
    manager = user_create(
        PRODUCT_MANAGER, username="julia_login", email="julia.private@example.com", display_name="Julia"
    )
    shopper = user_create(SHOPPER, username="alex_login", email="alex.private@example.com", display_name="Alex P.")
    tent = make_product(managers=[manager], category=make_category("Tents"), name="Ridge tent 2", sku="RIDGE-2")
    make_product(name="Trail stove", sku="STOVE-1")  # managed by nobody: the reader still reads it
    late = add_review(
        tent, rating=2, author=shopper, title="Came a week late", text="It arrived late, then the zip broke."
    )
    add_review(tent, rating=5, title="Dry all week", text="Easy to pitch, dry in the rain.")
    now = timezone.now()
    for key, matched in (("delivery", "arrived late"), ("quality", "broke")):
        ReviewTopic.objects.create(review=late, topic=Topic.objects.get(key=key), matched=matched, tagged_at=now)

    page.goto(f"{live_server.url}/desk/")
    page.get_by_label("Username").fill("rosa_login")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("All products")
    expect(page.locator(".desk-nav-title")).to_have_text("Company reader's desk")
    expect(page.get_by_role("link", name="Trail stove")).to_be_visible()

    page.get_by_role("link", name="Ridge tent 2").click()
    page.get_by_label("Topic").select_option("delivery")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("article.desk-review")).to_have_count(1)
    review = page.locator("article.desk-review")
    expect(review.locator(".review-meta").first).to_contain_text("By Alex P.")
    expect(review.locator(".review-topics")).to_contain_text("Delivery: “arrived late”")
    expect(review.locator(".review-topics")).to_contain_text("Quality and durability: “broke”")
    expect(page.get_by_role("link", name=re.compile("Reply publicly"))).to_have_count(0)
    body = page.content()
    assert "@example.com" not in body and "alex_login" not in body and "julia_login" not in body
    screenshot(page, "desk-company-reader-topic")
