"""The one place tests build people, categories and products: plain functions with
keyword arguments and unique defaults from one sequence.

Every conftest and every domain helper module (tests/integration/site/factories.py, the
desk's, the notification tests') builds through these, so a user is made one way, with one
password. Fixtures that need the database wrap them (``make_user`` in tests/conftest.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.roles import user_add_role
from products.models import Category, Product

# Every test user's password: sign-in tests type it.
PASSWORD = "a-long-test-password-42"
REVIEW_TEXT = "Solid product, did what I needed for three weeks of daily use."

_sequence = itertools.count(1)


def next_number() -> int:
    """A number no other object of this test run was given (for unique names and SKUs)."""
    return next(_sequence)


def user_create(
    *roles: str,
    username: str | None = None,
    email: str | None = None,
    password: str = PASSWORD,
    language: str = "en",
    display_name: str = "",
    is_active: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
    email_verified: bool = True,
    joined_days_ago: int = 365,
) -> User:
    """A user in ``roles`` (none: a signed-up account without a role group).

    The username defaults to the first role and a number ("product_manager12"), the email
    to the username at example.com; ``email=""`` makes a user without an address. The
    address is verified unless ``email_verified=False`` (a fresh sign-up). The account is a
    year old unless ``joined_days_ago`` says otherwise: reviews from accounts younger than a
    week count toward a burst (reviews.bursts), which a test asks for explicitly.
    """
    username = username or f"{roles[0] if roles else 'user'}{next_number()}"
    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.com" if email is None else email,
        password=password,
        language=language,
        display_name=display_name,
        is_active=is_active,
        is_staff=is_staff,
        is_superuser=is_superuser,
        email_verified_at=timezone.now() if email_verified else None,
        date_joined=timezone.now() - timedelta(days=joined_days_ago),
    )
    for role in roles:
        user_add_role(user, role)
    return user


def category_create(*, name: str | None = None, slug: str | None = None) -> Category:
    n = next_number()
    return Category.objects.create(name=name or f"Category {n}", slug=slug or f"category-{n}")


def product_create(
    *,
    sku: str | None = None,
    name: str | None = None,
    slug: str | None = None,
    category: Category | None = None,
    managers: Sequence[User] = (),
    **fields: Any,
) -> Product:
    """A product on sale; ``fields`` are other Product fields (brand, description...)."""
    n = next_number()
    product = Product.objects.create(
        sku=sku or f"SKU{n:05d}",
        name=name or f"Product {n}",
        slug=slug or f"product-{n}",
        category=category,
        **fields,
    )
    if managers:
        product.managers.set(managers)
    return product
