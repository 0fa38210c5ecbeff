"""The product endpoints build their JSON as plain data (products.api.serializers.product_data)
and write the very bytes ProductSerializer wrote: varied products (no category, no figures,
figures of two revisions, a flagged and a withdrawn one, a French name or none, uploaded
pictures or a picture's address elsewhere), in English and in French, and in another time
zone. ProductSerializer still describes the schema (tests/api/test_schema_and_docs.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from gate.services import improvement_log
from products.api.selectors import product_list_api
from products.api.serializers import ProductDataSerializer, ProductSerializer
from products.models import Product, ProductImage
from tests.photo_files import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(actors: dict[str, Any], make_product: Callable[..., Product], write_review: Callable[..., Any]) -> None:
    reviewed = actors["product"]
    for rating in (5, 4, 1, 2, 2):
        write_review(reviewed, rating)
    improvement_log(product=reviewed, by=actors["manager"], description="New outsole")
    write_review(reviewed, 3)
    reviewed.name_fr = "Chaussure de trail"
    reviewed.save()
    ProductImage.objects.create(
        product=reviewed, image=SimpleUploadedFile("top.png", image_bytes("PNG", (60, 30))), alt_text="Top", position=1
    )
    ProductImage.objects.create(
        product=reviewed,
        image=SimpleUploadedFile("side.png", image_bytes("PNG", (40, 30))),
        alt_text="Side",
        position=2,
    )
    make_product("NOCAT", "Sans catégorie ½", category=None, brand="", image_url="https://cdn.example.com/a.jpg")
    make_product(
        "FLAG",
        "Flagged",
        gate_state="flagged",
        flagged_on=date(2026, 3, 1),
        withdrawal_deadline=date(2026, 3, 31),
    )
    make_product("GONE", "Withdrawn", gate_state="withdrawn", withdrawn_on=date(2026, 4, 1), on_sale=False)
    write_review(Product.objects.get(sku="FLAG"), 1)
    Product.objects.filter(sku="GONE").update(revision=2, revision_started_at=timezone.now() - timedelta(days=3))


def _bytes(serializer_class: type, request: Request) -> bytes:
    products = list(product_list_api())
    return JSONRenderer().render(serializer_class(products, many=True, context={"request": request}).data)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris"])
def test_plain_data_writes_the_serializers_bytes(varied: None, language: str, zone: str) -> None:
    request = Request(APIRequestFactory().get("/api/v1/products/"))
    with translation.override(language), timezone.override(zone):
        plain = _bytes(ProductDataSerializer, request)
        assert plain == _bytes(ProductSerializer, request)
    assert b'"Chaussure de trail"' in plain or language == "en"
    assert b"/product-images/" in plain and b"https://cdn.example.com/a.jpg" in plain
    assert b'"withdrawal_deadline":"2026-03-31"' in plain and b'"average":null' in plain


def test_list_and_detail_responses_are_the_serializers_output(varied: None) -> None:
    client = APIClient()
    listed = client.get("/api/v1/products/", HTTP_ACCEPT_LANGUAGE="fr")
    request = Request(APIRequestFactory().get("/api/v1/products/"))
    with translation.override("fr"):
        expected = ProductSerializer(list(product_list_api()), many=True, context={"request": request}).data
    assert listed.status_code == 200
    assert listed.json()["results"] == json.loads(JSONRenderer().render(expected))
    detail = client.get("/api/v1/products/P1/")
    expected_one = ProductSerializer(Product.objects.get(sku="P1"), context={"request": request}).data
    assert detail.content == JSONRenderer().render(expected_one)
