"""Filters of a product's published reviews (strict: a bad value is a 400)."""

from __future__ import annotations

import django_filters
from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.api_http import SafeIsoDateTimeFilter, StrictBooleanFilter, ordering_filter
from products.models import STARS
from reviews.models import Review


class ReviewFilter(django_filters.FilterSet):
    stars = django_filters.TypedMultipleChoiceFilter(
        field_name="rating",
        choices=[(star, str(star)) for star in STARS],
        coerce=int,
        help_text=_("Only these ratings; repeat for several (`stars=4&stars=5`)."),
    )
    verified = StrictBooleanFilter(field_name="verified_purchase", help_text=_("Verified purchases only (or not)."))
    language = django_filters.ChoiceFilter(choices=settings.LANGUAGES, help_text=_("Language of the review."))
    created_after = SafeIsoDateTimeFilter(
        field_name="created_at", lookup_expr="gte", help_text=_("Written at or after this ISO 8601 moment.")
    )
    created_before = SafeIsoDateTimeFilter(
        field_name="created_at", lookup_expr="lt", help_text=_("Written before this ISO 8601 moment.")
    )
    current_revision = StrictBooleanFilter(
        method="filter_current_revision",
        help_text=_("`true`: only reviews of the product's current revision (what its figures count)."),
    )
    ordering = ordering_filter(
        [("created_at", "created_at"), ("rating", "rating"), ("helpful_yes", "helpful")],
        help_text=_("`created_at`, `rating` or `helpful` (most helpful votes), `-` to reverse; default `-created_at`."),
    )

    class Meta:
        model = Review
        fields: list[str] = []

    def filter_current_revision(self, queryset: QuerySet[Review], name: str, value: bool | None) -> QuerySet[Review]:
        if value is None:
            return queryset
        current = Q(revision=F("product__revision"))
        return queryset.filter(current) if value else queryset.exclude(current)
