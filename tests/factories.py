"""Small factories for tests: plain functions, explicit arguments, unique defaults."""

from __future__ import annotations

import itertools
from typing import Any

from accounts.models import User
from accounts.roles import user_add_role
from products.models import Category, Product

_seq = itertools.count(1)


def make_user(*, role: str | None = "shopper", language: str = "en", **extra: Any) -> User:
    n = next(_seq)
    extra.setdefault("username", f"user{n}")
    extra.setdefault("email", f"user{n}@example.test")
    user = User.objects.create_user(password="correct-horse-battery", language=language, **extra)
    if role:
        user_add_role(user, role)
    return user


def make_category(**extra: Any) -> Category:
    n = next(_seq)
    extra.setdefault("name", f"Category {n}")
    extra.setdefault("slug", f"category-{n}")
    return Category.objects.create(**extra)


def make_product(*, managers: list[User] | None = None, **extra: Any) -> Product:
    n = next(_seq)
    extra.setdefault("sku", f"SKU-{n:05d}")
    extra.setdefault("name", f"Product {n}")
    extra.setdefault("slug", f"product-{n}")
    product = Product.objects.create(**extra)
    if managers:
        product.managers.set(managers)
    return product


REVIEW_TEXT = "Solid product, did what I needed for three weeks of daily use."
