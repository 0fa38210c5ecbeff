"""No page, list or search answers 500 because of one product's SKU (issue 12).

Every page that lists products (or links to one it was not reached through) is rendered
with one product of every edge-case SKU the rule accepts (each linked, its page 200) and
with legacy products whose SKU breaks the rule, stored before the rule by bypassing
validation ("a/b", "a b"): the pages still answer 200 and name them, unlinked, and their
own URLs are 404. Then the ways a SKU comes in (the model, the admin, the API's filters)
refuse an invalid one with the rule, and migration 0003 reports stored ones.
"""

from __future__ import annotations

import importlib
import io
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from core.url_converters import sku_reverse
from desk import services as desk_services
from gate.models import WithdrawalNotice
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from products.models import Product
from reviews.models import Review
from tests.factories import product_create, user_create
from tests.integration.desk.factories import DESK_SETTINGS, add_review, flagged_story, gate_catch_up, make_product
from tests.unit.test_skus import VALID_SKUS

pytestmark = pytest.mark.django_db

LEGACY_SKUS = ["a/b", "a b"]
# How a client writes each legacy SKU in a URL: "a/b" percent-encoded (or not), "a b" too.
LEGACY_PATHS = {"a/b": ["a%2Fb", "a/b"], "a b": ["a%20b"]}
report_migration = importlib.import_module("products.migrations.0003_product_sku_rule_and_invalid_sku_report")


@dataclass
class Shop:
    manager: User
    director: User
    shopper: User
    products: dict[str, Product]  # by SKU
    reviews: dict[str, Review]  # the shopper's review, by SKU
    notices: dict[str, WithdrawalNotice]  # by SKU (the flagged shop only)


def name_of(sku: str) -> str:
    # Distinct names that no other name contains, so a page's text is unambiguous.
    return f"Edge product [{sku}]"


def sku_store_bypassing_validation(product: Product, sku: str) -> None:
    """What an import did before the rule: a SKU written without any check."""
    Product.objects.filter(pk=product.pk).update(sku=sku)
    product.refresh_from_db()


def shop_build(*, flagged: bool) -> Shop:
    """A product of each SKU managed by one manager, each reviewed by one shopper. Flagged:
    each product's notice opened by the real gate engine (slower: complaints to analyse).
    The legacy products are built with a valid SKU, then given theirs as an old import did."""
    cache.clear()  # rate-limit counters of other tests
    manager = user_create(PRODUCT_MANAGER, display_name="Julia")
    director = user_create(QUALITY_DIRECTOR, display_name="Marc")
    shopper = user_create(SHOPPER, display_name="Alex")
    products: dict[str, Product] = {}
    for number, sku in enumerate(VALID_SKUS + LEGACY_SKUS):
        stored_sku = sku if sku in VALID_SKUS else f"LEGACY-{number}"
        if flagged:
            product = flagged_story(managers=[manager], catch_up=False, sku=stored_sku, name=name_of(sku)).product
        else:
            product = make_product(managers=[manager], sku=stored_sku, name=name_of(sku))
        if sku in LEGACY_SKUS:
            sku_store_bypassing_validation(product, sku)
        products[sku] = product
    if flagged:
        gate_catch_up()
    notices = {notice.product.sku: notice for notice in WithdrawalNotice.objects.select_related("product")}
    reviews = {sku: add_review(product, rating=4, days_ago=0, author=shopper) for sku, product in products.items()}
    assert {product.sku for product in products.values()} == set(VALID_SKUS + LEGACY_SKUS)
    return Shop(manager, director, shopper, products, reviews, notices)


