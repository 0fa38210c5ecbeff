"""Search within a product's reviews, numbered pages and the highlights, in a real browser
(issue 18, items 2 and 3): a shopper searches, sees the words found marked, pages through
numbered pages with the search and filters kept, and reads the two highlighted reviews.
axe-core checks each page state for WCAG 2.1 AA violations."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from products.models import Product
from tests.browser.conftest import screenshot
from tests.integration.site.factories import product_create, review_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page: Any) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


@pytest.fixture
def tent() -> Product:
    product = product_create(sku="TENT-18", name="Ridge tent", brand="Quechua", description="A two-person tent.")
    start = timezone.now() - timedelta(days=80)
    for i in range(70):  # 42 five-star reviews say "solid tent": five pages of them
        review_create(
            product=product,
            rating=5 if i % 4 else 4,
            title=f"Solid tent, trip {i}" if i % 5 else f"Good shelter, trip {i}",
            body=f"We pitched the tent in {i % 9 + 2} minutes; the poles <b>held</b> in the wind.",
            created_at=start + timedelta(days=i),
            helpful_yes=i % 4,
        )
    review_create(
        product=product,
        rating=5,
        title="Best tent of the season",
        body="Dry after a night of rain, easy to pitch alone, and the vents kept it cool.",
        author_name="Camille",
        helpful_yes=12,
        helpful_no=1,
        created_at=start,
    )
    review_create(
        product=product,
        rating=2,
        title="Leaks at the seams",
        body="The tent let water in along the floor seams on the second night. Seal them before a trip.",
        author_name="Sam",
        helpful_yes=8,
        created_at=start,
    )
    review_create(
        product=product,
        rating=5,
        title="Des chaussures pour la tente",
        body="Une tente parfaite pour deux.",
        language="fr",
        created_at=start,
    )
    return product


def test_search_page_through_numbered_pages_and_read_the_highlights(page: Any, live_server: Any, tent: Product) -> None:
    page.goto(f"{live_server.url}/products/{tent.sku}/")
    highlights = page.locator("section.highlights")
    expect(highlights.get_by_role("heading", name="Most helpful reviews")).to_be_visible()
    positive = highlights.locator("article.highlight-positive")
    critical = highlights.locator("article.highlight-critical")
    expect(positive).to_contain_text("Best tent of the season")
    expect(positive).to_contain_text("12 people found this helpful")
    expect(critical).to_contain_text("Leaks at the seams")
    # Side by side at this width.
    positive_box, critical_box = positive.bounding_box(), critical.bounding_box()
    assert abs(positive_box["y"] - critical_box["y"]) < 2 and critical_box["x"] > positive_box["x"]
    screenshot(page, "review-highlights-en")
    assert_accessible(page)

    page.get_by_label("Search the reviews").fill("solid TENT")
    page.get_by_label("Stars", exact=True).select_option("5")
    with page.expect_navigation():
        page.get_by_role("button", name="Show reviews").click()
    assert re.search(r"[?&]q=solid\+TENT", page.url) and "stars=5" in page.url
    expect(page.locator("#review-count")).to_contain_text("match “solid TENT” and these filters")
    expect(page.locator("section.highlights")).to_have_count(0)
    first_card = page.locator("ol.review-list article.review").first
    expect(first_card.locator("h3 mark").first).to_have_text(re.compile(r"^(Solid|tent)$", re.I))
    expect(first_card.locator(".review-body mark").first).to_have_text("tent")
    # The review's own markup is shown as text, never run as markup.
    expect(first_card.locator(".review-body")).to_contain_text("<b>held</b>")
    expect(first_card.locator(".review-body b")).to_have_count(0)
    count_before = page.locator("ol.review-list > li").count()
    assert count_before == 10

    nav = page.get_by_role("navigation", name="Pages")
    expect(nav.locator('[aria-current="page"]')).to_have_text("Page 1")
    with page.expect_navigation():
        nav.get_by_role("link", name="Page 2", exact=True).click()
    assert "q=solid+TENT" in page.url and "stars=5" in page.url and "page=2" in page.url
    expect(page.get_by_label("Search the reviews")).to_have_value("solid TENT")
    expect(page.get_by_label("Stars", exact=True)).to_have_value("5")
    expect(nav.locator('[aria-current="page"]')).to_have_text("Page 2")
    expect(page.locator("ol.review-list mark").first).to_be_visible()
    screenshot(page, "review-search-page-2-en")
    assert_accessible(page)
    with page.expect_navigation():
        nav.get_by_role("link", name="Last page").click()
    assert "q=solid+TENT" in page.url and "stars=5" in page.url
    expect(nav.get_by_role("link", name="Next page")).to_have_count(0)
    with page.expect_navigation():
        nav.get_by_role("link", name="First page").click()
    expect(nav.locator('[aria-current="page"]')).to_have_text("Page 1")


def test_a_refused_search_is_explained_at_the_field(page: Any, live_server: Any, tent: Product) -> None:
    page.goto(f"{live_server.url}/products/{tent.sku}/?q=%21%21%21#reviews")
    field = page.get_by_label("Search the reviews")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_q_error")).to_have_text("Type at least one letter or digit to search.")
    # The search was not applied: every review is counted.
    expect(page.locator("#review-count")).to_have_text("73 reviews")
    assert_accessible(page)


def test_french_shopper_and_a_phone_width(make_context: Any, live_server: Any, tent: Product) -> None:
    page = make_context(locale="fr-FR", viewport={"width": 320, "height": 800}).new_page()
    page.goto(f"{live_server.url}/products/{tent.sku}/?q=tente&language=fr#reviews")
    assert page.locator("html").get_attribute("lang") == "fr"
    card = page.locator("ol.review-list article.review")
    expect(card).to_have_count(1)
    expect(card.locator(".review-body mark")).to_have_text("tente")
    screenshot(page, "review-search-fr-320")
    page.goto(f"{live_server.url}/products/{tent.sku}/")
    # Stacked, not squeezed, on a phone; nothing scrolls sideways.
    positive_box = page.locator("article.highlight-positive").bounding_box()
    critical_box = page.locator("article.highlight-critical").bounding_box()
    assert critical_box["y"] > positive_box["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "review-highlights-fr-320")
    page.locator("nav.pagination").scroll_into_view_if_needed()
    screenshot(page, "review-pages-fr-320", full_page=False)
    assert_accessible(page)
