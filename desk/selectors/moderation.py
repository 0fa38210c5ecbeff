"""Reads of the moderation queue. Reviews of products the moderator manages are left to
another moderator (desk.services refuses them too)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Max, Min, Prefetch, Q, QuerySet

from accounts.models import User
from products.access import products_listing_manager
from products.models import Product
from reviews.bursts import burst_rule_from_settings, held_as_burst
from reviews.models import ReasonCode, Review, ReviewReport, ReviewStatus

# The held reviews listed under a burst for selection (the bulk actions reach them all,
# BULK_MAX at a time).
BURST_REVIEWS_SHOWN = 200


def moderation_pending(*, user: User) -> QuerySet[Review]:
    """Reviews waiting for a first decision, oldest first (held bursts: moderation_bursts)."""
    return (
        Review.objects.filter(status=ReviewStatus.PENDING)
        .exclude(held_as_burst())
        # Waiting for its author's email confirmation: no moderator's to release.
        .exclude(status_reason=ReasonCode.EMAIL_UNVERIFIED)
        .exclude(product__in=products_listing_manager(user))
        .exclude(author=user)  # nobody moderates their own review
        .select_related("product")
        .prefetch_related("photos")  # each review's photos in the queue, one query for the page
        .order_by("created_at", "id")
    )


def moderation_reported(*, user: User) -> QuerySet[Review]:
    """Published reviews with open reports, the longest-waiting report first, with those
    reports loaded."""
    open_reports = Q(reports__handled_at__isnull=True)
    return (
        Review.objects.filter(status=ReviewStatus.PUBLISHED)
        .exclude(product__in=products_listing_manager(user))
        .exclude(author=user)  # nobody moderates their own review
        .annotate(first_report=Min("reports__created_at", filter=open_reports))
        .filter(first_report__isnull=False)
        .select_related("product")
        .prefetch_related(
            "photos",  # each review's photos in the queue, one query for the page
            Prefetch(
                "reports",
                queryset=ReviewReport.objects.filter(handled_at__isnull=True).order_by("created_at", "id"),
                to_attr="open_reports",
            ),
        )
        .order_by("first_report", "id")
    )


def moderation_left_to_others(*, user: User) -> int:
    """Waiting reviews the user may not judge (they manage the product)."""
    waiting = Q(status=ReviewStatus.PENDING) | Q(
        status=ReviewStatus.PUBLISHED, reports__handled_at__isnull=True, reports__isnull=False
    )
    return Review.objects.filter(waiting, product__in=products_listing_manager(user)).distinct().count()


@dataclass(frozen=True)
class HeldBurst:
    """A product's reviews held as a burst: what a moderator decides them on."""

    product: Product
    count: int
    # (stars, reviews), 5 stars first; every number of stars listed, 0 included.
    stars: list[tuple[int, int]]
    first_written: datetime
    last_written: datetime
    # Written by accounts younger than REVIEW_BURST_NEW_ACCOUNT_DAYS at the time.
    from_new_accounts: int
    reviews: list[Review]


def moderation_bursts(*, user: User) -> list[HeldBurst]:
    """Held bursts by product, the longest-waiting first, each with its held reviews (the
    first BURST_REVIEWS_SHOWN): one aggregate query, then one query per burst."""
    age = burst_rule_from_settings().new_account_age
    rows = (
        Review.objects.filter(held_as_burst())
        .exclude(product__in=products_listing_manager(user))
        .order_by()
        .values("product_id")
        .annotate(
            count=Count("pk"),
            first_written=Min("created_at"),
            last_written=Max("created_at"),
            from_new_accounts=Count("pk", filter=Q(author__date_joined__gt=F("created_at") - age)),
            **{f"stars_{n}": Count("pk", filter=Q(rating=n)) for n in range(1, 6)},
        )
        .order_by("first_written", "product_id")
    )
    groups = list(rows)
    products = Product.objects.in_bulk([row["product_id"] for row in groups])
    return [
        HeldBurst(
            product=products[row["product_id"]],
            count=row["count"],
            stars=[(n, row[f"stars_{n}"]) for n in range(5, 0, -1)],
            first_written=row["first_written"],
            last_written=row["last_written"],
            from_new_accounts=row["from_new_accounts"],
            reviews=list(
                Review.objects.filter(held_as_burst(), product_id=row["product_id"])
                .select_related("product")
                .order_by("created_at", "pk")[:BURST_REVIEWS_SHOWN]
            ),
        )
        for row in groups
    ]


def moderation_burst_review_ids(*, product: Product) -> list[int]:
    """The ids a burst decision on ``product`` may select."""
    return list(Review.objects.filter(held_as_burst(), product=product).values_list("pk", flat=True))
