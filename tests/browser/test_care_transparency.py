"""The transparency page's customer care figures in a real browser, read through the table's
accessible names (caption, column and row headers). Screenshot:
test-artifacts/screenshots/care-transparency.png."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import PRODUCT_MANAGER
from care.public import month_start
from tests.browser.conftest import screenshot
from tests.factories import product_create, user_create
from tests.integration.site.test_care_transparency import happy, unhappy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_transparency_page_shows_the_care_figures(page: Any, live_server: Any, settings: Any) -> None:
    settings.PUBLIC_FIGURES_MIN_COUNT = 1  # a few cases are enough here: the figures are the point
    staff, manager = user_create("customer_care"), user_create(PRODUCT_MANAGER)
    tent = product_create(managers=[manager])
    today = timezone.localdate()
    last_month = month_start(today, months_back=1)
    opened = datetime(last_month.year, last_month.month, 10, 12, tzinfo=timezone.get_default_timezone())
    unhappy(tent, opened, contacted_after=timedelta(hours=3, minutes=30), staff=staff)
    unhappy(tent, opened + timedelta(days=1), contacted_after=timedelta(hours=30), staff=staff)
    happy(tent, opened, replied_by=manager)

    page.goto(f"{live_server.url}/about/reviews/#care")
    table = page.get_by_role("table", name="Our service, month by month")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader")).to_have_text(
        [
            "Month",
            "Reviews answered publicly by the brand",
            "Unhappy reviewers contacted within 24 hours",
            "Median time to first contact",
        ]
    )
    row = table.get_by_role("row", name=f"{last_month:%B %Y}")
    expect(row.get_by_role("cell")).to_have_text(["33.3% (1 of 3)", "50.0% (1 of 2)", "16.8 h"])
    table.scroll_into_view_if_needed()
    screenshot(page, "care-transparency", full_page=False)
