"""The desk's notices: the list (the desk's home), a notice's page with its evidence, and
what a manager does on it (acknowledge, assign, comment, log the improvement: at once, or
under GATE_IMPROVEMENT_APPROVAL = "director" sent for a quality director's approval,
decided in desk.views.approvals)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import acting_user
from accounts.roles import user_is_quality_director
from core.errors import Conflict, DomainError
from core.local_formats import threshold_text
from core.names import name_ending_sentence
from core.strict_numbers import ascii_page_number
from core.url_converters import sku_reverse
from desk import selectors, services
from desk.approvals import desk_improvement_request_submit
from desk.forms import AssignForm, CommentForm, ImprovementForm, ImprovementRejectForm, NoticeFilterForm
from desk.versions import version_labels
from desk.views.approvals import (
    improvement_request_approve_view,
    improvement_request_reject_view,
    posted_request_id,
    reject_form_for,
    reject_form_refused,
)
from desk.views.common import (
    can_manage,
    desk_home_url,
    is_desk_user,
    manager_required,
    refused,
    render_desk,
    signed_in,
)
from desk.views.notice_chart import notice_chart
from gate.models import LIVE_NOTICE_STATES, ImprovementRequest, WithdrawalNotice
from gate.policy import GateState
from gate.services.approvals import improvement_requests_of_product
from gate.services.improvements import improvement_needs_approval
from products.models import STARS, Product
from reviews.forms import form_add_domain_error

NOTICES_PAGE_SIZE = 25
REVIEWS_PAGE_SIZE = 10


def notice_or_404(request: HttpRequest, pk: int) -> WithdrawalNotice:
    try:
        return selectors.desk_notice_get(user=request.user, pk=pk)
    except WithdrawalNotice.DoesNotExist as exc:
        raise Http404 from exc


def notice_list(request: HttpRequest) -> HttpResponse:
    """The desk's home: the notices; a moderator without products is sent to the queue.
    Sign-in and the role come first, as on every desk page, then the method (GET only)."""
    return signed_in(require_GET(_notice_list), is_desk_user)(request)


def _notice_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can_manage(user):
        return redirect(desk_home_url(user))
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
    page = Paginator(notices, NOTICES_PAGE_SIZE).get_page(ascii_page_number(request.GET.get("page")))
    policy = selectors.desk_policy()
    today = selectors.desk_today(policy)
    rows = selectors.notice_rows(notices=list(page.object_list), today=today, policy=policy)
    return render_desk(
        request,
        "desk/notice_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "policy": policy,
            "threshold": threshold_text(policy.threshold),
            "is_filtered": any(request.GET.get(key) for key in ("state", "category", "manager")),
        },
        status=200 if valid else 400,
    )


def _phrase_link(product: Product, revision: int, phrase: str, language: str) -> str | None:
    """The product's reviews that say the phrase; ``None`` for a legacy SKU without a URL."""
    reviews_url = sku_reverse("desk:product_reviews", sku=product.sku)
    if reviews_url is None:
        return None
    query = urlencode({"revision": revision, "phrase": phrase, "lang": language})
    return f"{reviews_url}?{query}"


def _histogram(product: Product, revision: int) -> tuple[list[dict[str, int]], int]:
    """Each star's reviews of the revision, five stars first, with its share in percent."""
    histogram = selectors.review_histogram(product=product, revision=revision)
    total = sum(histogram.values())
    rows = [
        {"stars": star, "count": histogram[star], "percent": round(100 * histogram[star] / total)}
        if total
        else {"stars": star, "count": 0, "percent": 0}
        for star in reversed(STARS)
    ]
    return rows, total


