"""The product page's histogram: every "N stars" link lists that rating's reviews alone, for a
product with one version and for one with an earlier version (the link then keeps
version=current, as the histogram counts the current version)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from products.models import Product
from reviews.models import Review
from tests.factories import product_create
from tests.integration.desk.factories import add_review

pytestmark = pytest.mark.django_db


def _links(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'class="histogram-bar" href="([^"]+)"', page)]


def _listed(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'<article class="review[^"]*" id="review-(\d+)"', page)}


def _check_every_link(client: Client, product: Product, revision: int) -> None:
    url = reverse("product_detail", kwargs={"sku": product.sku})
    links = _links(client.get(url).content.decode())
    assert len(links) == 5
    for stars, link in zip((5, 4, 3, 2, 1), links, strict=True):
        assert f"stars={stars}" in link
        page = client.get(url + link.split("#")[0]).content.decode()
        expected = set(
            Review.objects.filter(product=product, rating=stars, revision=revision).values_list("pk", flat=True)
        )
        assert _listed(page) == expected, stars
        assert 'aria-current="true"' in page.split('class="histogram"', 1)[1].split("</ul>", 1)[0]


@pytest.mark.parametrize("earlier_version", [False, True])
def test_every_star_link_lists_its_own_rating(client: Client, earlier_version: bool) -> None:
    product = product_create()
    if earlier_version:
        for rating in (5, 4, 1):
            add_review(product, rating=rating, revision=0, days_ago=30)
        product.revision = 1
        product.save(update_fields=["revision"])
    for rating in (5, 5, 4, 4, 3, 2, 1):
        add_review(product, rating=rating, revision=product.revision)
    _check_every_link(client, product, product.revision)
