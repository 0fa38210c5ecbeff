"""Reads of the moderation queue. Reviews of products the moderator manages are left to
another moderator (desk.services refuses them too)."""

from __future__ import annotations

from django.db.models import Min, Prefetch, Q, QuerySet

from accounts.models import User
from products.access import products_listing_manager
from reviews.models import Review, ReviewReport, ReviewStatus


def moderation_pending(*, user: User) -> QuerySet[Review]:
    """Reviews waiting for a first decision, oldest first."""
    return (
        Review.objects.filter(status=ReviewStatus.PENDING)
        .exclude(product__in=products_listing_manager(user))
        .select_related("product")
        .order_by("created_at", "id")
    )


def moderation_reported(*, user: User) -> QuerySet[Review]:
    """Published reviews with open reports, the longest-waiting report first, with those
    reports loaded."""
    open_reports = Q(reports__handled_at__isnull=True)
    return (
        Review.objects.filter(status=ReviewStatus.PUBLISHED)
        .exclude(product__in=products_listing_manager(user))
        .annotate(first_report=Min("reports__created_at", filter=open_reports))
        .filter(first_report__isnull=False)
        .select_related("product")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ReviewReport.objects.filter(handled_at__isnull=True).order_by("created_at", "id"),
                to_attr="open_reports",
            )
        )
        .order_by("first_report", "id")
    )


def moderation_left_to_others(*, user: User) -> int:
    """Waiting reviews the user may not judge (they manage the product)."""
    waiting = Q(status=ReviewStatus.PENDING) | Q(
        status=ReviewStatus.PUBLISHED, reports__handled_at__isnull=True, reports__isnull=False
    )
    return Review.objects.filter(waiting, product__in=products_listing_manager(user)).distinct().count()
