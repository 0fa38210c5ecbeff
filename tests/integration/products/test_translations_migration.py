"""Migration products 0007: the names and descriptions stored before languages existed
become the English ones, so no product or category loses its text or shows an empty one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from products.models import Category, Product

BEFORE = [("products", "0005_company_reader_role")]


def _latest() -> list[tuple[str, str]]:
    # The app's last migration, whichever the lead chains after this one.
    return MigrationExecutor(connection).loader.graph.leaf_nodes("products")


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_name_and_description_as_the_english_one() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    category = old.get_model("products", "Category").objects.create(name="Kitchen", slug="kitchen")
    old.get_model("products", "Product").objects.create(
        sku="PAN-1", name="Frying pan", slug="frying-pan", category_id=category.pk, description="For every hob."
    )
    old.get_model("products", "Product").objects.create(sku="BARE-1", name="No description", slug="bare")

    MigrationExecutor(connection).migrate(_latest())

    assert Category.objects.values_list("name_en", "name_fr").get() == ("Kitchen", None)
    pan = Product.objects.get(sku="PAN-1")
    assert (pan.name_en, pan.description_en, pan.name_fr, pan.description_fr) == (
        "Frying pan",
        "For every hob.",
        None,
        None,
    )
    assert Product.objects.get(sku="BARE-1").description_en == ""
    with translation.override("fr"):  # French falls back to what was there
        pan = Product.objects.select_related("category").get(sku="PAN-1")
        assert pan.category is not None
        assert (pan.name, pan.description, pan.category.name) == ("Frying pan", "For every hob.", "Kitchen")

    # Backwards: the single columns get the English texts back (edited since, here).
    Product.objects.filter(sku="PAN-1").update(name_en="Frying pan 28 cm")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    names = executor.loader.project_state(BEFORE).apps.get_model("products", "Product").objects
    assert names.get(sku="PAN-1").name == "Frying pan 28 cm"
    MigrationExecutor(connection).migrate(_latest())
