"""Improvement sign-off on the desk (GATE_IMPROVEMENT_APPROVAL = "director"): the list of
improvements waiting for a quality director, and the director's approve and reject.

A product manager sees the requests of their products (and why one was rejected); only a
quality director is shown the buttons, and gate.services.approvals refuses anyone else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import acting_user
from accounts.roles import user_is_quality_director
from core.errors import DomainError, NotAllowed
from core.strict_numbers import ascii_int
from desk.approvals import desk_improvement_request_approve, desk_improvement_request_reject
from desk.forms import ImprovementRejectForm
from desk.views.common import manager_required, refused, render_desk
from gate.configured import ImprovementApproval, improvement_approval_from_settings
from gate.models import LIVE_NOTICE_STATES, ImprovementRequest, WithdrawalNotice
from gate.services.approvals import improvement_requests_visible
from reviews.forms import form_add_domain_error

DECIDED_SHOWN = 20
BACK_TO_LIST = "list"


def reject_form_for(improvement_request: ImprovementRequest, data: Any = None) -> ImprovementRejectForm:
    """The rejection form of one request (its own prefix: a page can show several)."""
    return ImprovementRejectForm(data, prefix=f"reject-{improvement_request.pk}")


def request_notice(improvement_request: ImprovementRequest) -> WithdrawalNotice | None:
    """The notice a request answers: the one its approval resolved, else the product's live
    one, else its latest."""
    notices = WithdrawalNotice.objects.filter(product_id=improvement_request.product_id)
    if improvement_request.improvement_id is not None:
        resolved = notices.filter(resolved_by_id=improvement_request.improvement_id).first()
        if resolved is not None:
            return resolved
    return notices.filter(state__in=LIVE_NOTICE_STATES).first() or notices.order_by("-opened_on", "-id").first()


def _request_or_404(request: HttpRequest, pk: int) -> ImprovementRequest:
    try:
        return improvement_requests_visible(user=request.user).get(pk=pk)
    except ImprovementRequest.DoesNotExist as exc:
        raise Http404 from exc


def _back_url(request: HttpRequest, improvement_request: ImprovementRequest) -> str:
    if request.POST.get("back") != BACK_TO_LIST:
        notice = request_notice(improvement_request)
        if notice is not None:
            return reverse("desk:notice", kwargs={"pk": notice.pk}) + "#approval"
    return reverse("desk:improvement_requests")


RejectRefused = Callable[[ImprovementRejectForm, DomainError], HttpResponse]


@manager_required
@require_GET
def improvement_requests(request: HttpRequest) -> HttpResponse:
    return _improvement_requests_page(request)


def _improvement_requests_page(
    request: HttpRequest, *, refused_form: ImprovementRejectForm | None = None, status: int = 200
) -> HttpResponse:
    """Improvements waiting for approval (oldest first: the longest wait at the top), then
    the latest decided ones, of the products the user may act on; ``refused_form``: a
    rejection refused, shown with its errors on its request."""
    visible = improvement_requests_visible(user=request.user)
    pending = list(visible.filter(state=ImprovementRequest.State.PENDING).order_by("requested_at", "id"))
    decided = list(
        visible.exclude(state=ImprovementRequest.State.PENDING).order_by("-decided_at", "-id")[:DECIDED_SHOWN]
    )
    rows: list[dict[str, Any]] = [
        {
            "request": item,
            "notice": request_notice(item),
            "reject_form": refused_form
            if refused_form is not None and refused_form.prefix == reject_form_for(item).prefix
            else reject_form_for(item),
        }
        for item in pending
    ]
    return render_desk(
        request,
        "desk/improvement_requests.html",
        {
            "pending_rows": rows,
            "decided": [{"request": item, "notice": request_notice(item)} for item in decided],
            "can_approve": user_is_quality_director(request.user),
            "approval_on": improvement_approval_from_settings() is ImprovementApproval.DIRECTOR,
        },
        status=status,
    )


@manager_required
@require_POST
def improvement_request_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    improvement_request = _request_or_404(request, pk)
    try:
        desk_improvement_request_approve(improvement_request=improvement_request, by=acting_user(request))
    except DomainError as error:
        return refused(request, error, back_url=_back_url(request, improvement_request))
    messages.success(request, _("Improvement approved: a new version of the product starts now."))
    return redirect(_back_url(request, improvement_request))


@manager_required
@require_POST
def improvement_request_reject_view(
    request: HttpRequest, pk: int, *, on_refused: RejectRefused | None = None
) -> HttpResponse:
    """``on_refused`` re-renders the page the form was sent from with the form's errors
    (the notice's page passes its own); by default, the list of requests."""
    improvement_request = _request_or_404(request, pk)
    form = reject_form_for(improvement_request, request.POST)
    # The service checks who may reject before the reason (a manager gets 403, not a form
    # error), then the reason's presence and length.
    reason = request.POST.get(form.add_prefix("reason"), "")
    try:
        desk_improvement_request_reject(improvement_request=improvement_request, by=acting_user(request), reason=reason)
    except NotAllowed as error:
        return refused(request, error, back_url=_back_url(request, improvement_request))
    except DomainError as error:
        if on_refused is not None:
            return on_refused(form, error)
        reject_form_refused(form, error)
        return _improvement_requests_page(request, refused_form=form, status=error.http_status)
    messages.success(request, _("Improvement rejected: its author is told why."))
    return redirect(_back_url(request, improvement_request))


def reject_form_refused(form: ImprovementRejectForm, error: DomainError) -> None:
    """The form shows the refusal: its own field errors if it has any, else the service's."""
    if form.is_valid():
        form_add_domain_error(form, error)


def posted_request_id(request: HttpRequest) -> int:
    pk = ascii_int(request.POST.get("request", ""), minimum=1)
    if pk is None:
        raise Http404
    return pk


def improvement_requests_approve_from_page(request: HttpRequest) -> HttpResponse:
    """The approve form as posted to the list's own page: its request in a hidden field."""
    return improvement_request_approve_view(request, posted_request_id(request))


def improvement_requests_reject_from_page(request: HttpRequest) -> HttpResponse:
    return improvement_request_reject_view(request, posted_request_id(request))
