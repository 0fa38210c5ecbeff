"""An account that becomes staff after reviewing: its reviews become employee reviews and
stop counting, whether the role comes through code or the admin's groups or is_staff."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import MODERATOR, SHOPPER, user_add_role
from products.models import Product
from reviews.models import Review
from reviews.services import review_submit
from tests.factories import REVIEW_TEXT, product_create, user_create

pytestmark = pytest.mark.django_db


def reviewed(author: User, rating: int) -> Product:
    product = product_create()
    review_submit(product=product, author=author, rating=rating, title="Tent", body=REVIEW_TEXT, language="en")
    review_submit(product=product, author=user_create(SHOPPER), rating=2, title="Tent", body=REVIEW_TEXT, language="en")
    return product


def figures(product: Product) -> tuple[int, int, Decimal | None]:
    product.refresh_from_db()
    return product.current_count, product.current_sum, product.current_average


@pytest.mark.parametrize("how", ["role in code", "groups in the admin", "is_staff"])
def test_a_shopper_who_becomes_staff_stops_counting(how: str) -> None:
    author = user_create(SHOPPER)
    product = reviewed(author, 5)
    assert figures(product) == (2, 7, Decimal("3.5000"))

    if how == "role in code":
        user_add_role(author, MODERATOR)
    elif how == "groups in the admin":
        author.groups.set([Group.objects.get(name=SHOPPER), Group.objects.get(name=MODERATOR)])
    else:
        author.is_staff = True
        author.save()

    assert Review.objects.get(product=product, author=author).employee
    assert figures(product) == (1, 2, Decimal("2.0000"))


def test_a_shopper_who_stays_a_shopper_keeps_counting() -> None:
    author = user_create(SHOPPER)
    product = reviewed(author, 5)
    author.display_name = "New name"
    author.save()
    assert not Review.objects.get(product=product, author=author).employee
    assert figures(product) == (2, 7, Decimal("3.5000"))
