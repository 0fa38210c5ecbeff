"""What every page of the shopper's site promises: CSP-compatible markup, CSRF on every form,
and user text always escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from products.models import Product
from reviews.models import Review
from tests.integration.site.factories import (
    brand_reply_create,
    product_create,
    product_improve,
    review_create,
    user_create,
)

pytestmark = pytest.mark.django_db

PAYLOAD = "\"><script>alert(1)</script><img src=x onerror=alert(2)>'"


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._form_method: str | None = None
        self._form_has_csrf = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> is blocked by the CSP")
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/ld+json":
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")
        if tag == "img" and attributes.get("src") == "x":
            self.problems.append("user text became an <img>")
        if tag == "form":
            self._form_method = (attributes.get("method") or "get").lower()
            self._form_has_csrf = False
        if tag == "input" and attributes.get("name") == "csrfmiddlewaretoken":
            self._form_has_csrf = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            if self._form_method == "post" and not self._form_has_csrf:
                self.problems.append("POST form without CSRF token")
            self._form_method = None


def _audit(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert "default-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    audit = _Audit()
    audit.feed(html)
    assert audit.problems == [], (url, audit.problems)
    return html


@pytest.fixture
def world() -> tuple[Product, Review, User]:
    author = user_create(display_name=PAYLOAD[:60])
    product = product_create(sku="XSS-1", name="Tent " + PAYLOAD, brand=PAYLOAD[:100], description=PAYLOAD)
    review_create(product=product, title="old", body="An older review of the first version.")
    product_improve(product, public_note=PAYLOAD)
    review = review_create(product=product, author=author, title=PAYLOAD[:120], body=PAYLOAD * 2)
    brand_reply_create(review=review, author=user_create(), body=PAYLOAD)
    return product, review, author


def test_public_pages_are_csp_clean_and_escape_user_text(client: Client, world: tuple[Product, Review, User]) -> None:
    product, _review, _author = world
    for url in (
        reverse("home"),
        reverse("product_list") + "?q=" + "%3Cscript%3E",
        reverse("product_detail", kwargs={"sku": product.sku}),
        reverse("about_reviews"),
        reverse("login"),
        reverse("signup"),
    ):
        html = _audit(client, url)
        assert "<script>alert(1)</script>" not in html


def test_signed_in_pages_are_csp_clean_and_escape_user_text(
    client: Client, world: tuple[Product, Review, User]
) -> None:
    product, review, author = world
    client.force_login(author)
    for url in (
        reverse("product_detail", kwargs={"sku": product.sku}),
        reverse("review_mine"),
        reverse("review_edit", kwargs={"pk": review.pk}),
        reverse("review_delete", kwargs={"pk": review.pk}),
        reverse("profile"),
    ):
        html = _audit(client, url)
        assert "<script>alert(1)</script>" not in html
    client.force_login(user_create())
    for url in (
        reverse("product_detail", kwargs={"sku": product.sku}),
        reverse("review_report", kwargs={"pk": review.pk}),
        reverse("review_create", kwargs={"sku": product.sku}),
    ):
        _audit(client, url)


def test_search_term_is_echoed_escaped(client: Client) -> None:
    html = client.get(reverse("product_list"), {"q": PAYLOAD}).content.decode()
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;' in html


def test_error_pages_keep_user_input_escaped(client: Client) -> None:
    client.force_login(user_create())
    product = product_create()
    response = client.post(
        reverse("review_create", kwargs={"sku": product.sku}),
        {"rating": "5", "title": PAYLOAD, "body": "short", "language": "en"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert re.search(r'value="&quot;&gt;&lt;script&gt;', html)
