"""Migration reviews 0006: reviews staff wrote before issue 13 become employee reviews, and
their products are counted again without them; shoppers' reviews are untouched."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from accounts.roles import PRODUCT_MANAGER, SHOPPER
from products.models import Product
from reviews.models import Review
from reviews.ratings import product_ratings_recompute
from reviews.services import review_submit
from tests.factories import REVIEW_TEXT, product_create, user_create

pytestmark = pytest.mark.django_db

migration = importlib.import_module("reviews.migrations.0006_existing_staff_reviews_are_employee_reviews")


def test_staff_reviews_written_before_become_employee_reviews_and_stop_counting() -> None:
    product = product_create(sku="TENT-1")
    shopper, manager = user_create(SHOPPER), user_create(PRODUCT_MANAGER)
    for author, rating in ((shopper, 2), (manager, 5)):
        review_submit(product=product, author=author, rating=rating, title="Tent", body=REVIEW_TEXT, language="en")
    # As before issue 13: the manager's review stored as anyone's, and counted.
    Review.objects.filter(author=manager).update(employee=False)
    Product.objects.filter(pk=product.pk).update(
        current_count=2,
        current_sum=7,
        current_5_star=1,
        all_time_count=2,
        all_time_sum=7,
        all_time_5_star=1,
        current_average=Decimal("3.5"),
    )

    migration.staff_reviews_marked(apps, None)

    assert dict(Review.objects.values_list("author_id", "employee")) == {shopper.pk: False, manager.pk: True}
    product.refresh_from_db()
    assert (product.current_count, product.current_sum, product.current_5_star, product.current_average) == (
        1,
        2,
        0,
        Decimal("2.0000"),
    )
    assert product_ratings_recompute(product_ids=[product.pk]) == []  # nothing left to correct
