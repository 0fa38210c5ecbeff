"""Roles are Django groups with permissions, created by a data migration.

Object-level rights (a product manager acts only on the products they manage) are answered
in one place, products.access, so pages, the API and services ask the same question the
same way.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group

from accounts.models import User

SHOPPER = "shopper"
MODERATOR = "moderator"
PRODUCT_MANAGER = "product_manager"
QUALITY_DIRECTOR = "quality_director"
# Follows up unhappy reviewers (the care app): takes, assigns, writes to customers, closes.
CUSTOMER_CARE = "customer_care"
# Anyone in the company: reads every product's reviews, figures and topics, without personal
# data, and acts on nothing (docs/topics.md).
COMPANY_READER = "company_reader"
ROLES = (SHOPPER, MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, CUSTOMER_CARE, COMPANY_READER)

MANAGE_ALL_PRODUCTS = "products.manage_all_products"
MANAGE_OWN_PRODUCTS = "products.manage_own_products"
MODERATE_REVIEWS = "reviews.moderate_review"
HANDLE_CARE_CASES = "care.handle_case"
READ_EVERY_PRODUCT = "products.read_every_product"


def user_is_staff_member(user: User | None) -> bool:
    """Staff: Django's ``is_staff`` (or a superuser), or any role other than shopper
    (moderator, product manager, quality director, customer care). Their reviews are employee reviews
    (reviews.services.user_is_employee)."""
    if user is None:
        return False
    return bool(user.is_staff or user.is_superuser or user.groups.exclude(name=SHOPPER).exists())


def user_is_quality_director(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(MANAGE_ALL_PRODUCTS))


def user_can_moderate(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(MODERATE_REVIEWS))


def user_handles_care_cases(user: User | AnonymousUser) -> bool:
    """Customer care staff: they take, assign, write and close cases (care.services)."""
    return bool(user.is_authenticated and user.has_perm(HANDLE_CARE_CASES))


def user_reads_every_product(user: User | AnonymousUser) -> bool:
    """Company readers (and quality directors, who act on every product): they read every
    product's reviews, figures and topics (products.access.products_readable_by)."""
    return bool(user.is_authenticated and (user.has_perm(READ_EVERY_PRODUCT) or user.has_perm(MANAGE_ALL_PRODUCTS)))


def user_add_role(user: User, role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    user.groups.add(Group.objects.get(name=role))
