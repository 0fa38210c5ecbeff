"""Roles are Django groups with permissions, created by a data migration.

Object-level rights (a product manager acts only on the products they manage) are answered
here, in one place, so pages, the API and services ask the same question the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from products.models import Product

SHOPPER = "shopper"
MODERATOR = "moderator"
PRODUCT_MANAGER = "product_manager"
QUALITY_DIRECTOR = "quality_director"
ROLES = (SHOPPER, MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR)

MANAGE_ALL_PRODUCTS = "products.manage_all_products"
MANAGE_OWN_PRODUCTS = "products.manage_own_products"
MODERATE_REVIEWS = "reviews.moderate_review"


def user_is_quality_director(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(MANAGE_ALL_PRODUCTS))


def user_can_moderate(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_perm(MODERATE_REVIEWS))


def user_can_manage_product(user: Any, product: Product) -> bool:
    """Quality directors act on every product; product managers on those they manage."""
    if not user.is_authenticated:
        return False
    if user.has_perm(MANAGE_ALL_PRODUCTS):
        return True
    return bool(user.has_perm(MANAGE_OWN_PRODUCTS) and product.managers.filter(pk=user.pk).exists())


def user_add_role(user: Any, role: str) -> None:
    from django.contrib.auth.models import Group

    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    user.groups.add(Group.objects.get(name=role))