@pytest.fixture(autouse=True)
def _desk_settings(settings: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture
def shop() -> Shop:
    return shop_build(flagged=False)


@pytest.fixture
def flagged_shop() -> Shop:
    shop = shop_build(flagged=True)
    assert set(shop.notices) == set(VALID_SKUS + LEGACY_SKUS)
    return shop


def links_to(html: str, name: str) -> list[str]:
    """The href of every link whose text is ``name`` (escaped as the page writes it)."""
    return re.findall(rf'<a [^>]*href="([^"]*)"[^>]*>\s*{re.escape(escape(name))}\s*</a>', html)


def assert_lists_every_product(client: Client, html: str, shop: Shop, *, url_name: str) -> None:
    """Each valid SKU's product linked to its working page; each legacy one named, unlinked."""
    for sku in VALID_SKUS:
        expected = reverse(url_name, kwargs={"sku": sku})
        assert expected in links_to(html, name_of(sku)), sku
        assert client.get(expected).status_code == 200, expected
    for sku in LEGACY_SKUS:
        assert escape(name_of(sku)) in html, sku
        assert links_to(html, name_of(sku)) == [], sku


# --- The shopper's site ------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["home", "product_list"])
def test_the_catalogue_lists_every_sku_linking_only_the_valid_ones(client: Client, shop: Shop, url_name: str) -> None:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert_lists_every_product(client, response.content.decode(), shop, url_name="product_detail")


@pytest.mark.parametrize("sku", VALID_SKUS + LEGACY_SKUS)
def test_catalogue_search_finds_each_sku_and_answers_200(client: Client, shop: Shop, sku: str) -> None:
    response = client.get(reverse("product_list"), {"q": sku})
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(name_of(sku)) in html
    links = links_to(html, name_of(sku))
    assert links == ([reverse("product_detail", kwargs={"sku": sku})] if sku in VALID_SKUS else [])


@pytest.mark.parametrize("sku", VALID_SKUS)
def test_each_valid_skus_product_page_and_review_form_answer_200(client: Client, shop: Shop, sku: str) -> None:
    page = client.get(f"/products/{sku}/")
    assert page.status_code == 200
    assert page.context["product"] == shop.products[sku]
    client.force_login(user_create(SHOPPER))
    assert client.get(f"/products/{sku}/review/").status_code == 200


@pytest.mark.parametrize("path", [path for paths in LEGACY_PATHS.values() for path in paths])
def test_a_legacy_skus_own_urls_are_404(client: Client, shop: Shop, path: str) -> None:
    assert client.get(f"/products/{path}/").status_code == 404
    client.force_login(shop.manager)
    assert client.get(f"/products/{path}/review/").status_code == 404
    assert client.get(f"/desk/products/{path}/reviews/").status_code == 404


def test_my_reviews_lists_every_product_linking_only_the_valid_ones(client: Client, shop: Shop) -> None:
    client.force_login(shop.shopper)
    response = client.get(reverse("review_mine"))
    assert response.status_code == 200
    assert_lists_every_product(client, response.content.decode(), shop, url_name="product_detail")


@pytest.mark.parametrize("sku", VALID_SKUS[:1] + LEGACY_SKUS)
def test_an_author_edits_and_deletes_a_review_of_any_product(client: Client, shop: Shop, sku: str) -> None:
    review = shop.reviews[sku]
    client.force_login(shop.shopper)
    back = sku_reverse("product_detail", sku=sku) or reverse("review_mine")

    edit_page = client.get(reverse("review_edit", kwargs={"pk": review.pk}))
    delete_page = client.get(reverse("review_delete", kwargs={"pk": review.pk}))
    edited = client.post(
        reverse("review_edit", kwargs={"pk": review.pk}),
        {"rating": 5, "title": "Still good", "body": "Still good after a year of weekends.", "language": "en"},
    )
    deleted = client.post(reverse("review_delete", kwargs={"pk": review.pk}))

    assert (edit_page.status_code, delete_page.status_code) == (200, 200)
    assert f'href="{back}' in edit_page.content.decode() and f'href="{back}' in delete_page.content.decode()
    assert edited.status_code == 302 and edited["Location"].startswith(back)
    assert deleted.status_code == 302


def test_the_about_page_answers_200(client: Client, shop: Shop) -> None:
    assert client.get(reverse("about_reviews")).status_code == 200


# --- The desk ------------------------------------------------------------------------------


def test_the_desk_product_list_links_only_the_valid_skus(client: Client, shop: Shop) -> None:
    client.force_login(shop.manager)
    response = client.get(reverse("desk:products"))
    assert response.status_code == 200
    assert_lists_every_product(client, response.content.decode(), shop, url_name="desk:product_reviews")


def test_the_desk_notice_list_shows_every_products_notice(client: Client, flagged_shop: Shop) -> None:
    client.force_login(flagged_shop.manager)
    response = client.get(reverse("desk:notices"))
    assert response.status_code == 200
    html = response.content.decode()
    for sku, notice in flagged_shop.notices.items():
        # A notice is reached by its number, so every product's, legacy ones too, is linked.
        assert links_to(html, name_of(sku)) == [reverse("desk:notice", kwargs={"pk": notice.pk})]


def test_a_valid_skus_notice_page_links_its_product_pages(client: Client, flagged_shop: Shop) -> None:
    client.force_login(flagged_shop.manager)
    for sku in VALID_SKUS:  # one loop: each flagged product takes the gate engine's time
        response = client.get(reverse("desk:notice", kwargs={"pk": flagged_shop.notices[sku].pk}))
        assert response.status_code == 200, sku
        html = response.content.decode()
        reviews_url = escape(reverse("desk:product_reviews", kwargs={"sku": sku}))
        assert f'href="{reviews_url}"' in html, sku
        assert f'href="{escape(reverse("product_detail", kwargs={"sku": sku}))}"' in html, sku
        assert f'href="{reviews_url}?revision=' in html, sku  # the histogram's bars
        assert all(link["url"].startswith(f"{reviews_url}?") for link in response.context["phrases_en"]), sku
        assert client.get(reverse("desk:product_reviews", kwargs={"sku": sku})).status_code == 200, sku


def test_a_legacy_skus_notice_page_answers_200_without_product_links(client: Client, flagged_shop: Shop) -> None:
    client.force_login(flagged_shop.manager)
    for sku in LEGACY_SKUS:
        response = client.get(reverse("desk:notice", kwargs={"pk": flagged_shop.notices[sku].pk}))
        assert response.status_code == 200, sku
        html = response.content.decode()
        assert escape(name_of(sku)) in html, sku
        # No link to a product's page (the catalogue's "/products/" itself is in the menu).
        assert re.search(r'href="/(desk/)?products/[^"]', html) is None, sku
        assert "This product's SKU breaks the SKU rule, so it has no pages: rename it in the admin." in html
        # The complaint phrases are listed, unlinked.
        assert response.context["phrases_en"], sku
        assert all(link["url"] is None for link in response.context["phrases_en"]), sku


@pytest.mark.parametrize("sku", ["a.b", "a b"])
def test_the_reply_page_of_any_products_review_answers_200(client: Client, shop: Shop, sku: str) -> None:
    client.force_login(shop.manager)
    response = client.get(reverse("desk:review_reply", kwargs={"pk": shop.reviews[sku].pk}))
    assert response.status_code == 200
    expected_back = reverse("desk:product_reviews", kwargs={"sku": sku}) if sku in VALID_SKUS else "/desk/products/"
    assert response.context["back"] == expected_back


@pytest.mark.parametrize("person", ["manager", "director"])
def test_the_desk_key_figures_answer_200(client: Client, shop: Shop, person: str) -> None:
    client.force_login(getattr(shop, person))
    assert client.get(reverse("desk:kpis")).status_code == 200
    assert client.get(reverse("desk:kpis_csv")).status_code == 200


@pytest.mark.parametrize("sku", ["a.b", "a b"])
def test_a_reply_email_links_the_product_page_only_for_a_valid_sku(shop: Shop, sku: str) -> None:
    desk_services.desk_reply_post(review=shop.reviews[sku], by=shop.manager, body="Thank you, we fixed the zip.")
    [message] = OutboxMessage.objects.filter(kind="review_reply")
    mail.outbox.clear()
    outbox_deliver(message_id=message.pk)
    [email] = mail.outbox
    assert email.to == [shop.shopper.email]
    assert "Thank you, we fixed the zip." in email.body
    if sku in VALID_SKUS:
        product_url = "https://shop.example" + reverse("product_detail", kwargs={"sku": sku})
        assert f"Read it on the product page:\n{product_url}\n" in email.body
    else:
        assert "Read it on the product page" not in email.body
        assert "https://shop.example/products/" not in email.body


# --- The API --------------------------------------------------------------------------------


def test_the_api_product_list_serves_every_sku(shop: Shop) -> None:
    response = APIClient().get("/api/v1/products/", {"page_size": 100})
    assert response.status_code == 200
    assert {item["sku"] for item in response.json()["results"]} == set(VALID_SKUS + LEGACY_SKUS)


@pytest.mark.parametrize("sku", VALID_SKUS)
def test_the_api_serves_each_valid_skus_product_and_its_reviews(shop: Shop, sku: str) -> None:
    client = APIClient()
    detail = client.get(f"/api/v1/products/{sku}/")
    assert detail.status_code == 200
    assert detail.json()["sku"] == sku
    reviews = client.get(f"/api/v1/products/{sku}/reviews/")
    assert reviews.status_code == 200
    assert reviews.json()["count"] >= 1


@pytest.mark.parametrize("path", [path for paths in LEGACY_PATHS.values() for path in paths])
def test_the_api_answers_404_for_a_legacy_skus_urls(shop: Shop, path: str) -> None:
    client = APIClient()
    for url in (f"/api/v1/products/{path}/", f"/api/v1/products/{path}/reviews/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url


@pytest.mark.parametrize("endpoint", ["/api/v1/gate/events/", "/api/v1/gate/notices/"])
def test_the_api_refuses_an_invalid_sku_filter_with_the_rule(shop: Shop, endpoint: str) -> None:
    client = APIClient()
    client.force_login(shop.director)
    refused = client.get(endpoint, {"product": "a/b"})
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert list(error["fields"]) == ["product"]
    assert error["fields"]["product"] == [
        "“a/b” is not a valid SKU: a SKU is 1 to 64 characters: ASCII letters, digits, “.”, “_” and “-”, "
        "starting with a letter or digit."
    ]
    assert client.get(endpoint, {"product": "a.b"}).status_code == 200


# --- The model and the admin ------------------------------------------------------------------


@pytest.mark.parametrize("sku", ["a/b", "a b", ".a", "é"])
def test_full_clean_refuses_an_invalid_sku_with_the_rule(sku: str) -> None:
    product = Product(sku=sku, name="Tent", slug="tent")
    with pytest.raises(ValidationError) as caught:
        product.full_clean()
    assert caught.value.message_dict["sku"] == [
        f"“{sku}” is not a valid SKU: a SKU is 1 to 64 characters: ASCII letters, digits, “.”, “_” and “-”, "
        "starting with a letter or digit."
    ]


def admin_product_form(sku: str) -> dict[str, str]:
    # Names and descriptions per language (products/translation.py): English is required.
    return {
        "sku": sku,
        "name_en": "Admin tent",
        "name_fr": "",
        "slug": "admin-tent",
        "brand": "",
        "description_en": "",
        "description_fr": "",
        "image_url": "",
        # The product images inline (products.admin.ProductImageInline), left empty.
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
    }


RULE_MESSAGE = "is not a valid SKU: a SKU is 1 to 64 characters: ASCII letters, digits, “.”, “_” and “-”"


@pytest.mark.parametrize(
    ("sku", "message"),
    [
        ("a/b", f"“a/b” {RULE_MESSAGE}"),
        ("a b", f"“a b” {RULE_MESSAGE}"),
        ("-a", f"“-a” {RULE_MESSAGE}"),
        # The form's own length check runs first (and alone) for a SKU too long.
        ("a" * 65, "Ensure this value has at most 64 characters (it has 65)."),
    ],
)
def test_the_admin_refuses_an_invalid_sku_with_the_rule(
    client: Client, admin_user: User, sku: str, message: str
) -> None:
    client.force_login(admin_user)
    response = client.post("/admin/products/product/add/", admin_product_form(sku))
    assert response.status_code == 200
    [error] = response.context["adminform"].form.errors["sku"]
    assert error.startswith(message)
    assert not Product.objects.filter(name="Admin tent").exists()


def test_the_admin_accepts_a_valid_edge_sku_and_lists_legacy_ones(client: Client, admin_user: User) -> None:
    client.force_login(admin_user)
    response = client.post("/admin/products/product/add/", admin_product_form("A.-_9"))
    assert response.status_code == 302
    assert Product.objects.get(name="Admin tent").sku == "A.-_9"
    legacy = product_create(name="Legacy tent")
    sku_store_bypassing_validation(legacy, "a b")
    changelist = client.get("/admin/products/product/")
    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 2
    # Renaming it in the admin is what the migration's report asks for.
    change_url = f"/admin/products/product/{legacy.pk}/change/"
    assert client.get(change_url).status_code == 200
    renamed = client.post(change_url, {**admin_product_form("LEGACY-1"), "name_en": "Legacy tent", "slug": "legacy"})
    assert renamed.status_code == 302
    legacy.refresh_from_db()
    assert legacy.sku == "LEGACY-1"


# --- Migration 0003's report -------------------------------------------------------------------


def run_report() -> str:
    out = io.StringIO()
    report_migration.report_invalid_skus(apps, SimpleNamespace(connection=connection), out=out)
    return out.getvalue()


def test_the_migration_reports_each_stored_invalid_sku_and_changes_nothing() -> None:
    valid = product_create(sku="a.b")
    slash = product_create(sku="TEMP-1")
    Product.objects.bulk_create([Product(sku="a b", name="Spaced", slug="spaced")])  # no validation either
    sku_store_bypassing_validation(slash, "a/b")
    spaced = Product.objects.get(sku="a b")
    before = list(Product.objects.order_by("pk").values_list("pk", "sku"))

    report = run_report()

    rule = "a SKU is 1 to 64 characters: ASCII letters, digits, '.', '_' and '-', starting with a letter or digit"
    assert report.splitlines() == [
        "",
        "  2 product(s) have a SKU that breaks the SKU rule; their pages are 404 until renamed:",
        f"  product id {slash.pk}, SKU 'a/b': 'a/b' is not a valid SKU: {rule}; rename it in the admin",
        f"  product id {spaced.pk}, SKU 'a b': 'a b' is not a valid SKU: {rule}; rename it in the admin",
    ]
    assert str(valid.pk) not in re.findall(r"product id (\d+)", report)
    assert list(Product.objects.order_by("pk").values_list("pk", "sku")) == before


def test_the_migration_says_nothing_when_every_sku_is_valid() -> None:
    for sku in VALID_SKUS:
        product_create(sku=sku)
    assert run_report() == ""
