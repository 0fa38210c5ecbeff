"""The catalogue, the product page and the transparency page of the shopper's site."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from care.public import nps_signed, product_nps, service_figures_by_month
from core.page_cache import PageStamp, page_cache_not_stored, page_cached
from core.strict_numbers import ascii_page_number
from gate.public import gate_policy_public, product_gate_figures, product_public_gate_status
from products.filters import ProductCatalogueFilter
from products.models import Product
from products.page_version import product_page_version
from products.selectors import category_list, product_get_public, product_list_public, product_rating_summary
from reviews.bursts import BASELINE_DAYS, burst_rule_from_settings
from reviews.filters import ProductReviewFilter
from reviews.models import (
    BODY_MAX_LENGTH,
    BODY_MIN_LENGTH,
    REASON_DESCRIPTIONS,
    REPORT_REASONS,
    STORED_BODY_MAX_LENGTH,
    STORED_TITLE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    ReasonCode,
    Review,
)
from reviews.selectors import (
    review_highlights,
    review_list_public,
    review_moderation_figures,
    review_own_for_product,
    review_reported_by_user,
    review_search_marking,
    review_votes_by_user,
)
from storefront.structured_data import product_structured_data

PAGE_SIZE = 24
REVIEWS_PAGE_SIZE = 10

# What keeps JSON inside <script> from ending the element or opening a comment (the same
# escapes as Django's json_script, which only writes type="application/json").
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data: dict[str, Any]) -> SafeString:
    """JSON for a `<script type="application/ld+json">` block: user text cannot break out."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308  # nosec B308, B703  # every <, > and & is escaped above


# The shopper's pages only read: any other method is 405 (with Allow), never a page.
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return product_list(request)


@require_safe
def product_list(request: HttpRequest) -> HttpResponse:
    filterset = ProductCatalogueFilter(request.GET, queryset=product_list_public())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(ascii_page_number(request.GET.get("page")))
    return render(
        request,
        "products/list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "products": page.object_list,
            "categories": category_list(),
            "is_filtered": any(request.GET.get(key) for key in ("q", "category", "min_rating")),
        },
    )


def _public_nps(product: Product) -> dict[str, Any] | None:
    """The product's Net Promoter Score for its page when NPS_PUBLIC says so (one query),
    else None; None with fewer than PUBLIC_FIGURES_MIN_COUNT answers too, so the score never
    gives away one customer's answer (nor, compared before and after, a new one's)."""
    if not settings.NPS_PUBLIC:
        return None
    counts = product_nps(product)
    if counts.score is None or counts.answers < settings.PUBLIC_FIGURES_MIN_COUNT:
        return None
    return {"score": nps_signed(counts.score), "answers": counts.answers}


# The review filters that narrow the list (the sort only orders it).
REVIEW_FILTER_KEYS = ("q", "stars", "language", "verified", "version")


def _reviews_marked(reviews: list[Review], search: str, *, filterset: ProductReviewFilter) -> None:
    """Gives each review its title and text with the words found marked (escaped HTML)."""
    marking = review_search_marking(filterset.queryset, search)
    for review in reviews:
        review.marked_title = marking.marked(review.title, language=review.language)  # type: ignore[attr-defined]
        review.marked_body = marking.marked(review.body, language=review.language)  # type: ignore[attr-defined]


def _product_page_stamp(request: HttpRequest, sku: str) -> PageStamp | None:
    """The product page's cache key and Last-Modified: its page version (one query)."""
    version = product_page_version(sku=sku)
    return None if version is None else PageStamp(key=version.key, changed_at=version.changed_at)


# The query parameters the product page reads: any other and it is rendered, not cached.
PRODUCT_PAGE_QUERY_KEYS = ("page", "sort", *REVIEW_FILTER_KEYS)


def _canonical_review_page(request: HttpRequest, *, filterset: ProductReviewFilter, page_number: int) -> bool:
    """Whether the address is the one way of asking for this list: valid filters written as
    they are read, each once, no search (its words are anyone's), the page number of the
    page shown. Only such answers are stored in the page cache (core.page_cache)."""
    if "q" in request.GET or not filterset.is_valid():
        return False
    if any(len(values) > 1 or values[0] != values[0].strip() for _key, values in request.GET.lists()):
        return False
    requested = request.GET.get("page")
    return requested is None or requested == str(page_number)


