"""The desk names products in its user's language (docs/i18n.md), English when no
French name is written, and lists them in the order they read."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from products.models import Product
from tests.factories import product_create

pytestmark = pytest.mark.django_db


def test_a_french_director_reads_the_desk_product_list_in_french(client: Client, director: User) -> None:
    """The director's account reads French (tests/integration/desk/conftest.py)."""
    pan = product_create(sku="PAN-1", name="Frying pan")
    Product.objects.filter(pk=pan.pk).update(name_fr="Poêle")
    product_create(sku="WOK-1", name="Wok in carbon steel")  # no French name
    saucepan = product_create(sku="SAU-1", name="Saucepan")
    Product.objects.filter(pk=saucepan.pk).update(name_fr="Casserole")
    client.force_login(director)

    page = client.get("/desk/products/").content.decode()

    shown = [name for name in ("Casserole", "Poêle", "Wok in carbon steel") if name in page]
    assert shown == ["Casserole", "Poêle", "Wok in carbon steel"]
    assert "Frying pan" not in page and "Saucepan" not in page
    positions = [page.index(name) for name in shown]
    assert positions == sorted(positions), "listed in the order the names read"
