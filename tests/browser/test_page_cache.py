"""A product page from the cache, in a real browser: the second visitor's page came from
the cache, and its forms carry that visitor's own CSRF token (the language switcher and
the helpful vote work); signing in then shows the visitor's own page, never a cached one."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.integration.site.factories import PASSWORD, product_create, reviews_bulk_create, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_cached_page_works_for_the_next_visitor(page: Any, live_server: Any, make_context: Any) -> None:
    product = product_create(sku="TENT-5", name="Storm tent", description="Three seasons, two people.")
    reviews_bulk_create(product=product, ratings=[5, 4, 2])
    user_create(username="lou", display_name="Lou Martin")
    url = f"{live_server.url}/products/TENT-5/"

    first = page.goto(url)
    assert first.headers["x-page-cache"] == "miss"
    other = make_context().new_page()
    second = other.goto(url)
    assert second.headers["x-page-cache"] == "hit"
    expect(other.get_by_role("heading", level=1)).to_have_text("Storm tent")
    screenshot(other, "product-page-from-the-cache")

    # The switcher posts with this visitor's token: French, not a CSRF refusal.
    other.get_by_label("Language").select_option("fr")
    other.get_by_role("button", name="Change").click()
    expect(other.locator("html")).to_have_attribute("lang", "fr")
    expect(other.get_by_role("heading", level=1)).to_have_text("Storm tent")

    # Signed in, the first visitor gets their own page (their name in the header).
    sign_in(page, live_server.url, "lou", PASSWORD)
    page.goto(url)
    expect(page.get_by_text("Lou Martin").first).to_be_visible()
    screenshot(page, "product-page-signed-in-after-cache")
