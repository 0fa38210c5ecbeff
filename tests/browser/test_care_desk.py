"""The customer care desk in a real browser (issue 16): care staff open the queue, open the
oldest case, take it, write to the customer through the platform and close it as solved.
The page fixture fails the test on any CSP violation, JavaScript error or dialog."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from care.models import Case, CaseMessage, CaseOutcome, CaseState
from tests.browser.conftest import screenshot, sign_in
from tests.care_factories import care_staff_create, review_post
from tests.factories import PASSWORD, product_create, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_care_staff_write_to_the_customer_and_close_the_case(page: Any, live_server: Any, settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False
    care_staff_create(username="chloe", display_name="Chloé")
    customer = user_create(display_name="Dana", email="dana.private@example.org")
    now = timezone.now()
    tent = product_create(name="Ridge tent 2")
    overdue = Case.objects.get(
        review=review_post(
            product=tent, author=customer, rating=1, title="Zip broke on night one", now=now - timedelta(hours=30)
        )
    )
    newer = Case.objects.get(review=review_post(rating=2, title="Too small for two", now=now - timedelta(hours=3)))

    sign_in(page, live_server.url, "chloe", PASSWORD)
    page.goto(f"{live_server.url}/desk/care/")
    expect(page.locator(".desk-nav-title")).to_have_text("Customer care desk")
    rows = page.locator("tr.care-row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-case", str(overdue.pk))  # the oldest on top
    expect(rows.first).to_contain_text("Overdue by 6 h")
    expect(page.locator(f'tr[data-case="{newer.pk}"]')).to_contain_text("left to first contact")
    screenshot(page, "care-queue")

    rows.first.get_by_role("link", name="Ridge tent 2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ridge tent 2")
    expect(page.locator(".care-reachable")).to_have_text("Yes")
    page.get_by_role("button", name="Take the case").click()
    expect(page.locator(".messages")).to_contain_text("The case is yours now.")

    page.get_by_label("Your message to the customer").fill("We are sorry about the zip: a new one is on its way.")
    page.get_by_role("button", name="Send to the customer").click()
    expect(page.locator(".messages")).to_contain_text("Message sent to the customer.")
    expect(page.locator(".care-message")).to_contain_text("a new one is on its way")
    expect(page.locator(".case-clock")).to_contain_text("Contacted")
    screenshot(page, "care-case")

    page.get_by_label("Outcome").select_option(CaseOutcome.SOLVED.value)
    page.get_by_role("button", name="Close the case").click()
    expect(page.locator(".messages")).to_contain_text("Case closed: Solved.")
    screenshot(page, "care-case-closed")
    assert "dana.private@example.org" not in page.content()

    overdue.refresh_from_db()
    assert (overdue.state, overdue.outcome, overdue.assignee and overdue.assignee.username) == (
        CaseState.CLOSED,
        CaseOutcome.SOLVED,
        "chloe",
    )
    assert list(CaseMessage.objects.filter(case=overdue).values_list("kind", flat=True)) == ["message", "closing"]
