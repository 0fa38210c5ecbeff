"""The product manager's desk: server-rendered pages over desk.selectors and desk.services.

Access, the same on every page and action: a visitor who is not signed in is sent to the
sign-in page; a signed-in user without a desk role gets 403; a notice, product or review
of a product the user may not act on answers 404 (its existence is not revealed). Every
write goes through desk.services, which checks again and writes the audit row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_pattern
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import MANAGE_ALL_PRODUCTS, MANAGE_OWN_PRODUCTS, user_can_moderate, user_is_quality_director
from core.errors import DomainError
from core.http import safe_next_url
from desk import selectors, services
from desk.charts import ChartMarker, ChartText, rating_chart_svg, series_summary
from desk.forms import (
    AssignForm,
    CommentForm,
    ImprovementForm,
    KpiForm,
    ModerationForm,
    NoticeFilterForm,
    ReplyForm,
)
from desk.kpis import REPLY_TARGET_HOURS, category_key, kpi_csv, kpi_rows, manager_key, month_key
from gate.models import WithdrawalNotice
from gate.policy import EventKind, GatePolicy
from products.models import STARS, Product
from reviews.forms import form_add_domain_error
from reviews.models import REPORT_REASONS, Review

NOTICES_PAGE_SIZE = 25
REVIEWS_PAGE_SIZE = 10
QUEUE_PAGE_SIZE = 50


# --- Access ------------------------------------------------------------------------------


def can_manage(user: Any) -> bool:
    return bool(user.is_authenticated and (user.has_perm(MANAGE_OWN_PRODUCTS) or user.has_perm(MANAGE_ALL_PRODUCTS)))


def _signed_in(view: Callable[..., HttpResponse], allowed: Callable[[Any], bool]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not allowed(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Product managers and quality directors."""
    return _signed_in(view, can_manage)


def moderator_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return _signed_in(view, user_can_moderate)


def desk_title(user: Any) -> str:
    """The desk's name as this user's roles make it: the widest role they hold names it.

    Managing products outranks moderating (a product manager who also moderates still
    mostly works on their products, and the navigation lists the queue anyway)."""
    if user_is_quality_director(user):
        return _("Quality director's desk")
    if can_manage(user):
        return _("Product manager's desk")
    if user_can_moderate(user):
        return _("Moderation desk")
    return _("Desk")


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context.setdefault("desk_can_manage", can_manage(request.user))
    context.setdefault("desk_can_moderate", user_can_moderate(request.user))
    # A quality director acts on every product: "My products" would be wrong for them.
    context.setdefault("desk_all_products", user_is_quality_director(request.user))
    context.setdefault("desk_title", desk_title(request.user))
    return render(request, template, context, status=status)


def _refused(request: HttpRequest, error: DomainError, *, back_url: str) -> HttpResponse:
    return _render(request, "desk/refused.html", {"message": error.message, "back_url": back_url}, error.http_status)


def _notice_or_404(request: HttpRequest, pk: int) -> WithdrawalNotice:
    try:
        return selectors.desk_notice_get(user=request.user, pk=pk)
    except WithdrawalNotice.DoesNotExist as exc:
        raise Http404 from exc


def _number(value: Any) -> str:
    """A number as the active language writes it, without trailing zeros (3, 2.75 / 2,75)."""
    decimal = Decimal(str(value))
    if decimal == decimal.to_integral_value():
        return str(int(decimal))
    return number_format(decimal.normalize(), use_l10n=True)


# --- Notices -----------------------------------------------------------------------------


def _desk_user(user: Any) -> bool:
    return can_manage(user) or user_can_moderate(user)


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """The desk's home: the notices; a moderator without products is sent to the queue."""
    return _signed_in(_notice_list, _desk_user)(request)


def _notice_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_manage(user):
        return redirect(reverse("desk:moderation"))
    form = NoticeFilterForm(
        request.GET or None,
        categories=selectors.desk_categories(user=user),
        managers=selectors.desk_managers(user=user),
    )
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET and valid else {}
    notices = selectors.desk_notice_list(
        user=user, states=form.states(), category_id=data.get("category"), manager_id=data.get("manager")
    )
    page = Paginator(notices, NOTICES_PAGE_SIZE).get_page(request.GET.get("page"))
    policy = selectors.desk_policy()
    today = selectors.desk_today(policy)
    rows = selectors.notice_rows(notices=list(page.object_list), today=today, policy=policy)
    return _render(
        request,
        "desk/notice_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "policy": policy,
            "threshold": _number(selectors._threshold(policy)),
            "is_filtered": any(request.GET.get(key) for key in ("state", "category", "manager")),
        },
        status=200 if valid else 400,
    )


