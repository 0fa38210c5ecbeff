"""Catalogue content in both languages (issue 18, item 5): category and product names and
descriptions per language, shown in the shopper's language with English as the fallback,
searched in both, ordered as shown, edited in the admin."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from accounts.models import User
from products.models import Category, Product
from tests.factories import category_create, product_create, user_create

pytestmark = pytest.mark.django_db

FRENCH: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "fr"}
ENGLISH: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """The pattern's first match in the page (the test fails here if there is none)."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} is not on the page"
    return match


@pytest.fixture
def pans() -> dict[str, Product]:
    kitchen = category_create(name="Kitchen", slug="kitchen")
    Category.objects.filter(pk=kitchen.pk).update(name_fr="Cuisine")
    frying = product_create(sku="PAN-1", name="Frying pan", category=kitchen, description="A pan for every hob.")
    Product.objects.filter(pk=frying.pk).update(name_fr="Poêle à frire", description_fr="Une poêle pour tous les feux.")
    # No French name: the French pages show the English one.
    wok = product_create(sku="WOK-1", name="Wok in carbon steel", category=kitchen)
    saucepan = product_create(sku="SAU-1", name="Saucepan", category=kitchen)
    Product.objects.filter(pk=saucepan.pk).update(name_fr="Casserole")
    return {"frying": frying, "wok": wok, "saucepan": saucepan}


def _names_in_order(page: str) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", name)).strip()
        for name in re.findall(r'<h2 class="product-name"[^>]*>(.*?)</h2>', page)
    ]


def test_the_french_product_page_names_and_describes_the_product_in_french(
    client: Client, pans: dict[str, Product]
) -> None:
    page = client.get("/products/PAN-1/", **FRENCH).content.decode()
    assert '<h1 lang="fr">Poêle à frire</h1>' in page
    assert "<title>Poêle à frire ·" in page
    assert "Une poêle pour tous les feux." in page
    structured = json.loads(_found(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert structured["name"] == "Poêle à frire"
    assert structured["description"] == "Une poêle pour tous les feux."
    assert '<div class="product-description" lang="fr">' in page
    assert "Frying pan" not in page

    english = client.get("/products/PAN-1/", **ENGLISH).content.decode()
    assert '<h1 lang="en">Frying pan</h1>' in english
    assert "Poêle" not in english


def test_a_product_without_a_french_name_shows_its_english_one_in_french(
    client: Client, pans: dict[str, Product]
) -> None:
    page = client.get("/products/WOK-1/", **FRENCH).content.decode()
    # Marked as English, so a screen reader reads it as such.
    assert '<h1 lang="en">Wok in carbon steel</h1>' in page
    assert "<title>Wok in carbon steel ·" in page


def test_the_french_catalogue_lists_french_names_in_their_order_with_the_fallback_among_them(
    client: Client, pans: dict[str, Product]
) -> None:
    page = client.get("/products/", **FRENCH).content.decode()
    # The English fallback sorts where it shows (by W), not where a missing name would.
    assert _names_in_order(page) == ["Casserole", "Poêle à frire", "Wok in carbon steel"]
    assert ">Cuisine</option>" in page
    english = client.get("/products/", **ENGLISH).content.decode()
    assert _names_in_order(english) == ["Frying pan", "Saucepan", "Wok in carbon steel"]
    assert ">Kitchen</option>" in english


@pytest.mark.parametrize("headers", [FRENCH, ENGLISH], ids=["browsing-in-french", "browsing-in-english"])
@pytest.mark.parametrize("term", ["poêle", "frying"])
def test_the_catalogue_search_finds_a_product_by_its_name_in_either_language(
    client: Client, pans: dict[str, Product], headers: dict[str, Any], term: str
) -> None:
    page = client.get("/products/", {"q": term}, **headers).content.decode()
    assert re.findall(r'data-sku="([^"]+)"', page) == ["PAN-1"]


def test_the_admin_edits_each_language_of_a_name_and_description(client: Client, pans: dict[str, Product]) -> None:
    admin: User = user_create(username="boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    form = client.get(f"/admin/products/product/{pans['wok'].pk}/change/", **ENGLISH).content.decode()
    for field in ("name_en", "name_fr", "description_en", "description_fr"):
        assert f'name="{field}"' in form
    category_form = client.get(f"/admin/products/category/{pans['frying'].category_id}/change/").content.decode()
    assert 'name="name_en"' in category_form and 'name="name_fr"' in category_form

    wok = pans["wok"]
    response = client.post(
        f"/admin/products/product/{wok.pk}/change/",
        {
            "sku": wok.sku,
            "name_en": "Wok in carbon steel",
            "name_fr": "Wok en acier carbone",
            "slug": wok.slug,
            "category": wok.category_id,
            "brand": "",
            "description_en": "",
            "description_fr": "Pour sauter à feu vif.",
            "image_url": "",
            # The product images inline (products.admin.ProductImageInline), left empty.
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    wok.refresh_from_db()
    assert (wok.name_en, wok.name_fr, wok.description_fr) == (
        "Wok in carbon steel",
        "Wok en acier carbone",
        "Pour sauter à feu vif.",
    )
    # (a shopper: the signed-in admin reads the site in their account's language, English)
    assert '<h1 lang="fr">Wok en acier carbone</h1>' in Client().get("/products/WOK-1/", **FRENCH).content.decode()


def test_the_admin_refuses_a_product_without_its_english_name(client: Client, pans: dict[str, Product]) -> None:
    """English is every text's fallback: it cannot be left empty."""
    client.force_login(user_create(username="boss2", is_staff=True, is_superuser=True))
    wok = pans["wok"]
    response = client.post(
        f"/admin/products/product/{wok.pk}/change/",
        {"sku": wok.sku, "name_en": "", "name_fr": "Wok", "slug": wok.slug, "description_en": "", "description_fr": ""},
    )
    assert response.status_code == 200
    wok.refresh_from_db()
    assert wok.name_en == "Wok in carbon steel"


def test_a_product_the_import_creates_while_french_is_active_is_named_in_english(tmp_path: Path) -> None:
    """`import_reviews --create-products` names a product by its SKU: in the default
    language's column, which every page falls back to, whatever language is active
    (modeltranslation writes `name=` into the active language's)."""
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("product_id,rating,created_at\nNEW-1,4,2026-01-05\n", encoding="utf-8")
    with translation.override("fr"):
        call_command("import_reviews", str(reviews), "--create-products", verbosity=0)
    product = Product.objects.get(sku="NEW-1")
    assert product.name_en == "NEW-1"
    assert not product.name_fr
    with translation.override("en"):
        assert Product.objects.get(sku="NEW-1").name == "NEW-1"


def test_the_admin_search_finds_a_product_by_its_name_in_either_language(
    client: Client, pans: dict[str, Product]
) -> None:
    client.force_login(user_create(username="boss3", is_staff=True, is_superuser=True, language="en"))
    for term in ("Poêle", "Frying"):
        page = client.get("/admin/products/product/", {"q": term}).content.decode()
        assert "PAN-1" in page and "SAU-1" not in page, term
