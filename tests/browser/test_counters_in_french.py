"""Issue 18: the text areas' character counters (static/js/site.js) write their numbers as
the page's language does: "5 000" in French (narrow no-break space), "5,000" in English."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.browser.test_review_photos import assert_no_axe_violations
from tests.integration.site.factories import PASSWORD, product_create, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_review_counter_groups_thousands_in_french(page: Any, live_server: Any) -> None:
    product_create(sku="TENT-5", name="Tente")
    user_create(username="camille", display_name="Camille", language="fr")
    sign_in(page, live_server.url, "camille", PASSWORD)
    page.goto(f"{live_server.url}/products/TENT-5/review/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    counter = page.locator("#id_body_counter")
    expect(counter).to_contain_text("5\u202f000")
    page.locator("#id_body").fill("x" * 1200)
    expect(counter).to_contain_text("1\u202f200")
    assert_no_axe_violations(page)
    screenshot(page, "review-form-counter-fr", full_page=False)