def _chart(notice: WithdrawalNotice, *, today: date, policy: GatePolicy) -> dict[str, Any]:
    product = notice.product
    first, last = selectors.notice_chart_range(notice=notice, today=today)
    days = selectors.product_chart_days(product=product, first=first, last=last, policy=policy)
    events = selectors.product_chart_events(product=product, first=first, last=last)
    kind_labels = {
        EventKind.FLAGGED: _("Flagged"),
        EventKind.RECOVERED: _("Recovered"),
        EventKind.WITHDRAWN: _("Withdrawn"),
        EventKind.IMPROVED: _("Improved"),
        EventKind.REINSTATED: _("Reinstated"),
    }
    markers = []
    for event in events:
        day_text = date_format(event.day, "DATE_FORMAT")
        if event.average is not None:
            label = _("%(event)s on %(day)s: average %(average)s over %(count)s counted reviews") % {
                "event": kind_labels[EventKind(event.kind)],
                "day": day_text,
                "average": _number(event.average),
                "count": event.count,
            }
        else:
            label = _("%(event)s on %(day)s: a new product revision starts") % {
                "event": kind_labels[EventKind(event.kind)],
                "day": day_text,
            }
        markers.append(ChartMarker(event.day, event.kind, label))
    threshold = selectors._threshold(policy)
    summary = series_summary(days)
    if summary["last_average"] is not None and summary["first_average"] is not None:
        description = _(
            "From %(first)s to %(last)s, the average the gate counts went from %(start)s to %(end)s "
            "(lowest %(low)s, highest %(high)s); the threshold is %(threshold)s. "
            "%(published)s reviews were published in the period."
        ) % {
            "first": date_format(first, "DATE_FORMAT"),
            "last": date_format(last, "DATE_FORMAT"),
            "start": _number(round(float(summary["first_average"]), 2)),  # type: ignore[arg-type]
            "end": _number(round(float(summary["last_average"]), 2)),  # type: ignore[arg-type]
            "low": _number(round(float(summary["lowest"]), 2)),  # type: ignore[arg-type]
            "high": _number(round(float(summary["highest"]), 2)),  # type: ignore[arg-type]
            "threshold": _number(threshold),
            "published": summary["published"],
        }
    else:
        description = _("No review counted between %(first)s and %(last)s.") % {
            "first": date_format(first, "DATE_FORMAT"),
            "last": date_format(last, "DATE_FORMAT"),
        }
    if markers:
        description += " " + " ".join(marker.label + "." for marker in markers)
    text = ChartText(
        title=_("Rating of %(name)s over time") % {"name": product.name},
        description=description,
        average=_("Average the gate counts"),
        too_few=_("Fewer than %(n)s reviews: not judged") % {"n": policy.min_reviews},
        threshold=_("Threshold"),
        volume=_("Reviews published per day"),
        markers={kind.value: label for kind, label in kind_labels.items()},
        no_data=_("No reviews in this period"),
    )
    svg = rating_chart_svg(
        days,
        threshold=threshold,
        min_reviews=policy.min_reviews,
        markers=markers,
        text=text,
        format_day=lambda day: date_pattern(day, "j M"),
        format_number=_number,
    )
    events_by_day: dict[date, list[str]] = {}
    for event in events:
        events_by_day.setdefault(event.day, []).append(kind_labels[EventKind(event.kind)])
    table = [
        {
            "day": day.day,
            "count": day.count,
            "average": None if day.average is None else round(float(day.average), 2),
            "judged": day.count >= policy.min_reviews,
            "volume": day.volume,
            "events": events_by_day.get(day.day, []),
        }
        for day in reversed(days)
    ]
    # The SVG is built by desk.charts, which escapes every text it is given.
    return {"svg": mark_safe(svg), "table": table, "first": first, "last": last}  # noqa: S308


def _phrase_link(product: Product, revision: int, phrase: str, language: str) -> str:
    query = urlencode({"revision": revision, "phrase": phrase, "lang": language})
    return f"{reverse('desk:product_reviews', kwargs={'sku': product.sku})}?{query}"


