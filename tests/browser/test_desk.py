"""The product manager's desk in a real browser (issue 6): from the notice email to a
product back on sale without leaving the desk, a moderator clearing the queue, and the
key figures downloaded as CSV. The page fixture fails a test on any CSP violation,
JavaScript error or dialog."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from gate.models import WithdrawalNotice
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from products.models import Product
from reviews.models import BrandReply, ReviewReport, ReviewStatus
from tests.browser.conftest import screenshot
from tests.integration.desk.factories import (
    DESK_SETTINGS,
    PASSWORD,
    Story,
    add_review,
    flagged_story,
    make_category,
    make_product,
    similar_praise,
    user_create,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def _desk_settings(settings: Any, live_server: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)
    settings.SITE_URL = live_server.url  # the email's link opens the live server


def sign_in_here(page: Any, username: str) -> None:
    """Fill the sign-in page the browser was sent to (it returns to the page asked for)."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def notice_email_link(manager: User) -> str:
    message = OutboxMessage.objects.get(kind="flagged", recipient=manager)
    assert outbox_deliver(message_id=message.pk, now=timezone.now()) == "sent"
    [email] = [m for m in mail.outbox if m.to == [manager.email]]
    [link] = re.findall(r"http://\S+/desk/notices/\d+/", str(email.body))
    return link


