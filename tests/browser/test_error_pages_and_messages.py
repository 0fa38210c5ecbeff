"""Error pages and confirmation messages in a real browser (issue 18, items 6 and 7): a
shopper opening the desk gets the styled 403 with a way back, an unknown address the styled
404 in French, a bug the styled 500; a moderator's refused rejection stays at the queue's
address, and the rejection is confirmed in a status message. Each page is checked with
axe-core (WCAG 2.1 AA) and photographed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.roles import MODERATOR, SHOPPER
from reviews.models import Review, ReviewStatus
from tests.browser.conftest import screenshot, sign_in
from tests.integration.desk.factories import DESK_SETTINGS, PASSWORD, add_review, make_product, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(autouse=True)
def _debug_off(settings: Any, live_server: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.integration.site.error_urls"


def assert_accessible(page: Any) -> None:
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()


def test_a_shopper_opening_the_desk_gets_the_styled_403_and_a_way_back(page: Any, live_server: Any) -> None:
    user_create(SHOPPER, username="lea", display_name="Léa")
    sign_in(page, live_server.url, "lea", PASSWORD)
    response = page.goto(live_server.url + "/desk/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("The desk is for staff")
    expect(page.locator("header.site-header")).to_be_visible()
    expect(page.get_by_text("You are signed in as Léa")).to_be_visible()
    screenshot(page, "error-403-desk")
    assert_accessible(page)
    page.get_by_role("link", name="Back to the products").click()
    expect(page).to_have_url(live_server.url + "/")


def test_an_unknown_address_gets_the_styled_404_in_french(make_context: Any, live_server: Any) -> None:
    page = make_context(locale="fr-FR").new_page()
    response = page.goto(live_server.url + "/nulle-part/")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.locator("header.site-header")).to_be_visible()
    screenshot(page, "error-404-fr")
    assert_accessible(page)
    page.get_by_role("link", name="Retour aux produits").click()
    expect(page).to_have_url(live_server.url + "/")


def test_a_bug_gets_the_styled_500(page: Any, live_server: Any) -> None:
    response = page.goto(live_server.url + "/test-errors/boom/")
    assert response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Something went wrong")
    expect(page.get_by_role("link", name="Back to the products")).to_be_visible()
    screenshot(page, "error-500")
    assert_accessible(page)


def test_a_refused_rejection_stays_on_the_queue_then_the_rejection_is_confirmed(page: Any, live_server: Any) -> None:
    user_create(MODERATOR, username="ines", display_name="Inès")
    author = user_create(SHOPPER, username="sam")
    product = make_product(name="Camp stove", sku="STOVE-9")
    review = add_review(product, rating=5, author=author, status=ReviewStatus.PENDING, title="A whole article")
    sign_in(page, live_server.url, "ines", PASSWORD)
    queue = live_server.url + "/desk/moderation/"
    page.goto(queue)
    item = page.locator(f"#queue-{review.pk}")
    item.get_by_label("Reason").select_option(label="Other")
    item.get_by_role("button", name=re.compile("^Reject")).click()
    expect(page.get_by_role("alert").first).to_contain_text("With the reason “Other”")
    assert page.url == queue  # the page's address, not /desk/moderation/decide/
    screenshot(page, "desk-moderation-other-without-note")
    item = page.locator(f"#queue-{review.pk}")
    expect(item.get_by_label("Reason")).to_have_value("other")  # what was chosen is kept
    item.get_by_label("Note to the author").fill("It copies a newspaper article word for word.")
    item.get_by_role("button", name=re.compile("^Reject")).click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("1 review rejected. Its author is emailed the statement of reasons.")
    assert page.url == queue
    screenshot(page, "desk-moderation-rejected-message")
    assert_accessible(page)
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.REJECTED


def test_the_confirmation_is_in_view_where_the_action_returns(page: Any, live_server: Any) -> None:
    """A comment returns to the notice's comments, far down the page: the message is shown
    there, in view, not only at the top of the page."""
    from accounts.roles import PRODUCT_MANAGER
    from tests.integration.desk.factories import flagged_story

    manager = user_create(PRODUCT_MANAGER, username="julia", display_name="Julia")
    story = flagged_story(managers=[manager], name="Ridge tent 3", sku="RIDGE-3")
    sign_in(page, live_server.url, "julia", PASSWORD)
    notice_url = f"{live_server.url}/desk/notices/{story.notice.pk}/"
    page.goto(notice_url)
    page.get_by_role("textbox", name="Internal comment").fill("Supplier called; new zips next week.")
    page.get_by_role("button", name="Add the comment").click()
    status = page.get_by_role("status").filter(has_text="Comment added.")
    expect(status).to_be_visible()
    expect(status).to_be_in_viewport()
    assert page.url.startswith(notice_url)
    screenshot(page, "desk-notice-comment-message", full_page=False)
    assert_accessible(page)


def test_the_chart_names_its_right_axis_and_versions_read_by_date(page: Any, live_server: Any) -> None:
    """The notice chart's right axis says "reviews per day"; each histogram bar opens its own
    rating; the version filter reads "Original version" and "Version of <day> (current)"."""
    from accounts.roles import PRODUCT_MANAGER
    from desk.services import desk_improvement_log
    from tests.integration.desk.factories import flagged_story

    manager = user_create(PRODUCT_MANAGER, username="julia", display_name="Julia")
    story = flagged_story(managers=[manager], name="Ridge tent 4", sku="RIDGE-4")
    sign_in(page, live_server.url, "julia", PASSWORD)
    page.goto(f"{live_server.url}/desk/notices/{story.notice.pk}/")
    chart = page.locator("svg.rating-chart")
    expect(chart.locator("text.chart-axis-unit")).to_have_text("reviews per day")
    chart.scroll_into_view_if_needed()
    chart.screenshot(path=str(screenshot(page, "desk-notice-chart-page").with_name("desk-notice-chart.png")))
    assert_accessible(page)
    page.locator(".desk-histogram").get_by_role("link", name=re.compile("^5 stars")).click()
    expect(page.locator("#f-stars")).to_have_value("5")
    expect(page.locator(".desk-review-4")).to_have_count(0)
    expect(page.locator(".desk-review-5")).not_to_have_count(0)

    desk_improvement_log(notice=story.notice, by=manager, description="New zip supplier.")
    page.goto(f"{live_server.url}/desk/products/RIDGE-4/reviews/?revision=0")
    options = page.locator("#f-revision option").all_inner_texts()
    assert options[-1] == "Original version" and re.fullmatch(r"Version of .+ \(current\)", options[0]), options
    expect(page.locator(".badge-previous").first).to_have_text("Original version")
    screenshot(page, "desk-product-reviews-versions", full_page=False)
    assert_accessible(page)