def _notice_context(
    request: HttpRequest,
    notice: WithdrawalNotice,
    *,
    comment_form: CommentForm | None = None,
    improvement_form: ImprovementForm | None = None,
) -> dict[str, Any]:
    product = notice.product
    policy = selectors.desk_policy()
    today = selectors.desk_today(policy)
    revision = selectors.notice_analysed_revision(notice)
    row = selectors.notice_rows(notices=[notice], today=today, policy=policy)[0]
    phrases = selectors.product_complaint_phrases(product=product, revision=revision)
    links = [
        {"phrase": phrase, "url": _phrase_link(product, revision, phrase.phrase, phrase.language)} for phrase in phrases
    ]
    histogram = selectors.review_histogram(product=product, revision=revision)
    histogram_total = sum(histogram.values())
    reviews = selectors.desk_review_list(product=product, revision=revision)
    page = Paginator(reviews, REVIEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    live = notice.state in services.LIVE_STATES
    resolved_by = notice.resolved_by if notice.resolved_by_id else None
    return {
        "notice": notice,
        "product": product,
        "row": row,
        "policy": policy,
        "threshold": _number(selectors._threshold(policy)),
        "today": today,
        "live": live,
        "revision": revision,
        "chart": _chart(notice, today=today, policy=policy),
        "histogram": [
            {"stars": star, "count": histogram[star], "percent": round(100 * histogram[star] / histogram_total)}
            if histogram_total
            else {"stars": star, "count": 0, "percent": 0}
            for star in reversed(STARS)
        ],
        "histogram_total": histogram_total,
        "phrases_en": [link for link in links if link["phrase"].language == "en"],
        "phrases_fr": [link for link in links if link["phrase"].language == "fr"],
        "page": page,
        "reviews": page.object_list,
        "events": selectors.product_gate_events(product=product),
        "comments": selectors.notice_comments(notice=notice),
        "audit": selectors.product_audit(product=product),
        "assign_form": AssignForm(
            initial={"assignee": notice.assigned_to_id}, people=services.notice_assignees(product=product)
        ),
        "comment_form": comment_form or CommentForm(),
        "improvement_form": improvement_form or ImprovementForm(phrases=phrases),
        "loop": selectors.closing_the_loop(improvement=resolved_by) if resolved_by is not None else None,
        "public_url": reverse("product_detail", kwargs={"sku": product.sku}),
    }


@manager_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice_or_404(request, pk)
    return _render(request, "desk/notice_detail.html", _notice_context(request, notice))


def _notice_url(notice: WithdrawalNotice, anchor: str = "") -> str:
    url = reverse("desk:notice", kwargs={"pk": notice.pk})
    return f"{url}#{anchor}" if anchor else url


@manager_required
@require_POST
def notice_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice_or_404(request, pk)
    try:
        services.notice_acknowledge(notice=notice, by=request.user)
    except DomainError as error:
        return _refused(request, error, back_url=_notice_url(notice))
    messages.success(request, _("Notice acknowledged."))
    return redirect(_notice_url(notice, "handling"))


@manager_required
@require_POST
def notice_assign(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice_or_404(request, pk)
    people = services.notice_assignees(product=notice.product)
    form = AssignForm(request.POST, people=people)
    if not form.is_valid():
        return _refused(
            request,
            DomainError(_("Choose one of the product's managers or a quality director.")),
            back_url=_notice_url(notice, "handling"),
        )
    chosen = form.cleaned_data["assignee"]
    assignee = next((person for person in people if person.pk == chosen), None)
    try:
        services.notice_assign(notice=notice, assignee=assignee, by=request.user)
    except DomainError as error:
        return _refused(request, error, back_url=_notice_url(notice, "handling"))
    if assignee is None:
        messages.success(request, _("The notice is no longer assigned."))
    else:
        messages.success(request, _("Notice assigned to %(name)s.") % {"name": assignee.public_name})
    return redirect(_notice_url(notice, "handling"))


@manager_required
@require_POST
def notice_comment(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice_or_404(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.notice_comment_add(notice=notice, by=request.user, body=form.cleaned_data["body"])
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Comment added."))
            return redirect(_notice_url(notice, "comments"))
    return _render(request, "desk/notice_detail.html", _notice_context(request, notice, comment_form=form), 400)


@manager_required
@require_POST
def notice_improvement(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice_or_404(request, pk)
    revision = selectors.notice_analysed_revision(notice)
    phrases = selectors.product_complaint_phrases(product=notice.product, revision=revision)
    form = ImprovementForm(request.POST, phrases=phrases)
    if form.is_valid():
        was_withdrawn = notice.product.gate_state == "withdrawn"
        try:
            services.desk_improvement_log(
                notice=notice,
                by=request.user,
                description=form.cleaned_data["description"],
                public_note=form.cleaned_data["public_note"],
                addressed_phrases=form.cleaned_data["phrases"],
            )
        except DomainError as error:
            if error.http_status != 400:
                return _refused(request, error, back_url=_notice_url(notice))
            form_add_domain_error(form, error)
        else:
            if was_withdrawn:
                messages.success(request, _("Improvement logged: the product is back on sale, as a new version."))
            else:
                messages.success(request, _("Improvement logged: a new version of the product starts now."))
            return redirect(_notice_url(notice, "loop"))
    notice = _notice_or_404(request, pk)
    return _render(
        request, "desk/notice_detail.html", _notice_context(request, notice, improvement_form=form), status=400
    )


# --- Products and reviews ----------------------------------------------------------------


@manager_required
@require_GET
def product_list(request: HttpRequest) -> HttpResponse:
    products = selectors.desk_product_summaries(user=request.user)
    page = Paginator(products, NOTICES_PAGE_SIZE).get_page(request.GET.get("page"))
    policy = selectors.desk_policy()
    today = selectors.desk_today(policy)
    figures = selectors.product_current_figures(
        product_ids=[p.pk for p in page.object_list], today=today, policy=policy
    )
    rows = [
        (product, selectors.notice_figures(product=product, count=c, total=t, policy=policy))
        for product in page.object_list
        for c, t in [figures.get(product.pk, (0, 0))]
    ]
    return _render(
        request,
        "desk/product_list.html",
        {"page": page, "rows": rows, "threshold": _number(selectors._threshold(policy)), "policy": policy},
    )


@manager_required
@require_GET
def product_reviews(request: HttpRequest, sku: str) -> HttpResponse:
    try:
        product = selectors.desk_product_get(user=request.user, sku=sku)
    except Product.DoesNotExist as exc:
        raise Http404 from exc
    revisions = list(range(product.revision, -1, -1))
    try:
        revision = int(request.GET.get("revision", product.revision))
    except ValueError:
        revision = product.revision
    if revision not in revisions:
        revision = product.revision
    stars_choice = request.GET.get("stars", "")
    stars = {"low": [1, 2], "mid": [3], "high": [4, 5]}.get(stars_choice)
    phrase = request.GET.get("phrase", "").strip()[:200]
    reviews = selectors.desk_review_list(product=product, revision=revision, stars=stars, phrase=phrase)
    page = Paginator(reviews, REVIEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    notice = selectors.withdrawal_notice_for_product(product=product)
    return _render(
        request,
        "desk/product_reviews.html",
        {
            "product": product,
            "page": page,
            "reviews": page.object_list,
            "revision": revision,
            "revisions": revisions,
            "stars_choice": stars_choice,
            "phrase": phrase,
            "count": len(reviews),
            "notice": notice,
        },
    )


@manager_required
def review_reply(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = selectors.desk_review_get(user=request.user, pk=pk)
    except Review.DoesNotExist as exc:
        raise Http404 from exc
    back = safe_next_url(request, reverse("desk:product_reviews", kwargs={"sku": review.product.sku}))
    existing = getattr(review, "brand_reply", None) if hasattr(review, "brand_reply") else None
    status = 200
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.desk_reply_post(review=review, by=request.user, body=form.cleaned_data["body"])
            except DomainError as error:
                if error.http_status != 400:
                    return _refused(request, error, back_url=back)
                form_add_domain_error(form, error)
            else:
                if existing is None and review.author_id is not None:
                    messages.success(request, _("Reply published. Its author has been emailed."))
                else:
                    messages.success(request, _("Reply published."))
                return redirect(f"{back}#review-{review.pk}" if "#" not in back else back)
        status = 400
    elif request.method == "GET":
        form = ReplyForm(initial={"body": existing.body} if existing else None)
    else:
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    return _render(
        request,
        "desk/review_reply.html",
        {"review": review, "product": review.product, "form": form, "existing": existing, "back": back},
        status=status,
    )


# --- Moderation --------------------------------------------------------------------------


def _queue_context(request: HttpRequest, form: ModerationForm | None = None) -> dict[str, Any]:
    pending = Paginator(selectors.moderation_pending(user=request.user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("pending_page")
    )
    reported = Paginator(selectors.moderation_reported(user=request.user), QUEUE_PAGE_SIZE).get_page(
        request.GET.get("reported_page")
    )
    return {
        "pending": pending,
        "reported": reported,
        "left_to_others": selectors.moderation_left_to_others(user=request.user),
        "reasons": [(code.value, code.label) for code in REPORT_REASONS],
        "form": form,
    }


@moderator_required
@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    return _render(request, "desk/moderation.html", _queue_context(request))


@moderator_required
@require_POST
def moderation_decide(request: HttpRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("reviews") if value.isdigit()]
    form = ModerationForm(request.POST, review_ids=ids)
    if not form.is_valid():
        return _render(request, "desk/moderation.html", _queue_context(request, form), status=400)
    action, chosen, reason = form.cleaned_data["action"], form.cleaned_data["ids"], form.cleaned_data["reason"]
    try:
        result = services.moderation_bulk(review_ids=chosen, action=action, reason=reason, by=request.user)
    except DomainError as error:
        form_add_domain_error(form, error)
        return _render(request, "desk/moderation.html", _queue_context(request, form), status=error.http_status)
    if result.done:
        if action == "approve":
            text = ngettext("%(n)d review approved.", "%(n)d reviews approved.", len(result.done))
        else:
            text = ngettext("%(n)d review rejected.", "%(n)d reviews rejected.", len(result.done))
        messages.success(request, text % {"n": len(result.done)})
    for pk, why in result.skipped:
        messages.error(request, _("Review %(id)s was not changed: %(why)s") % {"id": pk, "why": why})
    return redirect(reverse("desk:moderation"))


# --- KPIs --------------------------------------------------------------------------------


def _kpi_rows(request: HttpRequest, form: KpiForm, policy: GatePolicy) -> list[Any]:
    data = form.cleaned_data
    group = data["group"]
    facts = selectors.kpi_facts(user=request.user, first=data["first"], last=data["last"], group=group, policy=policy)
    no_category = _("(no category)")
    no_manager = _("(no manager)")

    # The keys are those of the facts' reply medians (desk.kpis.category_key and co).
    def groups_of(product_id: int, day: date) -> list[tuple[str, str]]:
        if group == "month":
            return [(month_key(day), date_format(day, "YEAR_MONTH_FORMAT"))]
        if group == "manager":
            people = facts.managers.get(product_id) or []
            return [(manager_key(pk), name) for pk, name in people] or [(manager_key(None), no_manager)]
        category = facts.categories.get(product_id)
        return [(category_key(category[0]), category[1])] if category else [(category_key(None), no_category)]

    return kpi_rows(
        first=data["first"],
        last=data["last"],
        reviews=facts.reviews,
        replies=facts.replies,
        events=facts.events,
        groups_of=groups_of,
        total_label=_("All my products") if not request.user.has_perm(MANAGE_ALL_PRODUCTS) else _("All products"),
    )


@manager_required
@require_GET
def kpis(request: HttpRequest) -> HttpResponse:
    policy = selectors.desk_policy()
    today = selectors.desk_today(policy)
    form = KpiForm(request.GET or {"group": "category", "period": "90"}, today=today)
    if not form.is_valid():
        return _render(request, "desk/kpis.html", {"form": form, "rows": None}, status=400)
    rows = _kpi_rows(request, form, policy)
    return _render(
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
    today = selectors.desk_today(policy)
    form = KpiForm(request.GET or {"group": "category", "period": "90"}, today=today)
    if not form.is_valid():
        return HttpResponse(
            "; ".join(str(error) for errors in form.errors.values() for error in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = _kpi_rows(request, form, policy)
    first, last, group = form.cleaned_data["first"], form.cleaned_data["last"], form.cleaned_data["group"]
    services.kpis_export_record(
        by=request.user,
        parameters={"group": group, "first": first.isoformat(), "last": last.isoformat()},
        rows=len(rows),
    )
    response = HttpResponse(kpi_csv(rows, period=(first, last), group_by=group), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reviewgate-kpis-{group}-{first}-{last}.csv"'
    return response
