"""The desk's key figures over a period, per category, manager or month: as a page and as
a CSV download (recorded in the audit trail like any action)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.requests import acting_user
from accounts.roles import user_is_quality_director
from desk import selectors, services
from desk.forms import KpiForm
from desk.kpis import REPLY_TARGET_HOURS, KpiRow, category_key, kpi_csv, kpi_rows, manager_key, month_key
from desk.selectors import KpiFacts
from desk.views.common import manager_required, render_desk
from gate.policy import GatePolicy

# The page as first opened: the last 90 days, per category.
DEFAULT_QUERY = {"group": "category", "period": "90"}

GroupsOf = Callable[[int, date], list[tuple[str, str]]]


def kpi_groups_of(facts: KpiFacts, group: str) -> GroupsOf:
    """Names the (key, label) groups of a product's fact on a day: its month, each of its
    managers, or its category. The keys are those of the facts' reply medians
    (desk.kpis.category_key and co)."""
    no_category = _("(no category)")
    no_manager = _("(no manager)")

    def groups_of(product_id: int, day: date) -> list[tuple[str, str]]:
        if group == "month":
            return [(month_key(day), date_format(day, "YEAR_MONTH_FORMAT"))]
        if group == "manager":
            people = facts.managers.get(product_id) or []
            return [(manager_key(pk), name) for pk, name in people] or [(manager_key(None), no_manager)]
        category = facts.categories.get(product_id)
        return [(category_key(category[0]), category[1])] if category else [(category_key(None), no_category)]

    return groups_of


def _kpi_rows(request: HttpRequest, form: KpiForm, policy: GatePolicy) -> list[KpiRow]:
    data = form.cleaned_data
    group = data["group"]
    user = acting_user(request)
    facts = selectors.kpi_facts(user=user, first=data["first"], last=data["last"], group=group, policy=policy)
    return kpi_rows(
        first=data["first"],
        last=data["last"],
        reviews=facts.reviews,
        replies=facts.replies,
        events=facts.events,
        groups_of=kpi_groups_of(facts, group),
        total_label=_("All products") if user_is_quality_director(user) else _("All my products"),
    )


def _kpi_form(request: HttpRequest, policy: GatePolicy) -> KpiForm:
    return KpiForm(request.GET or DEFAULT_QUERY, today=selectors.desk_today(policy))


@manager_required
@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    policy = selectors.desk_policy()
    form = _kpi_form(request, policy)
    if not form.is_valid():
        return render_desk(request, "desk/kpis.html", {"form": form, "rows": None}, status=400)
    rows = _kpi_rows(request, form, policy)
    return render_desk(
        request,
        "desk/kpis.html",
        {
            "form": form,
            "rows": rows,
            "first": form.cleaned_data["first"],
            "last": form.cleaned_data["last"],
            "group": form.cleaned_data["group"],
            "target": REPLY_TARGET_HOURS,
            "csv_query": request.GET.urlencode(),
        },
    )


@manager_required
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
    rows = _kpi_rows(request, form, policy)
    first, last, group = form.cleaned_data["first"], form.cleaned_data["last"], form.cleaned_data["group"]
    services.kpis_export_record(
        by=acting_user(request),
        parameters={"group": group, "first": first.isoformat(), "last": last.isoformat()},
        rows=len(rows),
    )
    response = HttpResponse(kpi_csv(rows, period=(first, last), group_by=group), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reviewgate-kpis-{group}-{first}-{last}.csv"'
    return response
