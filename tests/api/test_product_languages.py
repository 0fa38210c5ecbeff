"""The catalogue API's names in the request's language (docs/i18n.md): `name` stays, in
English unless the request asks for French with `Accept-Language`, and in English when
no French name is written."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from products.models import Category, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def french_names(actors: dict[str, Any]) -> None:
    trail = actors["product"]  # "Trail shoe"; P2, "Road shoe", has no French name
    Product.objects.filter(pk=trail.pk).update(name_fr="Chaussure de trail")
    Category.objects.filter(pk=trail.category_id).update(name_fr="Chaussures de running")


def test_without_a_language_the_api_answers_in_english_as_before(french_names: None) -> None:
    body = APIClient().get("/api/v1/products/P1/").json()
    assert body["name"] == "Trail shoe"
    assert body["category"]["name"] == "Running shoes"


def test_accept_language_french_gives_french_names_with_the_english_fallback(french_names: None) -> None:
    client = APIClient()
    response = client.get("/api/v1/products/P1/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["name"] == "Chaussure de trail"
    assert response.json()["category"]["name"] == "Chaussures de running"
    assert response["Content-Language"] == "fr"
    # A cache must not give one language's answer to the other (the ETag differs too).
    assert "Accept-Language" in response["Vary"]
    assert client.get("/api/v1/products/P2/", HTTP_ACCEPT_LANGUAGE="fr").json()["name"] == "Road shoe"


def test_ordering_by_name_follows_the_names_returned(french_names: None) -> None:
    def names(language: str) -> list[str]:
        response = APIClient().get("/api/v1/products/", {"ordering": "name"}, HTTP_ACCEPT_LANGUAGE=language)
        return [product["name"] for product in response.json()["results"]]

    assert names("en") == ["Road shoe", "Trail shoe"]
    assert names("fr") == ["Chaussure de trail", "Road shoe"]
    assert names("fr") == sorted(names("fr"))
