"""Reads behind the invitation figures (desk.invitation_figures defines them): the invited
order lines summed per product (and month) by the database, and, for the pages that do not
load the other key figures, the counted reviews summed the same way. Each is one query whose
rows grow with products and months, never with orders or reviews."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from accounts.models import User
from accounts.roles import user_reads_every_product
from desk.invitation_figures import InvitationTally
from desk.kpis import KpiRow, ReviewTally, kpi_rows, month_buckets, month_key
from desk.selectors.scope import desk_readable_products
from gate.policy import GatePolicy
from orders.models import Invitation, InvitationKind
from products.models import Product
from reviews.models import Review

INVITATION_GROUPS = ("product", "category", "month")

Bucket = tuple[date, date]


@dataclass(frozen=True)
class InvitationFacts:
    invitations: list[InvitationTally]
    reviews: list[ReviewTally]  # counted reviews: the verified share
    products: dict[int, tuple[str, str]]  # product id -> (SKU, name)
    categories: dict[int, tuple[int, str] | None]  # product id -> (category id, name)

    def groups_of(
        self, group: str, *, month_label: Callable[[date], str], no_category: str
    ) -> Callable[[int, date], list[tuple[str, str]]]:
        """The (key, label) group of a product's fact on a day: the product (its SKU and
        name), its category (its id, "none" without one) or the day's month (YYYY-MM)."""

        def groups_of(product_id: int, day: date) -> list[tuple[str, str]]:
            if group == "month":
                return [(month_key(day), month_label(day))]
            if group == "product":
                sku, name = self.products[product_id]
                return [(sku, name)]
            category = self.categories.get(product_id)
            return [(str(category[0]), category[1])] if category else [("none", no_category)]

        return groups_of


def period_buckets(first: date, last: date, *, by_month: bool) -> list[Bucket]:
    """The months of the period when ``by_month``, else the period as one bucket; each as
    (its first day, the day after its last)."""
    return month_buckets(first, last) if by_month else [(first, last + timedelta(days=1))]


def bucket_of(field: str, buckets: Sequence[Bucket], policy: GatePolicy) -> Any:
    """The index into ``buckets`` of the moment in ``field``, cut at the policy's own
    midnights (TIME_ZONE), as the other key figures cut their months."""
    if len(buckets) == 1:
        return Value(0, output_field=IntegerField())
    return Case(
        *(
            When(**{f"{field}__lt": policy.start_of_day(end)}, then=Value(index))
            for index, (_day, end) in enumerate(buckets[:-1])
        ),
        default=Value(len(buckets) - 1),
        output_field=IntegerField(),
    )


def _in_scope(rows: QuerySet[Any], product_field: str, user: User | AnonymousUser, product: Product | None) -> Any:
    if product is not None:
        return rows.filter(**{product_field: product.pk})
    if user_reads_every_product(user):
        # Every product is a quality director's: no condition to check row by row.
        return rows
    return rows.filter(**{f"{product_field}__in": desk_readable_products(user=user)})


def invitation_tallies(
    *,
    user: User | AnonymousUser,
    first: date,
    last: date,
    policy: GatePolicy,
    by_month: bool,
    product: Product | None = None,
) -> list[InvitationTally]:
    """The invitation figures of the user's products (or of ``product``, which the caller
    found in the user's scope), per product and bucket, for the invitations and reminders
    sent in ``first .. last`` (days in the policy's zone). One query over the lines listed
    in an invitation (the many-to-many table), grouped by product, kind and bucket."""
    buckets = period_buckets(first, last, by_month=by_month)
    listed = Invitation.lines.through.objects.filter(
        invitation__sent_at__gte=policy.start_of_day(first),
        invitation__sent_at__lt=policy.start_of_day(last + timedelta(days=1)),
    )
    listed = _in_scope(listed, "orderline__product_id", user, product)
    sums = (
        listed.annotate(bucket=bucket_of("invitation__sent_at", buckets, policy))
        .order_by()
        .values("orderline__product_id", "invitation__kind", "bucket")
        .annotate(
            lines=Count("pk"),
            opened=Count("pk", filter=Q(orderline__link_opened_at__isnull=False)),
            written=Count("pk", filter=Q(orderline__reviewed_at__isnull=False)),
        )
        .values_list("orderline__product_id", "invitation__kind", "bucket", "lines", "opened", "written")
    )
    found: dict[tuple[int, int], list[int]] = {}
    for product_id, kind, index, lines, opened, written in sums:
        figures = found.setdefault((product_id, index), [0, 0, 0, 0])
        if kind == InvitationKind.INVITATION:
            figures[0:3] = [lines, opened, written]
        else:
            figures[3] = lines
    return [
        InvitationTally(product_id, buckets[index][0], *figures)
        for (product_id, index), figures in sorted(found.items())
    ]


