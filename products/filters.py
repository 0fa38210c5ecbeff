"""The shopper's filter of the catalogue.

It reads query-string parameters that anyone can edit by hand, so a value that does not
validate is ignored (the list is shown unfiltered on that criterion) rather than answered
with an error page. (The reviews on a product page: reviews.filters.)
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from products.models import Category, Product
from products.translated import contains_in_any_language, localized


def catalogue_sort(key: str) -> tuple[Any, ...]:
    """The order of a sort choice; names in the shopper's language (products.translated),
    so built per request."""
    name = localized("name").asc()
    sorts: dict[str, tuple[Any, ...]] = {
        "name": (name, "id"),
        # Unrated products last, whatever the direction.
        "rating": (F("current_average").desc(nulls_last=True), "-current_count", name, "id"),
        "reviews": ("-current_count", name, "id"),
        "newest": ("-created_at", "-id"),
    }
    return sorts.get(key, sorts["name"])


class _CategoriesByName(django_filters.ModelChoiceFilter):
    def get_queryset(self, request: Any) -> QuerySet[Category]:
        return Category.objects.order_by(localized("name").asc())


# Callables, so the labels are translated per request, in the shopper's language.
def _min_rating_choices() -> list[tuple[str, str]]:
    return [(str(n), ngettext("%(n)d star & up", "%(n)d stars & up", n) % {"n": n}) for n in (4, 3, 2, 1)]


class ProductCatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Product name, brand or SKU")}),
    )
    category = _CategoriesByName(
        label=_("Category"),
        to_field_name="slug",
        empty_label=_("All categories"),
    )
    min_rating = django_filters.ChoiceFilter(
        label=_("Minimum rating"),
        choices=_min_rating_choices,
        empty_label=_("Any rating"),
        method="filter_min_rating",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("name", _("Name")),
            ("rating", _("Highest rated")),
            ("reviews", _("Most reviews")),
            ("newest", _("Newest")),
        ],
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        term = value.strip()[:100]
        if not term:
            return queryset
        return queryset.filter(contains_in_any_language("name", term) | Q(brand__icontains=term) | Q(sku__iexact=term))

    def filter_min_rating(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        # The stored average is of the current revision, as on the product page.
        return queryset.filter(current_average__gte=int(value))

    def filter_sort(self, queryset: QuerySet[Product], name: str, value: str) -> QuerySet[Product]:
        return queryset.order_by(*catalogue_sort(value))
