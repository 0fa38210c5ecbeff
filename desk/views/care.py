"""The customer care desk: the queue of follow-up cases and a case's page, where care staff
take or give a case, write to the customer through the platform and close it with an outcome.

Care staff act on every case; a product manager (their products' cases) and a quality
director (all) read them, without a form. A case another user may not read answers 404.
Actions are POST only and redirect after success; a refusal (core.errors.DomainError) is
shown on its form or on the desk's refusal page, never as a server error. The customer's
address is never put in a page: care.customers says only whether they can be reached.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import acting_user
from accounts.roles import user_handles_care_cases
from care.models import Case, CaseState
from care.services import case_assign, case_close, case_message_send, case_take
from core.errors import DomainError, NotAllowed
from core.local_formats import date_text
from core.names import name_ending_sentence
from core.strict_numbers import ascii_page_number
from core.url_converters import sku_reverse
from desk.care_forms import CareQueueFilterForm, CaseAssignForm, CaseCloseForm, CaseMessageForm
from desk.selectors.care import (
    CaseClock,
    ClockState,
    care_case_facts,
    care_case_get,
    care_queue,
    care_queue_rows,
    care_staff_members,
    user_reads_care_cases,
)
from desk.views.common import View, refused, render_desk, signed_in
from reviews.forms import form_add_domain_error

QUEUE_PAGE_SIZE = 25


def care_reader_required(view: View) -> View:
    """Care staff, product managers and quality directors."""
    return signed_in(view, user_reads_care_cases)


def care_staff_required(view: View) -> View:
    return signed_in(view, user_handles_care_cases)


def duration_text(delta: timedelta) -> str:
    """A span as a desk reads it at a glance: "2 d 5 h", "3 h 20 min", "12 min"."""
    minutes = max(int(delta.total_seconds()) // 60, 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours and not minutes:
        return _("%(hours)d h") % {"hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def clock_text(clock: CaseClock) -> str:
    """The first-contact target in words (an overdue case says so, not by colour alone)."""
    span = duration_text(clock.delta)
    texts = {
        ClockState.WAITING: _("%(span)s left to first contact"),
        ClockState.OVERDUE: _("Overdue by %(span)s: not contacted yet"),
        ClockState.IN_TIME: _("Contacted in time"),
        ClockState.LATE: _("Contacted %(span)s late"),
        ClockState.CLOSED_UNCONTACTED: _("Closed without contact"),
    }
    # A mapping leaves a text without a placeholder as it is.
    return texts[clock.state] % {"span": span}


def stars_text(rating: int) -> str:
    return ngettext("%(count)d star", "%(count)d stars", rating) % {"count": rating}


@care_reader_required
@require_GET
def care_queue_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    care_staff = user_handles_care_cases(user)
    form = CareQueueFilterForm(request.GET or None, care_staff=care_staff)
    valid = form.is_valid() if request.GET else True
    cases = care_queue(user=user, state=form.chosen_state(), who=form.chosen_who())
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(ascii_page_number(request.GET.get("page")))
    rows = care_queue_rows(cases=list(page.object_list), now=timezone.now())
    return render_desk(
        request,
        "desk/care_queue.html",
        {
            "form": form,
            "page": page,
            "rows": [(row, clock_text(row.clock)) for row in rows],
            "care_staff": care_staff,
            "is_filtered": any(request.GET.get(key) for key in ("state", "who")),
        },
        status=200 if valid else 400,
    )


def case_or_404(request: HttpRequest, pk: int) -> Case:
    try:
        return care_case_get(user=request.user, pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404 from exc


def case_url(case: Case, anchor: str = "") -> str:
    url = reverse("desk:care_case", kwargs={"pk": case.pk})
    return f"{url}#{anchor}" if anchor else url


def _rating_text(case: Case, *, changed: bool) -> str:
    if not changed:
        return _("Rated %(stars)s, unchanged since the case opened.") % {"stars": stars_text(case.rating_now)}
    assert case.rating_changed_at is not None
    return _("Rated %(before)s when the case opened, %(now)s now (changed on %(date)s).") % {
        "before": stars_text(case.rating_at_open),
        "now": stars_text(case.rating_now),
        "date": date_text(timezone.localtime(case.rating_changed_at), "DATE_FORMAT"),
    }


def _case_context(
    request: HttpRequest,
    case: Case,
    *,
    message_form: CaseMessageForm | None = None,
    close_form: CaseCloseForm | None = None,
) -> dict[str, Any]:
    facts = care_case_facts(case=case, now=timezone.now())
    can_act = user_handles_care_cases(request.user) and case.state != CaseState.CLOSED
    return {
        "case": case,
        "facts": facts,
        "review": facts.review,
        "product": case.product,
        "clock_text": clock_text(facts.clock),
        "rating_text": _rating_text(case, changed=facts.rating_changed),
        "public_url": sku_reverse("product_detail", sku=case.product.sku),
        "can_act": can_act,
        "is_mine": case.assignee_id == request.user.pk,
        "assign_form": (
            CaseAssignForm(initial={"assignee": case.assignee_id}, people=care_staff_members()) if can_act else None
        ),
        "message_form": (message_form or CaseMessageForm()) if can_act and facts.reachable else None,
        "close_form": (close_form or CaseCloseForm()) if can_act else None,
    }


@care_reader_required
@require_GET
def care_case_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    return render_desk(request, "desk/care_case.html", _case_context(request, case))


@care_staff_required
@require_POST
def care_case_take(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    try:
        case_take(case=case, by=acting_user(request))
    except DomainError as error:
        return refused(request, error, back_url=case_url(case))
    messages.success(request, _("The case is yours now."))
    return redirect(case_url(case, "handling"))


@care_staff_required
@require_POST
def care_case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    people = list(care_staff_members())
    form = CaseAssignForm(request.POST, people=people)
    if not form.is_valid():
        return refused(
            request, DomainError(_("Choose a member of customer care.")), back_url=case_url(case, "handling")
        )
    chosen = form.cleaned_data["assignee"]
    assignee = next((person for person in people if person.pk == chosen), None)
    try:
        case_assign(case=case, by=acting_user(request), assignee=assignee)
    except DomainError as error:
        return refused(request, error, back_url=case_url(case, "handling"))
    if assignee is None:
        messages.success(request, _("Nobody has the case now."))
    else:
        messages.success(request, _("Case given to %(name)s.") % {"name": name_ending_sentence(assignee.public_name)})
    return redirect(case_url(case, "handling"))


def _form_refused(
    request: HttpRequest, case: Case, form: CaseMessageForm | CaseCloseForm, error: DomainError
) -> HttpResponse:
    """A refusal shown on the form it answers (with the status it carries); a refusal of
    the person (403) on the refusal page."""
    if isinstance(error, NotAllowed):
        return refused(request, error, back_url=case_url(case))
    form_add_domain_error(form, error)
    case.refresh_from_db()
    if isinstance(form, CaseMessageForm):
        key, context = "message_form", _case_context(request, case, message_form=form)
    else:
        key, context = "close_form", _case_context(request, case, close_form=form)
    if context[key] is None:  # the form is gone (closed meanwhile, no longer reachable)
        return refused(request, error, back_url=case_url(case))
    return render_desk(request, "desk/care_case.html", context, error.http_status)


@care_staff_required
@require_POST
def care_case_message(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    form = CaseMessageForm(request.POST)
    if not form.is_valid():
        return render_desk(request, "desk/care_case.html", _case_context(request, case, message_form=form), 400)
    try:
        case_message_send(case=case, by=acting_user(request), body=form.cleaned_data["body"])
    except DomainError as error:
        return _form_refused(request, case, form, error)
    messages.success(request, _("Message sent to the customer. Their answer will appear in this case."))
    return redirect(case_url(case, "messages"))


@care_staff_required
@require_POST
def care_case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_or_404(request, pk)
    form = CaseCloseForm(request.POST)
    if not form.is_valid():
        return render_desk(request, "desk/care_case.html", _case_context(request, case, close_form=form), 400)
    try:
        closed = case_close(
            case=case, by=acting_user(request), outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        )
    except DomainError as error:
        return _form_refused(request, case, form, error)
    messages.success(request, _("Case closed: %(outcome)s.") % {"outcome": closed.get_outcome_display()})
    return redirect(case_url(case))
