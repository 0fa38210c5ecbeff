"""An employee's review in a real browser: labelled on the product page, explained on the
transparency page (FTC 16 CFR 465)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from accounts.roles import MODERATOR, SHOPPER
from reviews.services import review_submit
from tests.browser.conftest import screenshot
from tests.factories import REVIEW_TEXT, product_create, user_create
from tests.integration.site.factories import reviews_bulk_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_employee_review_is_labelled_and_explained(page: Any, live_server: Any, settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False
    tent = product_create(sku="TENT-7", name="Ridge tent", brand="Quechua")
    reviews_bulk_create(product=tent, ratings=[4, 5, 3])
    shopper = user_create(SHOPPER, display_name="Riley")
    review_submit(product=tent, author=shopper, rating=4, title="Dry all night", body=REVIEW_TEXT, language="en")
    staff = user_create(MODERATOR, display_name="Inès")
    employee = review_submit(
        product=tent, author=staff, rating=5, title="Took it to the Alps", body=REVIEW_TEXT, language="en"
    )
    assert employee.employee

    page.goto(f"{live_server.url}/products/TENT-7/")
    card = page.locator(f"#review-{employee.pk}")
    label = card.locator(".badge-employee")
    expect(label).to_be_visible()
    expect(label).to_have_text("Employee review")
    # Told apart from the shoppers' reviews, and styled as a badge (not bare text).
    expect(page.locator(".badge-employee")).to_have_count(1)
    assert label.evaluate("el => getComputedStyle(el).borderStyle") == "solid"
    assert label.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(231, 241, 251)"
    card.scroll_into_view_if_needed()
    screenshot(page, "product-employee-review", full_page=False)

    page.goto(f"{live_server.url}/about/reviews/")
    page.get_by_role("link", name="Employee reviews").click()
    section = page.locator("#employees")
    expect(section.get_by_role("heading", name="Employee reviews")).to_be_visible()
    expect(section).to_contain_text("cannot review the products they manage")
    expect(section).to_contain_text("16 CFR Part 465")
    expect(page.locator("#email-confirmed")).to_contain_text("once its author has confirmed their email address")
    screenshot(page, "transparency-employees", full_page=False)
    page.locator("#collection").scroll_into_view_if_needed()
    screenshot(page, "transparency-email-confirmed", full_page=False)