def _notice_context(
    request: HttpRequest,
    notice: WithdrawalNotice,
    *,
    comment_form: CommentForm | None = None,
    improvement_form: ImprovementForm | None = None,
    handling_refused: str = "",
) -> dict[str, Any]:
    product = notice.product
    policy = selectors.desk_policy()
    today = selectors.desk_today(policy)
    revision = selectors.notice_analysed_revision(notice)
    row = selectors.notice_rows(notices=[notice], today=today, policy=policy)[0]
    phrases = selectors.product_complaint_phrases(product=product, revision=revision)
    links: list[dict[str, Any]] = [
        {"phrase": phrase, "url": _phrase_link(product, revision, phrase.phrase, phrase.language)} for phrase in phrases
    ]
    histogram, histogram_total = _histogram(product, revision)
    reviews = selectors.desk_review_list(product=product, revision=revision)
    page = Paginator(reviews, REVIEWS_PAGE_SIZE).get_page(ascii_page_number(request.GET.get("page")))
    live = notice.state in LIVE_NOTICE_STATES
    resolved_by = notice.resolved_by if notice.resolved_by_id else None
    return {
        **_approval_context(request, notice, policy.start_of_day(notice.opened_on)),
        "notice": notice,
        "product": product,
        "row": row,
        "policy": policy,
        "threshold": threshold_text(policy.threshold),
        "today": today,
        "live": live,
        "revision": revision,
        "version_labels": version_labels(product),
        "chart": notice_chart(notice, today=today, policy=policy),
        "histogram": histogram,
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
        # None for a legacy SKU outside the rule: the page names the product without links.
        "public_url": sku_reverse("product_detail", sku=product.sku),
        "product_reviews_url": sku_reverse("desk:product_reviews", sku=product.sku),
        # Why an acknowledgement or an assignment was refused, shown in the Handling section.
        "handling_refused": handling_refused,
    }


def _approval_context(request: HttpRequest, notice: WithdrawalNotice, since: Any) -> dict[str, Any]:
    """The improvement requests of the notice's episode (and any still waiting), and what
    this user may do: send an improvement for approval, or approve and reject."""
    requests = list(improvement_requests_of_product(product=notice.product, since=since))
    pending = next((item for item in requests if item.state == ImprovementRequest.State.PENDING), None)
    if pending is None:
        pending = (
            improvement_requests_of_product(product=notice.product)
            .filter(state=ImprovementRequest.State.PENDING)
            .first()
        )
        if pending is not None:
            requests.insert(0, pending)
    return {
        "improvement_requests": requests,
        "pending_request": pending,
        "needs_approval": improvement_needs_approval(request.user),
        "can_approve": user_is_quality_director(request.user),
        "reject_form": reject_form_for(pending) if pending is not None else None,
    }


@manager_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_or_404(request, pk)
    return render_desk(request, "desk/notice_detail.html", _notice_context(request, notice))


def _notice_url(notice: WithdrawalNotice, anchor: str = "") -> str:
    url = reverse("desk:notice", kwargs={"pk": notice.pk})
    return f"{url}#{anchor}" if anchor else url


def _handling_refused(request: HttpRequest, notice: WithdrawalNotice, error: DomainError) -> HttpResponse:
    """The notice page again, with why its acknowledgement or assignment was refused in the
    Handling section (a refused form re-renders at its page: desk.views.common.page_with_forms)."""
    notice = notice_or_404(request, notice.pk)  # as it stands now: the refusal may say why
    context = _notice_context(request, notice, handling_refused=error.message)
    return render_desk(request, "desk/notice_detail.html", context, error.http_status)


@manager_required
@require_POST
def notice_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_or_404(request, pk)
    try:
        services.notice_acknowledge(notice=notice, by=acting_user(request))
    except DomainError as error:
        return _handling_refused(request, notice, error)
    messages.success(request, _("Notice acknowledged."))
    return redirect(_notice_url(notice, "handling"))


