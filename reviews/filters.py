"""The shopper's filter of the reviews on a product page.

It reads query-string parameters that anyone can edit by hand, so a value that does not
validate is ignored (the list is shown unfiltered on that criterion) rather than answered
with an error page. The search (`q`) says why it was ignored: its form error is shown
beside the field (longer than SEARCH_MAX_LENGTH, or no letter or digit); a blank one is
simply no search.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.text_limits import GroupedNumbersCharField
from products.models import STARS, Product
from reviews.models import Review
from reviews.search import SEARCH_MAX_LENGTH, search_has_word
from reviews.selectors import DEFAULT_REVIEW_SORT, review_list_searched, review_list_sorted


# A callable, so the labels are translated per request, in the shopper's language.
def _stars_choices() -> list[tuple[str, str]]:
    return [(str(n), ngettext("%(n)d star", "%(n)d stars", n) % {"n": n}) for n in reversed(STARS)]


# Each choice says what it shows: the default shows every language, the others only one.
_ONLY_LANGUAGE = {"en": _("Only English"), "fr": _("Only French")}


def _language_choices() -> list[tuple[str, str]]:
    return [(code, str(_ONLY_LANGUAGE.get(code, name))) for code, name in settings.LANGUAGES]


def _validate_search_has_word(value: str) -> None:
    if value and not search_has_word(value):
        raise ValidationError(_("Type at least one letter or digit to search."), code="no_word")


class GroupedNumbersCharFilter(django_filters.CharFilter):
    field_class = GroupedNumbersCharField


class ProductReviewFilter(django_filters.FilterSet):
    """Searches, filters and sorts the published reviews of one product (pass `product=`)."""

    q = GroupedNumbersCharFilter(
        label=_("Search the reviews"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        validators=[_validate_search_has_word],
        widget=forms.SearchInput(attrs={"maxlength": SEARCH_MAX_LENGTH}),
        error_messages={"max_length": _("Search with at most %(limit_value)s characters (this has %(show_value)s).")},
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("recent", _("Most recent")),
            ("helpful", _("Most helpful")),
            ("highest", _("Highest rating")),
            ("lowest", _("Lowest rating")),
        ],
        empty_label=None,
        method="filter_sort",
    )
    stars = django_filters.ChoiceFilter(
        label=_("Stars"),
        field_name="rating",
        choices=_stars_choices,
        empty_label=_("All ratings"),
    )
    language = django_filters.ChoiceFilter(
        # Not just "Language": the page's language switcher already has that name.
        label=_("Written in"),
        field_name="language",
        choices=_language_choices,
        empty_label=_("All languages"),
    )
    verified = django_filters.BooleanFilter(
        label=_("Verified purchases only"),
        method="filter_verified",
        widget=forms.CheckboxInput,
    )
    version = django_filters.ChoiceFilter(
        label=_("Product version"),
        choices=[("current", _("Current version only"))],
        empty_label=_("All versions"),
        method="filter_version",
    )

    class Meta:
        model = Review
        fields: list[str] = []

    def __init__(self, data: Any = None, queryset: Any = None, *, product: Product, **kwargs: Any) -> None:
        self.product = product
        super().__init__(data, queryset, **kwargs)

    def filter_queryset(self, queryset: QuerySet[Review]) -> QuerySet[Review]:
        # The sort applies even when the parameter is absent or invalid, so the order is stable.
        sort = self.form.cleaned_data.get("sort") or DEFAULT_REVIEW_SORT
        queryset = super().filter_queryset(queryset)
        return review_list_sorted(queryset, sort)

    def filter_sort(self, queryset: QuerySet[Review], name: str, value: str) -> QuerySet[Review]:
        return queryset  # applied last, in filter_queryset

    def filter_search(self, queryset: QuerySet[Review], name: str, value: str) -> QuerySet[Review]:
        return review_list_searched(queryset, value)

    def filter_verified(self, queryset: QuerySet[Review], name: str, value: bool | None) -> QuerySet[Review]:
        return queryset.filter(verified_purchase=True) if value else queryset

    def filter_version(self, queryset: QuerySet[Review], name: str, value: str) -> QuerySet[Review]:
        return queryset.filter(revision=self.product.revision) if value == "current" else queryset
