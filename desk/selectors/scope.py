"""The desk's scope: the policy and day it works with, the products a user may read
(desk_readable_products: a company reader reads every product) and those, with their
categories and managers, the user may act on (products.access answers who manages what)."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import User
from core.phrases import LOW_RATINGS
from gate.configured import gate_policy_from_settings
from gate.models import LIVE_NOTICE_STATES, WithdrawalNotice
from gate.policy import GatePolicy, GateState
from products.access import products_managed_by, products_readable_by
from products.models import Category, Product
from products.translated import localized
from reviews.models import counted_q

# The notices a manager still acts on: open, or withdrawn and waiting for an improvement.


def desk_policy() -> GatePolicy:
    return gate_policy_from_settings()


def desk_today(policy: GatePolicy, now: datetime | None = None) -> date:
    return policy.day_of(now or timezone.now())


def desk_products(*, user: User | AnonymousUser) -> QuerySet[Product]:
    """The products the user may act on from the desk (products.access's one answer)."""
    return products_managed_by(user)


def desk_readable_products(*, user: User | AnonymousUser) -> QuerySet[Product]:
    """The products whose reviews and figures the user may read on the desk: those they
    act on, and every product for a company reader (products.access's one answer)."""
    return products_readable_by(user)


def desk_product_get(*, user: User | AnonymousUser, sku: str) -> Product:
    """A product the user may read (raises Product.DoesNotExist otherwise): the page of
    its reviews. Acting on it asks desk_products again (its view is manager_required)."""
    return desk_readable_products(user=user).select_related("category").get(sku=sku)


def desk_product_summaries(*, user: User | AnonymousUser) -> QuerySet[Product]:
    """The products the user reads, withdrawn then flagged first, each with its low-rated reviews
    of the current version still waiting for a reply."""
    # Counted reviews only: an employee's low rating is not a customer waiting for an answer.
    unanswered = counted_q("reviews__") & Q(
        reviews__rating__in=list(LOW_RATINGS),
        reviews__revision=F("revision"),
        reviews__brand_reply__isnull=True,
    )
    urgency = Case(
        When(gate_state=GateState.WITHDRAWN, then=Value(0)),
        When(gate_state=GateState.FLAGGED, then=Value(1)),
        default=Value(2),
    )
    return (
        desk_readable_products(user=user)
        .select_related("category")
        .annotate(unanswered_low=Count("reviews", filter=unanswered), urgency=urgency)
        .order_by("urgency", localized("name").asc(), "pk")
    )


def withdrawal_notice_for_product(*, product: Product) -> WithdrawalNotice | None:
    """The product's live notice, else its latest one."""
    return (
        WithdrawalNotice.objects.filter(product=product)
        .order_by(Case(When(state__in=LIVE_NOTICE_STATES, then=Value(0)), default=Value(1)), "-opened_on", "-id")
        .first()
    )


def desk_categories(*, user: User | AnonymousUser) -> QuerySet[Category]:
    return Category.objects.filter(products__in=desk_products(user=user)).distinct().order_by(localized("name").asc())


def desk_managers(*, user: User | AnonymousUser) -> QuerySet[User]:
    """People who manage at least one product in the user's scope (the manager filter)."""
    return (
        User.objects.filter(managed_products__in=desk_products(user=user))
        .distinct()
        .order_by("display_name", "username")
    )
