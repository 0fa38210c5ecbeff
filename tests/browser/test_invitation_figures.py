"""The invitation figures in a real browser: the key figures page's "Invitations" table and
the product page's, read through their accessible names (caption, headers). Screenshots:
test-artifacts/screenshots/invitation-figures-*.png."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import PRODUCT_MANAGER
from tests.browser.conftest import screenshot, sign_in
from tests.integration.desk.factories import (
    DESK_SETTINGS,
    PASSWORD,
    add_review,
    make_category,
    make_product,
    user_create,
)
from tests.integration.desk.test_invitation_figures import invite, remind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _desk_settings(settings: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)


def test_the_desk_shows_the_invitation_figures(page: Any, live_server: Any) -> None:
    manager = user_create(PRODUCT_MANAGER, username="julia", display_name="Julia")
    tent = make_product(managers=[manager], category=make_category("Tents"), name="Ridge tent 2", sku="RIDGE-2")
    now = timezone.now()
    invite([tent], now - timedelta(days=3), opened=[tent], reviewed=[tent])
    order = invite([tent], now - timedelta(days=9), opened=[tent])
    remind(order, [tent], now - timedelta(days=2))
    invite([tent], now - timedelta(days=4))
    add_review(tent, rating=5, days_ago=2, verified=True)
    sign_in(page, live_server.url, "julia", PASSWORD)

    page.goto(f"{live_server.url}/desk/kpis/?group=category&period=30")
    table = page.get_by_role("table", name="Review invitations sent from")
    expect(table).to_be_visible()
    row = table.get_by_role("row", name="Tents")
    expect(row.get_by_role("cell")).to_have_text(["3", "2", "1", "33.3%", "1", "100.0%"])
    screenshot(page, "invitation-figures-kpis")

    page.goto(f"{live_server.url}/desk/products/RIDGE-2/reviews/")
    figures = page.get_by_role("table", name="Review invitations of the last 12 months")
    expect(figures.get_by_role("row", name="Last 12 months").get_by_role("cell")).to_have_text(
        ["3", "2", "1", "33.3%", "1"]
    )
    screenshot(page, "invitation-figures-product")
