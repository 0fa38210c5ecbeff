"""Issue 18: numbers shown to people are grouped as their language writes them ("5 000" in
French with a narrow no-break space, "5,000" in English): length messages, help texts, the
413 page; and the review form and the 413 page say what the photo limits are."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from products.models import Product
from tests.integration.site.factories import product_create, review_create, user_create

pytestmark = pytest.mark.django_db

NNBSP = "\u202f"


@pytest.fixture
def product() -> Product:
    return product_create(sku="TENT-9", name="Trail tent")


def _french(client: Client, url: str, **params: Any) -> str:
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_a_too_long_search_counts_its_characters_in_french_digits(client: Client, product: Product) -> None:
    review_create(product=product, title="Stove")
    html = _french(client, reverse("product_detail", kwargs={"sku": product.sku}), q="W" * 1000)
    assert f"1{NNBSP}000" in html
    assert "1000" not in html.replace("W" * 1000, "")


def test_the_review_form_s_limits_are_grouped_in_french(client: Client, product: Product) -> None:
    client.force_login(user_create(display_name="Sam", language="fr"))
    html = _french(client, reverse("review_create", kwargs={"sku": product.sku}))
    assert f"5{NNBSP}000" in html
    assert " 5000 " not in html


def test_the_photo_help_states_the_limit_of_the_whole_review(client: Client, product: Product, settings: Any) -> None:
    settings.UPLOAD_BODY_MAX_BYTES = 51 * 1024 * 1024
    client.force_login(user_create(display_name="Sam"))
    html = client.get(reverse("review_create", kwargs={"sku": product.sku})).content.decode()
    assert "at most 10 MB each and 51 MB in all with your review" in html


def test_the_413_page_groups_its_limit_and_names_photos_as_a_cause(client: Client, product: Product) -> None:
    review = review_create(product=product, title="Stove")
    client.force_login(user_create(display_name="Sam", language="fr"))
    response = client.post(
        reverse("review_report", args=[review.pk]),
        {"reason": "other", "comment": "x" * (1024 * 1024)},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert f"1{NNBSP}024" in page and "1024" not in page
    assert "fewer or smaller photos" in page or "moins de photos" in page
