"""Who may act on which product: the one answer, for pages, the API and services alike.

Quality directors act on every product; product managers on the products they manage
(`Product.managers`); nobody else on any. Company readers read every product and act on
none. The role names and permissions themselves are accounts.roles'.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User
from accounts.roles import MANAGE_ALL_PRODUCTS, MANAGE_OWN_PRODUCTS, user_reads_every_product
from products.models import Product


def products_managed_by(user: User | AnonymousUser) -> QuerySet[Product]:
    """The products ``user`` may act on (none for a shopper or a signed-out visitor)."""
    if not user.is_authenticated:
        return Product.objects.none()
    if user.has_perm(MANAGE_ALL_PRODUCTS):
        return Product.objects.all()
    if user.has_perm(MANAGE_OWN_PRODUCTS):
        return products_listing_manager(user)
    return Product.objects.none()


def products_readable_by(user: User | AnonymousUser) -> QuerySet[Product]:
    """The products whose reviews, figures and topics ``user`` may read on the desk: every
    product for company readers and quality directors; a manager's own products; none for
    anyone else. Reading is not acting: company readers act on none (products_managed_by)."""
    if user_reads_every_product(user):
        return Product.objects.all()
    return products_managed_by(user)


def products_listing_manager(user: User) -> QuerySet[Product]:
    """The products that name ``user`` among their managers, whatever the user's role: those
    whose reviews they may not judge as a moderator (a conflict of interest)."""
    return Product.objects.filter(managers=user)


def user_is_listed_manager(user: User, product: Product) -> bool:
    """Whether ``product`` names ``user`` among its managers (see :func:`products_listing_manager`)."""
    return products_listing_manager(user).filter(pk=product.pk).exists()


def user_can_manage_product(user: User | AnonymousUser, product: Product) -> bool:
    """Whether ``user`` may act on ``product``: the same rule as :func:`products_managed_by`,
    asked of one product (a quality director's answer needs no query)."""
    if user.is_authenticated and user.has_perm(MANAGE_ALL_PRODUCTS):
        return True
    return products_managed_by(user).filter(pk=product.pk).exists()