@require_safe
@page_cached(stamp=_product_page_stamp, query_keys=PRODUCT_PAGE_QUERY_KEYS)
def product_detail(request: HttpRequest, sku: str) -> HttpResponse:
    try:
        product = product_get_public(sku=sku)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    filterset = ProductReviewFilter(request.GET, queryset=review_list_public(product=product), product=product)
    page = Paginator(filterset.qs, REVIEWS_PAGE_SIZE).get_page(ascii_page_number(request.GET.get("page")))
    reviews = list(page.object_list)
    if not _canonical_review_page(request, filterset=filterset, page_number=page.number):
        page_cache_not_stored(request)
    review_ids = [review.pk for review in reviews]
    votes = review_votes_by_user(user=request.user, review_ids=review_ids)
    reported = review_reported_by_user(user=request.user, review_ids=review_ids)
    for review in reviews:
        # Attributes for the template, so it needs no lookups and makes no queries.
        review.about_previous_version = review.revision < product.revision  # type: ignore[attr-defined]
        review.my_vote = votes.get(review.pk)  # type: ignore[attr-defined]
        review.reported_by_me = review.pk in reported  # type: ignore[attr-defined]
        review.is_mine = request.user.is_authenticated and review.author_id == request.user.pk  # type: ignore[attr-defined]
    # The search that was applied: a refused one (its error is shown) searched nothing.
    search = filterset.form.cleaned_data.get("q") or ""
    if search and reviews:
        _reviews_marked(reviews, search, filterset=filterset)
    is_filtered = any(filterset.form.cleaned_data.get(key) for key in REVIEW_FILTER_KEYS)
    # Highlights open the unfiltered list's first page: a search or a filter asks for something else.
    highlights = review_highlights(product=product) if not is_filtered and page.number == 1 else None
    product_url = reverse("product_detail", kwargs={"sku": product.sku})
    structured_data = product_structured_data(product, url=f"{settings.SITE_URL}{product_url}")
    return render(
        request,
        "products/detail.html",
        {
            "product": product,
            "summary": product_rating_summary(product),
            "nps": _public_nps(product),
            "gate": product_public_gate_status(product),
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "reviews": reviews,
            "search": search,
            "highlights": highlights,
            "highlights_sides": [("positive", highlights.positive), ("critical", highlights.critical)]
            if highlights
            else [],
            "own_review": review_own_for_product(user=request.user, product=product),
            "structured_data": json_ld(structured_data),
            "canonical_url": f"{settings.SITE_URL}{product_url}",
            "is_filtered": is_filtered,
            "is_filtered_beyond_search": any(
                filterset.form.cleaned_data.get(key) for key in REVIEW_FILTER_KEYS if key != "q"
            ),
        },
    )


@require_safe
def about_reviews(request: HttpRequest) -> HttpResponse:
    gate_figures = product_gate_figures()
    return render(
        request,
        "about/reviews.html",
        {
            "policy": gate_policy_public(),
            "gate_figures": gate_figures,
            "moderation": review_moderation_figures(first_day=gate_figures.first_day),
            # Customer care's service figures, month by month, unless CARE_FIGURES_PUBLIC is off.
            "care_months": service_figures_by_month() if settings.CARE_FIGURES_PUBLIC else None,
            "care_hours": settings.CARE_FIRST_CONTACT_HOURS,
            "public_min_count": settings.PUBLIC_FIGURES_MIN_COUNT,
            "nps_public": settings.NPS_PUBLIC,
            "reasons": [(code.value, code.label, REASON_DESCRIPTIONS.get(code, "")) for code in REPORT_REASONS],
            "author_deleted": ReasonCode.AUTHOR_DELETED,
            "premoderation": settings.REVIEWS_PREMODERATION,
            "burst": burst_rule_from_settings(),
            "burst_baseline_days": BASELINE_DAYS,
            "title_max": TITLE_MAX_LENGTH,
            "body_min": BODY_MIN_LENGTH,
            "body_max": BODY_MAX_LENGTH,
            "stored_title_max": STORED_TITLE_MAX_LENGTH,
            "stored_body_max": STORED_BODY_MAX_LENGTH,
        },
    )
