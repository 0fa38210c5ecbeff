"""products.page_version.product_page_version: the version every cached answer starts with,
read by one plain statement (no ORM query building on a cache hit), gives exactly what the
model holds: the id, the version and the aware moment, or None for an unknown SKU. Runs on
SQLite and, with DATABASE_URL=postgres://..., on PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from products.models import Product
from products.page_version import page_version_bump, product_page_version
from tests.factories import product_create

pytestmark = pytest.mark.django_db


def test_the_version_lookup_reads_what_the_model_holds_in_one_query() -> None:
    product = product_create(sku="PV-1")
    page_version_bump(product.pk)
    page_version_bump(product.pk)
    stored = Product.objects.values("page_version", "page_changed_at").get(pk=product.pk)

    with CaptureQueriesContext(connection) as queries:
        version = product_page_version(sku="PV-1")

    assert len(queries) == 1
    assert version is not None
    assert (version.product_id, version.version) == (product.pk, stored["page_version"])
    assert version.version >= 2
    assert timezone.is_aware(version.changed_at)
    assert version.changed_at == stored["page_changed_at"]


def test_an_unknown_sku_has_no_version() -> None:
    product_create(sku="PV-1")
    assert product_page_version(sku="pv-1") is None
    assert product_page_version(sku="PV-2") is None