def test_from_the_notice_email_to_a_product_back_on_sale(page: Any, live_server: Any) -> None:  # noqa: PLR0915 - one walk through the desk as a person makes it, step by step
    manager = user_create(PRODUCT_MANAGER, username="julia", display_name="Julia")
    user_create(QUALITY_DIRECTOR, username="marc", display_name="Marc")
    story: Story = flagged_story(
        managers=[manager], flag_days_ago=5, category=make_category("Tents"), name="Ridge tent 2", sku="RIDGE-2"
    )
    assert story.notice.state == WithdrawalNotice.State.WITHDRAWN and not story.product.on_sale
    similar_praise(story.product)  # its 3 good reviews alone cannot show a phrase at z 1.96

    # 1. The flag email links to the notice; the desk asks who is there first.
    page.goto(notice_email_link(manager))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    sign_in_here(page, "julia")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ridge tent 2")
    expect(page.locator(".notice-head-meta")).to_contain_text("Withdrawn from sale")

    # 2. The notice arrives in the list too.
    page.get_by_role("navigation", name="Desk").get_by_role("link", name="Notices").click()
    row = page.locator(f'tr[data-notice="{story.notice.pk}"]')
    expect(row).to_contain_text("Off sale since")
    expect(row).to_contain_text("below 3")
    expect(row).to_contain_text("Not acknowledged")
    screenshot(page, "desk-notices")
    row.get_by_role("link", name="Ridge tent 2").click()

    # 3. The chart: an image with a name and a description, and its table.
    chart = page.get_by_role("img", name="Rating of Ridge tent 2 over time")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text("the threshold is 3")
    expect(chart.locator(".chart-marker-flagged title")).to_contain_text("Flagged on")
    expect(chart.locator(".chart-marker-withdrawn title")).to_contain_text("Withdrawn on")
    page.get_by_text("The chart's figures as a table").click()
    expect(page.get_by_role("table", name=re.compile("^Day by day"))).to_be_visible()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".messages")).to_contain_text("Notice acknowledged.")
    screenshot(page, "desk-notice")

    # 4. What customers complain about, each phrase opening its reviews.
    complaints = page.locator("#complaints")
    expect(complaints.get_by_role("heading", name="What customers complain about")).to_be_visible()
    zip_phrase = complaints.get_by_role("link", name="zip broke", exact=True)
    expect(zip_phrase).to_be_visible()
    phrase_item = complaints.locator(".phrase", has=page.get_by_role("link", name="zip broke", exact=True))
    expect(phrase_item).to_contain_text("in 4 of 6 low-rated reviews")
    zip_phrase.click()
    expect(page.locator(".result-count")).to_contain_text("4 reviews contain “zip broke”")
    expect(page.locator("article.desk-review")).to_have_count(4)
    screenshot(page, "desk-phrase-reviews")

    # 5. Answer a review publicly.
    first = page.locator("article.desk-review").first
    title = first.locator(".review-title").inner_text()
    first.get_by_role("link", name=re.compile("^Reply publicly")).click()
    expect(page.get_by_role("heading", name="Reply to a review")).to_be_visible()
    page.get_by_label("Your public reply").fill("We are sorry: bring it to any store for a new zip, free of charge.")
    screenshot(page, "desk-reply-form")
    page.get_by_role("button", name="Publish the reply").click()
    expect(page.locator(".messages")).to_contain_text("Reply published.")
    answered = page.locator("article.desk-review", has=page.get_by_role("heading", name=title))
    expect(answered.locator(".brand-reply")).to_contain_text("bring it to any store for a new zip")
    assert BrandReply.objects.filter(review__product=story.product).count() == 1

    # 6. Log the improvement: the product goes back on sale.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=re.compile("^Notice of")).click()
    form = page.locator("#improvement")
    form.get_by_label("What was changed (internal)").fill("Zip from a new supplier (YKK), tested to 10,000 cycles.")
    form.get_by_label("Note for shoppers (public)").fill("Since today this tent has a stronger zip.")
    form.get_by_label("zip broke", exact=True).check()
    screenshot(page, "desk-improvement-form")
    form.get_by_role("button", name="Log the improvement and put back on sale").click()
    expect(page.locator(".messages")).to_contain_text("the product is back on sale")
    loop = page.locator("#loop")
    expect(loop.get_by_role("heading", name="Did the fix work?")).to_be_visible()
    expect(loop.get_by_role("row", name=re.compile("zip broke"))).to_contain_text("4 of 9")
    expect(loop.get_by_role("row", name=re.compile("zip broke"))).to_contain_text("Too early to tell")
    screenshot(page, "desk-improved")

    # 7. Shoppers see it on sale again, with the note.
    page.get_by_role("link", name="See the public page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ridge tent 2")
    expect(page.get_by_text("Since today this tent has a stronger zip.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Withdrawn from sale")
    screenshot(page, "desk-public-page-back-on-sale")
    product = Product.objects.get(pk=story.product.pk)
    assert product.on_sale and product.gate_state == "active" and product.revision == 1


def test_a_moderator_clears_the_queue(page: Any, live_server: Any) -> None:
    user_create(MODERATOR, username="ines", display_name="Inès")
    reporter = user_create(SHOPPER, username="reporter")
    product = make_product(name="Camp stove", sku="STOVE-1")
    one = add_review(product, rating=1, status=ReviewStatus.PENDING, title="Leaks gas at the valve", days_ago=3)
    five = add_review(product, rating=5, status=ReviewStatus.PENDING, title="Visit my shop at spam.example", days_ago=2)
    three = add_review(product, rating=3, status=ReviewStatus.PENDING, title="Does the job", days_ago=1)
    four = add_review(product, rating=4, status=ReviewStatus.PENDING, title="Light and quick", days_ago=1, hour=13)
    reported = add_review(product, rating=2, title="Simmering is hard", days_ago=4)
    ReviewReport.objects.create(review=reported, reporter=reporter, reason="off_topic", created_at=timezone.now())

    page.goto(live_server.url + "/desk/")
    sign_in_here(page, "ines")
    expect(page.get_by_role("heading", name="Moderation queue")).to_be_visible()
    expect(page.get_by_role("heading", name="4 reviews waiting for a first decision")).to_be_visible()
    screenshot(page, "desk-moderation-queue")

    page.locator(f"#queue-{one.pk}").get_by_role("button", name=re.compile("^Approve")).click()
    expect(page.locator(".messages")).to_contain_text("1 review approved.")

    item = page.locator(f"#queue-{five.pk}")
    item.get_by_label("Reason").select_option(label="Spam or advertising")
    item.get_by_role("button", name=re.compile("^Reject")).click()
    expect(page.locator(".messages")).to_contain_text("1 review rejected.")

    page.get_by_label(re.compile("^Select “Does the job”")).check()
    page.get_by_label(re.compile("^Select “Light and quick”")).check()
    page.get_by_role("button", name="Approve the selected reviews").click()
    expect(page.locator(".messages")).to_contain_text("2 reviews approved.")

    page.locator(f"#queue-{reported.pk}").get_by_role("button", name=re.compile("^Keep published")).click()
    expect(page.get_by_text("No review is waiting.")).to_be_visible()
    expect(page.get_by_text("No open report.")).to_be_visible()
    screenshot(page, "desk-moderation-cleared")
    statuses = {r.pk: r.status for r in type(one).objects.filter(product=product)}
    assert statuses == {
        one.pk: "published",
        five.pk: "rejected",
        three.pk: "published",
        four.pk: "published",
        reported.pk: "published",
    }


def test_the_key_figures_download_as_csv(page: Any, live_server: Any) -> None:
    manager = user_create(PRODUCT_MANAGER, username="julia", display_name="Julia")
    product = make_product(managers=[manager], category=make_category("Tents"), name="Ridge tent 2")
    for rating in (5, 4, 2):
        add_review(product, rating=rating, days_ago=3, verified=rating == 5)
    page.goto(live_server.url + "/desk/kpis/")
    sign_in_here(page, "julia")
    table = page.get_by_role("table", name=re.compile("^Reviews published and gate events"))
    expect(table.get_by_role("row", name=re.compile("^Tents"))).to_contain_text("3.7")
    expect(table.get_by_role("row", name=re.compile("^All my products"))).to_contain_text("66.7%")
    page.get_by_label("Group by").select_option(label="Manager")
    page.get_by_role("button", name="Show").click()
    expect(table.get_by_role("row", name=re.compile("^Julia"))).to_contain_text("3.7")
    screenshot(page, "desk-kpis")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    content = open(download.value.path(), encoding="utf-8").read().splitlines()  # noqa: SIM115
    assert content[0].startswith("period_start,period_end,grouped_by,group,reviews,average,csat_percent")
    assert ",manager,Julia,3,3.67,66.7,33.3," in content[1]