def counted_review_tallies(
    *,
    user: User | AnonymousUser,
    first: date,
    last: date,
    policy: GatePolicy,
    by_month: bool,
    product: Product | None = None,
) -> list[ReviewTally]:
    """The counted reviews published in ``first .. last`` per product and bucket, as the
    key figures sum them (desk.selectors.kpi_facts), without their reply figures."""
    buckets = period_buckets(first, last, by_month=by_month)
    published = Review.objects.counted().filter(
        published_at__gte=policy.start_of_day(first),
        published_at__lt=policy.start_of_day(last + timedelta(days=1)),
    )
    published = _in_scope(published, "product_id", user, product)
    sums = (
        published.annotate(bucket=bucket_of("published_at", buckets, policy))
        .order_by()
        .values("product_id", "bucket")
        .annotate(
            n=Count("pk"),
            rating_sum=Sum("rating"),
            high=Count("pk", filter=Q(rating__gte=4)),
            verified=Count("pk", filter=Q(verified_purchase=True)),
        )
        .values_list("product_id", "bucket", "n", "rating_sum", "high", "verified")
    )
    return [
        ReviewTally(product_id, buckets[index][0], n, rating_sum, high, verified)
        for product_id, index, n, rating_sum, high, verified in sums
    ]


def invitation_facts(
    *,
    user: User | AnonymousUser,
    first: date,
    last: date,
    group: str,
    policy: GatePolicy,
    product: Product | None = None,
) -> InvitationFacts:
    """What the invitation figures of the user's products (or of ``product``) need, grouped
    by ``group`` (one of INVITATION_GROUPS), in three queries whatever the number of
    products, orders or reviews: the invitation tallies, the counted reviews, the
    products' SKUs and names with their categories (not needed by month)."""
    if group not in INVITATION_GROUPS:
        raise ValueError(f"group must be one of {INVITATION_GROUPS}, got {group!r}")
    by_month = group == "month"
    scope = Product.objects.filter(pk=product.pk) if product is not None else desk_readable_products(user=user)
    invitations = invitation_tallies(
        user=user, first=first, last=last, policy=policy, by_month=by_month, product=product
    )
    reviews = counted_review_tallies(
        user=user, first=first, last=last, policy=policy, by_month=by_month, product=product
    )
    products: dict[int, tuple[str, str]] = {}
    categories: dict[int, tuple[int, str] | None] = {}
    if group != "month":
        named = scope.order_by().values_list("pk", "sku", "name", "category_id", "category__name")
        for pk, sku, name, category_id, category_name in named:
            products[pk] = (sku, name)
            categories[pk] = (category_id, category_name) if category_id is not None else None
    return InvitationFacts(invitations=invitations, reviews=reviews, products=products, categories=categories)


def invitation_rows(
    facts: InvitationFacts,
    *,
    group: str,
    first: date,
    last: date,
    month_label: Callable[[date], str],
    no_category: str,
    total_label: str,
) -> list[KpiRow]:
    """One row per group with invitations or counted reviews in the period, then the total
    (its key is desk.kpis.TOTAL_KEY). Months come in calendar order, the others by label."""
    return kpi_rows(
        first=first,
        last=last,
        reviews=facts.reviews,
        invitations=facts.invitations,
        events=(),
        groups_of=facts.groups_of(group, month_label=month_label, no_category=no_category),
        total_label=total_label,
        by_key=group == "month",
    )


__all__ = [
    "INVITATION_GROUPS",
    "InvitationFacts",
    "bucket_of",
    "counted_review_tallies",
    "invitation_facts",
    "invitation_rows",
    "invitation_tallies",
    "period_buckets",
]
