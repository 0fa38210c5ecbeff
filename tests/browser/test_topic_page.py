"""The desk's topic page in a real browser (issue 17, item 5): a company reader opens it from
the desk's navigation, reads a topic's panel (an image named by its title) and the table's
figures through their accessible names; no script error, no CSP violation (the SVG is drawn
on the server, without inline styles). Screenshot: test-artifacts/screenshots/topic-page.png."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from accounts.roles import COMPANY_READER
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, user_create
from tests.integration.topics.figures_shop import topic_shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_company_reader_reads_the_topic_chart_and_table(page: Any, live_server: Any) -> None:
    topic_shop()
    user_create(COMPANY_READER, username="camille", display_name="Camille")
    sign_in(page, live_server.url, "camille", PASSWORD)

    page.goto(f"{live_server.url}/desk/topics/?from=2026-03-01&to=2026-04-30")
    expect(page.get_by_role("heading", name="Topics", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Topics", exact=True)).to_have_attribute("aria-current", "page")
    delivery = page.get_by_role("img", name="Delivery: share of the tagged reviews per month")
    expect(delivery).to_be_visible()
    expect(page.get_by_role("img")).to_have_count(7)
    table = page.get_by_role("table", name="Per month: tagged reviews")
    march = table.get_by_role("row", name="March 2026")
    expect(march.get_by_role("cell").first).to_have_text("6")
    expect(march.locator('td[data-topic="delivery"]')).to_have_text("50.0% · 2.00 ★ (3, 1 negated)")
    link = page.get_by_role("link", name="Tent (TENT-1), 2 reviews").first
    expect(link).to_have_attribute("href", "/desk/products/TENT-1/reviews/?topic=delivery")
    screenshot(page, "topic-page")
