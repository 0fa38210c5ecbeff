"""The desk's key figures over a period, per category, product, manager or month: as a page
and as a CSV download (recorded in the audit trail like any action). The invitation figures
(desk.invitation_figures) count in the same rows, in a table and columns of their own; so
do the NPS (beside the CSAT) and customer care's figures (care.figures), whose "due" cases
depend on the moment of the request (``timezone.now()``).

Grouped by product, a quality director's rows are every product with a review, an event or
an invitation in the period: thousands in a large shop. The page therefore shows its group
rows KPI_ROWS_PER_PAGE at a time (``?page=``, ASCII digits; a page past the end shows the
last), with the "All" row, computed over every group, on every page; both tables show the
same page of rows. The CSV is not paginated: it lists every row. The figures are computed
in full either way (their queries do not grow with the products, desk.selectors.kpi_facts);
only the rendering is cut. The other groupings rarely pass one page (at most 37 months in
three years) but are paginated the same way.

Company readers read the figures of every product, as quality directors do
(reader_required); managers are named by their public display names only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.requests import acting_user
from accounts.roles import user_reads_every_product
from core.strict_numbers import ascii_page_number
from desk import selectors, services
from desk.forms import GROUPINGS, KpiForm
from desk.kpis import (
    REPLY_TARGET_HOURS,
    KpiRow,
    category_key,
    kpi_csv,
    kpi_rows,
    manager_key,
    month_key,
    product_key,
)
from desk.selectors import KpiFacts
from desk.selectors.invitations import invitation_tallies
from desk.selectors.kpis import care_kpi_facts
from desk.views.common import reader_required, render_desk
from gate.policy import GatePolicy

# The page as first opened: the last 90 days, per category.
DEFAULT_QUERY = {"group": "category", "period": "90"}
# Group rows on one page (the "All" row comes on top of them): a screenful or two to read,
# and a page that renders fast even for a quality director grouping thousands of products.
KPI_ROWS_PER_PAGE = 100

GroupsOf = Callable[[int, date], list[tuple[str, str]]]


def product_label(sku: str, name: str) -> str:
    """A product's row label: its name, then its SKU (two products may share a name)."""
    return _("%(name)s (%(sku)s)") % {"name": name, "sku": sku}


def kpi_groups_of(facts: KpiFacts, group: str) -> GroupsOf:
    """Names the (key, label) groups of a product's fact on a day: its month, each of its
    managers, the product itself, or its category. The keys are those of the facts' reply
    medians (desk.kpis.category_key and co)."""
    no_category = _("(no category)")
    no_manager = _("(no manager)")

    def groups_of(product_id: int, day: date) -> list[tuple[str, str]]:
        if group == "month":
            return [(month_key(day), date_format(day, "YEAR_MONTH_FORMAT"))]
        if group == "manager":
            people = facts.managers.get(product_id) or []
            return [(manager_key(pk), name) for pk, name in people] or [(manager_key(None), no_manager)]
        if group == "product":
            named = facts.products.get(product_id)
            # Unnamed only if deleted between the queries: then it counts in the total alone.
            return [(product_key(product_id), product_label(*named))] if named else []
        category = facts.categories.get(product_id)
        return [(category_key(category[0]), category[1])] if category else [(category_key(None), no_category)]

    return groups_of


def _kpi_rows(request: HttpRequest, form: KpiForm, policy: GatePolicy, *, now: datetime) -> list[KpiRow]:
    data = form.cleaned_data
    group = data["group"]
    user = acting_user(request)
    facts = selectors.kpi_facts(user=user, first=data["first"], last=data["last"], group=group, policy=policy)
    invitations = invitation_tallies(
        user=user, first=data["first"], last=data["last"], policy=policy, by_month=group == "month"
    )
    care = care_kpi_facts(user=user, first=data["first"], last=data["last"], policy=policy, by_month=group == "month")
    return kpi_rows(
        first=data["first"],
        last=data["last"],
        reviews=facts.reviews,
        replies=facts.replies,
        events=facts.events,
        invitations=invitations,
        nps=care.nps,
        cases=care.cases,
        now=now,
        groups_of=kpi_groups_of(facts, group),
        total_label=_("All products") if user_reads_every_product(user) else _("All my products"),
        by_key=group == "month",  # months in calendar order
    )


def _kpi_form(request: HttpRequest, policy: GatePolicy) -> KpiForm:
    return KpiForm(request.GET or DEFAULT_QUERY, today=selectors.desk_today(policy))


def kpi_page(rows: list[KpiRow], number: str | None) -> tuple[Page[KpiRow], list[KpiRow]]:
    """The page ``number`` of the group rows, and the rows to show: that page's, then "All"."""
    *groups, total = rows
    page = Paginator(groups, KPI_ROWS_PER_PAGE).get_page(ascii_page_number(number))
    return page, [*page.object_list, total]


@reader_required
@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    policy = selectors.desk_policy()
    form = _kpi_form(request, policy)
    if not form.is_valid():
        return render_desk(request, "desk/kpis.html", {"form": form, "rows": None}, status=400)
    page, rows = kpi_page(_kpi_rows(request, form, policy, now=timezone.now()), request.GET.get("page"))
    csv_query = request.GET.copy()
    csv_query.pop("page", None)  # the CSV lists every row
    return render_desk(
        request,
        "desk/kpis.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "first": form.cleaned_data["first"],
            "last": form.cleaned_data["last"],
            "group": form.cleaned_data["group"],
            "group_heading": dict(GROUPINGS)[form.cleaned_data["group"]],
            "target": REPLY_TARGET_HOURS,
            "care_target": settings.CARE_FIRST_CONTACT_HOURS,
            "csv_query": csv_query.urlencode(),
        },
    )


@reader_required
@require_GET
def kpis_csv(request: HttpRequest) -> HttpResponse:
    policy = selectors.desk_policy()
    form = _kpi_form(request, policy)
    if not form.is_valid():
        return HttpResponse(
            "; ".join(str(error) for errors in form.errors.values() for error in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = _kpi_rows(request, form, policy, now=timezone.now())
    first, last, group = form.cleaned_data["first"], form.cleaned_data["last"], form.cleaned_data["group"]
    services.kpis_export_record(
        by=acting_user(request),
        parameters={"group": group, "first": first.isoformat(), "last": last.isoformat()},
        rows=len(rows),
    )
    response = HttpResponse(kpi_csv(rows, period=(first, last), group_by=group), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reviewgate-kpis-{group}-{first}-{last}.csv"'
    return response
