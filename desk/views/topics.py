"""The desk's topic page: over the counted reviews published in a period, per month, the share
of the tagged reviews speaking of each topic and their average rating (topics.figures), as a
chart drawn on the server and as a table; for the whole catalogue or one category.

Company readers and quality directors read every product's figures; a product manager those
of the products they manage (products.access.products_readable_by); anyone else gets 403.
Each topic links to the desk's review lists filtered by that topic, for the products that
speak of it most in the period. The period and category are parsed as the topic figures'
API parses them (core.period_query); a field left empty is its default, not an error.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.roles import user_reads_every_product
from core.local_formats import percent_text
from core.period_query import local_midnight
from desk.topic_chart import TopicChartText, topic_chart_svgs
from desk.views.common import can_manage, number_text, render_desk, signed_in
from products.access import products_readable_by
from products.models import Category, Product
from products.translated import localized
from topics.api.filters import TopicFigureQuery
from topics.figures import TOPIC_KEYS, TopicMonth, TopicTally, period_months, topic_months
from topics.models import TopicKey
from topics.selectors import month_bounds, topic_tallies

# The page as first opened: the twelve months through this one.
DEFAULT_MONTHS = 12
# Products linked under each topic: those with the most reviews on it in the period.
TOP_PRODUCTS = 3


def user_reads_topics(user: User | AnonymousUser) -> bool:
    """Company readers, quality directors and product managers."""
    return user_reads_every_product(user) or can_manage(user)


def default_start(today: date) -> date:
    """The first day of the month DEFAULT_MONTHS - 1 months before today's."""
    months = today.year * 12 + today.month - 1 - (DEFAULT_MONTHS - 1)
    return date(months // 12, months % 12 + 1, 1)


def _query(request: HttpRequest, today: date) -> TopicFigureQuery:
    data = {name: value for name in ("from", "to", "category") if (value := request.GET.get(name, ""))}
    if "from" not in data and "to" not in data:
        data["from"] = default_start(today).isoformat()
    return TopicFigureQuery(data, today=today)


def _share_text(value: float | Decimal) -> str:
    """A share without trailing zeros, as the chart writes its figures ("50%", "16.7%")."""
    return percent_text(Decimal(str(value)).normalize())


def _chart_text() -> TopicChartText:
    def bar(month: TopicMonth, topic: str) -> str:
        counts = month.counts
        share, average = counts.share(topic), counts.average(topic)
        words = {
            "month": date_format(month.start, "YEAR_MONTH_FORMAT"),
            "reviews": counts.reviews[topic],
            "tagged": counts.tagged,
        }
        if share is None:
            return _("%(month)s: no tagged review.") % words
        words["share"] = _share_text(share)
        if average is None:
            return _("%(month)s: %(share)s (%(reviews)s of %(tagged)s tagged reviews).") % words
        words["average"] = number_text(average)
        return _("%(month)s: %(share)s (%(reviews)s of %(tagged)s tagged reviews), average %(average)s stars.") % words

    return TopicChartText(
        title=lambda label: _("%(topic)s: share of the tagged reviews per month") % {"topic": label},
        bar=bar,
        # Associated Press abbreviations and the full year ("Sept. 2026", "juil. 2026"): "M y"
        # read like a day ("Mar 26"), and Django's "M" makes June and July
        # both "jui" in French.
        month=lambda month: date_format(month.start, "N Y"),
        stars=lambda average: f"{number_text(average.quantize(Decimal('0.1')))}★",
        percent=_share_text,
        no_data=_("No review speaks of this topic in this period"),
    )


def _top_products(
    product_ids: QuerySet[Any, int] | None, start: date, end: date, category_id: int | None
) -> dict[str, list[tuple[Product, int]]]:
    """Per topic, the products with the most reviews on it in the period (most first, then
    by id): the review lists the page links to. Three queries."""
    tallies, _tagged = topic_tallies(
        product_ids=product_ids,
        bounds=[local_midnight(start), local_midnight(end)],
        category_id=category_id,
        by_product=True,
    )
    best: dict[str, list[TopicTally]] = {}
    for tally in sorted(tallies, key=lambda tally: (-tally.reviews, tally.product_id or 0)):
        if len(found := best.setdefault(tally.topic, [])) < TOP_PRODUCTS:
            found.append(tally)
    products = Product.objects.in_bulk({tally.product_id for found in best.values() for tally in found})
    tops: dict[str, list[tuple[Product, int]]] = {}
    for key, found in best.items():
        # A product deleted between the two queries is left out.
        tops[key] = [(products[t.product_id], t.reviews) for t in found if t.product_id in products]
    return tops


def _readable_ids(user: User | AnonymousUser) -> QuerySet[Any, int] | None:
    # Every product: no condition at all (the database need not check one per review).
    if user_reads_every_product(user):
        return None
    return products_readable_by(user).values_list("pk", flat=True)


def _errors(query: TopicFigureQuery) -> list[tuple[str, str, str]]:
    """(the field's id, its label, a message) for each error, as the form shows them."""
    fields = {
        "from": ("topics-from", _("From")),
        "to": ("topics-to", _("To")),
        "category": ("topics-category", _("Category")),
    }
    return [
        (*fields.get(name, ("topics-from", name)), message)
        for name, messages in query.field_errors().items()
        for message in messages
    ]


@require_GET
def _topic_figures(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    query = _query(request, today)
    categories = list(Category.objects.order_by(localized("name").asc(), "pk"))
    if not query.is_valid():
        context = {"errors": _errors(query), "categories": categories, "months": None}
        return render_desk(request, "desk/topics.html", context, status=400)
    first, last, category_id = query.cleaned_data["first"], query.cleaned_data["last"], query.cleaned_data["category"]
    product_ids = _readable_ids(request.user)
    months = period_months(first, last)
    topics, tagged = topic_tallies(product_ids=product_ids, bounds=month_bounds(months), category_id=category_id)
    rows = topic_months(months=months, topics=topics, tagged=tagged)
    labels = {key: str(TopicKey(key).label) for key in TOPIC_KEYS}
    tops = _top_products(product_ids, first, last + timedelta(days=1), category_id)
    links = {
        key: [
            (product, count, reverse("desk:product_reviews", args=[product.sku]) + "?" + urlencode({"topic": key}))
            for product, count in tops.get(key, [])
        ]
        for key in TOPIC_KEYS
    }
    return render_desk(
        request,
        "desk/topics.html",
        {
            "months": rows,
            "topics": [(key, labels[key], links[key]) for key in TOPIC_KEYS],
            "charts": topic_chart_svgs(rows, labels=labels, text=_chart_text()),
            "first": first,
            "last": last,
            "category": category_id,
            "categories": categories,
            "every_product": product_ids is None,
        },
    )


topic_figures = signed_in(_topic_figures, user_reads_topics)
