"""The Net Promoter Score on the product page (issue 16, item 4): only when NPS_PUBLIC says so
(default off), over the counted reviews of the current version, with its number of answers;
never a single answer; one query more when on, none when off."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from care.public import nps_signed
from products.models import Product
from reviews.models import Review
from tests.integration.site.factories import product_create, product_improve, reviews_bulk_create

# 15 answers of the current version: 6 promoters (9-10), 6 passives (7-8), 3 detractors (0-6):
# (6 - 3) / 15 = +20.
pytestmark = pytest.mark.django_db  # the site tests clear the (database) cache around each

CURRENT_ANSWERS = [10, 10, 10, 9, 9, 9, 8, 8, 8, 7, 7, 7, 6, 3, 0]


def answered(product: Product, answers: list[int | None], **fields: object) -> list[Review]:
    reviews = reviews_bulk_create(product=product, ratings=[4] * len(answers))
    for review, answer in zip(reviews, answers, strict=True):
        Review.objects.filter(pk=review.pk).update(recommend=answer, **fields)
    return reviews


@pytest.fixture
def product() -> Product:
    product = product_create(name="Tent")
    answered(product, [0, 0, 0])  # the previous version's: not counted on the page
    product_improve(product)
    answered(product, [*CURRENT_ANSWERS, None])  # one review without an answer
    answered(product, [0], employee=True)  # an employee's: counted nowhere
    product.refresh_from_db()
    return product


def page(client: Client, product: Product) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("product_detail", kwargs={"sku": product.sku}))
    assert response.status_code == 200
    return " ".join(response.content.decode().split()), len(queries)


def test_the_score_is_hidden_by_default_and_costs_no_query(client: Client, product: Product, settings: Any) -> None:
    html, off_queries = page(client, product)
    assert "Net Promoter Score" not in html
    settings.NPS_PUBLIC = True
    html, on_queries = page(client, product)
    assert "Net Promoter Score: +20 (15 answers)" in html
    assert on_queries == off_queries + 1


def test_no_single_answer_is_on_the_page(client: Client, product: Product, settings: Any) -> None:
    settings.NPS_PUBLIC = True
    html, _queries = page(client, product)
    assert html.count("Net Promoter Score") == 1
    assert "recommend" not in html.lower()


def test_a_product_without_answers_shows_no_score(client: Client, settings: Any) -> None:
    settings.NPS_PUBLIC = True
    bare = product_create(name="Lamp")
    answered(bare, [None, None])
    html, _queries = page(client, bare)
    assert "Net Promoter Score" not in html


def test_fewer_answers_than_the_minimum_show_no_score(client: Client, settings: Any) -> None:
    # One answer's score is that answer: published, it would give away one customer's.
    settings.NPS_PUBLIC = True
    assert settings.PUBLIC_FIGURES_MIN_COUNT == 10
    stove = product_create(name="Stove")
    answered(stove, [3] * 9)
    assert "Net Promoter Score" not in page(client, stove)[0]
    answered(stove, [10])
    assert "Net Promoter Score: -80 (10 answers)" in page(client, stove)[0]


def test_one_answer_is_one_answer_where_the_minimum_allows_it(client: Client, settings: Any) -> None:
    settings.NPS_PUBLIC = True
    settings.PUBLIC_FIGURES_MIN_COUNT = 1
    single = product_create(name="Stove")
    answered(single, [3])
    assert "Net Promoter Score: -100 (1 answer)" in page(client, single)[0]


@pytest.mark.parametrize(
    ("score", "language", "shown"),
    [
        (Decimal("20.0"), "en", "+20"),
        (Decimal("-12.5"), "en", "-12.5"),
        (Decimal("-12.5"), "fr", "-12,5"),
        (Decimal("0.0"), "en", "0"),
        (Decimal("100.0"), "en", "+100"),
    ],
)
def test_the_score_is_written_with_its_sign(score: Decimal, language: str, shown: str) -> None:
    with translation.override(language):
        assert nps_signed(score) == shown
