"""The catalogue and a product page in French, in a real browser (issue 18, item 5):
French names, categories and descriptions, the English name where no French one is
written, and a search that finds a product by its name in either language."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from products.models import Category, Product
from tests.browser.conftest import screenshot, sign_in
from tests.integration.site.factories import PASSWORD, category_create, product_create, reviews_bulk_create, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def kitchen() -> None:
    category = category_create(name="Kitchen", slug="kitchen")
    Category.objects.filter(pk=category.pk).update(name_fr="Cuisine")
    pan = product_create(
        sku="PAN-28",
        name="Nonstick frying pan 28 cm",
        category=category,
        brand="Maison Cuivre",
        description="A 28 cm aluminium frying pan for every hob, induction included.",
    )
    Product.objects.filter(pk=pan.pk).update(
        name_fr="Poêle antiadhésive 28 cm",
        description_fr="Une poêle en aluminium de 28 cm pour tous les feux, induction comprise.",
    )
    product_create(sku="WOK-30", name="Wok in carbon steel", category=category, brand="Fourneau")
    reviews_bulk_create(product=pan, ratings=[5, 4, 4], languages=("fr",))


def _no_wcag_violation(page: Any) -> None:
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_a_french_shopper_browses_searches_and_opens_a_product_in_french(
    make_context: Any, live_server: Any, kitchen: None
) -> None:
    page = make_context(locale="fr-FR").new_page()
    page.goto(f"{live_server.url}/products/")
    names = page.locator("h2.product-name")
    # French names, the wok's English one as its fallback, in the order they read.
    expect(names).to_have_text(["Poêle antiadhésive 28 cm", "Wok in carbon steel"])
    expect(names.nth(1)).to_have_attribute("lang", "en")  # read as English by a screen reader
    expect(page.locator("select[name=category] option", has_text="Cuisine")).to_have_count(1)
    _no_wcag_violation(page)
    screenshot(page, "catalogue-french-content")

    # The English name a shopper may know finds the product, shown under its French name.
    page.get_by_label("Rechercher").fill("frying")
    with page.expect_navigation():
        page.get_by_label("Rechercher").press("Enter")
    expect(names).to_have_text(["Poêle antiadhésive 28 cm"])

    with page.expect_navigation():
        page.get_by_role("link", name="Poêle antiadhésive 28 cm").click()
    expect(page.locator("h1")).to_have_text("Poêle antiadhésive 28 cm")
    expect(page).to_have_title("Poêle antiadhésive 28 cm · avis · reviewgate")
    expect(page.locator(".product-description")).to_contain_text("Une poêle en aluminium de 28 cm")
    _no_wcag_violation(page)
    screenshot(page, "product-page-french-content")


def test_an_english_shopper_sees_the_english_names(page: Any, live_server: Any, kitchen: None) -> None:
    page.goto(f"{live_server.url}/products/PAN-28/")
    expect(page.locator("h1")).to_have_text("Nonstick frying pan 28 cm")
    expect(page.locator(".product-description")).to_contain_text("A 28 cm aluminium frying pan")


def test_the_admin_edits_a_product_in_both_languages(page: Any, live_server: Any, kitchen: None) -> None:
    """TranslationAdmin's form, under the site's Content-Security-Policy (the page fixture
    fails on any violation or script error)."""
    user_create(username="boss", is_staff=True, is_superuser=True)
    sign_in(page, live_server.url, "boss", PASSWORD)
    pan = Product.objects.get(sku="WOK-30")
    page.goto(f"{live_server.url}/admin/products/product/{pan.pk}/change/")
    expect(page.locator("#id_name_en")).to_have_value("Wok in carbon steel")
    page.locator("#id_name_fr").fill("Wok en acier carbone")
    screenshot(page, "admin-product-both-languages")
    with page.expect_navigation():
        page.locator("input[name=_save]").click()
    pan.refresh_from_db()
    assert pan.name_fr == "Wok en acier carbone"