@manager_required
@require_POST
def notice_assign(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_or_404(request, pk)
    people = services.notice_assignees(product=notice.product)
    form = AssignForm(request.POST, people=people)
    if not form.is_valid():
        return _handling_refused(
            request, notice, DomainError(_("Choose one of the product's managers or a quality director."))
        )
    chosen = form.cleaned_data["assignee"]
    assignee = next((person for person in people if person.pk == chosen), None)
    try:
        services.notice_assign(notice=notice, assignee=assignee, by=acting_user(request))
    except DomainError as error:
        return _handling_refused(request, notice, error)
    if assignee is None:
        messages.success(request, _("The notice is no longer assigned."))
    else:
        messages.success(
            request, _("Notice assigned to %(name)s.") % {"name": name_ending_sentence(assignee.public_name)}
        )
    return redirect(_notice_url(notice, "handling"))


@manager_required
@require_POST
def notice_comment(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_or_404(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.notice_comment_add(notice=notice, by=acting_user(request), body=form.cleaned_data["body"])
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Comment added."))
            return redirect(_notice_url(notice, "comments"))
    return render_desk(request, "desk/notice_detail.html", _notice_context(request, notice, comment_form=form), 400)


@manager_required
@require_POST
def notice_improvement(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_or_404(request, pk)
    revision = selectors.notice_analysed_revision(notice)
    phrases = selectors.product_complaint_phrases(product=notice.product, revision=revision)
    form = ImprovementForm(request.POST, phrases=phrases)
    if form.is_valid() and improvement_needs_approval(request.user):
        return _notice_improvement_request(request, notice, form)
    if form.is_valid():
        was_withdrawn = notice.product.gate_state == GateState.WITHDRAWN
        try:
            services.desk_improvement_log(
                notice=notice,
                by=acting_user(request),
                description=form.cleaned_data["description"],
                public_note=form.cleaned_data["public_note"],
                addressed_phrases=form.cleaned_data["phrases"],
            )
        except DomainError as error:
            if error.http_status != 400:
                return refused(request, error, back_url=_notice_url(notice))
            form_add_domain_error(form, error)
        else:
            if was_withdrawn:
                messages.success(request, _("Improvement logged: the product is back on sale, as a new version."))
            else:
                messages.success(request, _("Improvement logged: a new version of the product starts now."))
            return redirect(_notice_url(notice, "loop"))
    notice = notice_or_404(request, pk)
    return render_desk(
        request, "desk/notice_detail.html", _notice_context(request, notice, improvement_form=form), status=400
    )


def _notice_improvement_request(request: HttpRequest, notice: WithdrawalNotice, form: ImprovementForm) -> HttpResponse:
    """Under GATE_IMPROVEMENT_APPROVAL = "director": the manager's improvement is sent for
    a quality director's approval; nothing changes on the product until then."""
    try:
        if notice.state not in LIVE_NOTICE_STATES:
            raise Conflict(
                _("This notice is closed: %(state)s.") % {"state": notice.get_state_display()}, code="closed"
            )
        desk_improvement_request_submit(
            notice=notice,
            by=acting_user(request),
            description=form.cleaned_data["description"],
            public_note=form.cleaned_data["public_note"],
            addressed_phrases=form.cleaned_data["phrases"],
        )
    except DomainError as error:
        if error.http_status != 400:
            return refused(request, error, back_url=_notice_url(notice))
        form_add_domain_error(form, error)
        return render_desk(
            request, "desk/notice_detail.html", _notice_context(request, notice, improvement_form=form), status=400
        )
    messages.success(
        request,
        _("Improvement sent for approval: nothing changes until a quality director approves it. They are emailed."),
    )
    return redirect(_notice_url(notice, "approval"))


def notice_improvement_request_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice page's approve form (``pk``: the notice's; the request's in a hidden field)."""
    return improvement_request_approve_view(request, posted_request_id(request))


def notice_improvement_request_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """The notice page's reject form: a refused rejection is shown on the notice's page."""

    def refused_here(form: ImprovementRejectForm, error: DomainError) -> HttpResponse:
        reject_form_refused(form, error)
        notice = notice_or_404(request, pk)
        context = _notice_context(request, notice)
        context["reject_form"] = form
        return render_desk(request, "desk/notice_detail.html", context, status=error.http_status)

    return improvement_request_reject_view(request, posted_request_id(request), on_refused=refused_here)
