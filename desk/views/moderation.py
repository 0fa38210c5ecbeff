"""The moderation queue: held bursts of reviews by product (desk.bursts.burst_decide),
reviews waiting for a first decision and reported ones, decided in bulk
(desk.services.moderation_bulk)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import acting_user
from core.errors import DomainError
from core.strict_numbers import ascii_int, ascii_page_number
from desk import selectors, services
from desk.bursts import BURST_STATEMENT_MAX_LENGTH, burst_decide
from desk.forms import BurstDecisionForm, ModerationForm
from desk.views.common import moderator_required, render_desk
from products.models import Product
from reviews.forms import form_add_domain_error
from reviews.models import DECISION_NOTE_MAX_LENGTH, REPORT_REASONS

QUEUE_PAGE_SIZE = 50


def _queue_context(
    request: HttpRequest,
    form: ModerationForm | None = None,
    *,
    burst_form: BurstDecisionForm | None = None,
    burst_product: Product | None = None,
) -> dict[str, Any]:
    user = acting_user(request)
    pending = Paginator(selectors.moderation_pending(user=user), QUEUE_PAGE_SIZE).get_page(
        ascii_page_number(request.GET.get("pending_page"))
    )
    reported = Paginator(selectors.moderation_reported(user=user), QUEUE_PAGE_SIZE).get_page(
        ascii_page_number(request.GET.get("reported_page"))
    )
    return {
        "pending": pending,
        "reported": reported,
        "bursts": selectors.moderation_bursts(user=user),
        "burst_form": burst_form,
        "burst_form_product_id": burst_product.pk if burst_product is not None else None,
        "burst_reviews_shown": selectors.BURST_REVIEWS_SHOWN,
        "burst_statement_max": BURST_STATEMENT_MAX_LENGTH,
        "left_to_others": selectors.moderation_left_to_others(user=user),
        "reasons": [(code.value, code.label) for code in REPORT_REASONS],
        "form": form,
        "note_max": DECISION_NOTE_MAX_LENGTH,
    }


def _unemailed_text(count: int) -> str:
    """Said whenever an author owed an email of the decision has no address to email (an
    erased customer, a closed account), so no message claims an email nobody was sent."""
    text = ngettext(
        "%(n)d author has no address on file (an erased customer, a closed account): nothing was emailed to them.",
        "%(n)d authors have no address on file (erased customers, closed accounts): nothing was emailed to them.",
        count,
    )
    return text % {"n": count}


def _rejected_text(result: services.BulkResult) -> str:
    """How many reviews were rejected, and how many authors were really emailed the
    statement of reasons (an account, or an invited guest at their order's address)."""
    rejected, emailed = len(result.done), len(result.done) - len(result.unemailed)
    if emailed == rejected:
        text = ngettext(
            "%(n)d review rejected. Its author is emailed the statement of reasons.",
            "%(n)d reviews rejected. Each author is emailed the statement of reasons.",
            rejected,
        )
        return text % {"n": rejected}
    parts = [ngettext("%(n)d review rejected.", "%(n)d reviews rejected.", rejected) % {"n": rejected}]
    if emailed:
        parts.append(
            ngettext(
                "%(n)d author is emailed the statement of reasons.",
                "%(n)d authors are emailed the statement of reasons.",
                emailed,
            )
            % {"n": emailed}
        )
    parts.append(_unemailed_text(rejected - emailed))
    return " ".join(parts)


@moderator_required
@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    return render_desk(request, "desk/moderation.html", _queue_context(request))


@moderator_required
@require_POST
def moderation_decide(request: HttpRequest) -> HttpResponse:
    # ASCII digits only: "²".isdigit() is True, and int("²") raised (a 500).
    ids = [pk for value in request.POST.getlist("reviews") if (pk := ascii_int(value, minimum=1)) is not None]
    form = ModerationForm(request.POST, review_ids=ids)
    if not form.is_valid():
        return render_desk(request, "desk/moderation.html", _queue_context(request, form), status=400)
    data = form.cleaned_data
    try:
        result = services.moderation_bulk(
            review_ids=data["ids"],
            action=data["action"],
            reason=data["reason"],
            note=data["note"],
            by=acting_user(request),
        )
    except DomainError as error:
        form_add_domain_error(form, error)
        return render_desk(request, "desk/moderation.html", _queue_context(request, form), status=error.http_status)
    approved = len(result.done) - len(result.kept)
    if data["action"] == "reject" and result.done:
        messages.success(request, _rejected_text(result))
    if data["action"] == "approve" and approved:
        text = ngettext("%(n)d review approved.", "%(n)d reviews approved.", approved) % {"n": approved}
        if result.unemailed:  # only a published review's author is owed an email
            text = f"{text} {_unemailed_text(len(result.unemailed))}"
        messages.success(request, text)
    if result.kept:
        text = ngettext(
            "%(n)d reported review kept published; its reports are closed.",
            "%(n)d reported reviews kept published; their reports are closed.",
            len(result.kept),
        )
        messages.success(request, text % {"n": len(result.kept)})
    for pk, why in result.skipped:
        messages.error(request, _("Review %(id)s was not changed: %(why)s") % {"id": pk, "why": why})
    return redirect(reverse("desk:moderation"))


@moderator_required
@require_POST
def moderation_burst_decide(request: HttpRequest, product_id: int) -> HttpResponse:
    """Release or reject a product's held burst (all, or the selected reviews), with the
    statement every author is emailed."""
    product = get_object_or_404(Product, pk=product_id)
    form = BurstDecisionForm(
        request.POST,
        review_ids=selectors.moderation_burst_review_ids(product=product),
        auto_id=f"burst-{product.pk}-%s",  # the ids of this product's fields on the page
    )

    def refused(status: int) -> HttpResponse:
        context = _queue_context(request, burst_form=form, burst_product=product)
        return render_desk(request, "desk/moderation.html", context, status=status)

    if not form.is_valid():
        return refused(400)
    action = form.cleaned_data["action"]
    try:
        result = burst_decide(
            product=product,
            action=action,
            reason=form.cleaned_data["reason"] if action == "reject" else "",
            statement=form.cleaned_data["statement"],
            review_ids=form.cleaned_data["ids"],
            by=acting_user(request),
        )
    except DomainError as error:
        form_add_domain_error(form, error)
        return refused(error.http_status)
    if result.done:
        if action == "release":
            text = ngettext("%(n)d held review released.", "%(n)d held reviews released.", len(result.done))
        else:
            text = ngettext("%(n)d held review rejected.", "%(n)d held reviews rejected.", len(result.done))
        text = text % {"n": len(result.done)}
        if result.unemailed:
            text = f"{text} {_unemailed_text(len(result.unemailed))}"
        messages.success(request, text)
    for pk, why in result.skipped:
        messages.error(request, _("Review %(id)s was not changed: %(why)s") % {"id": pk, "why": why})
    return redirect(reverse("desk:moderation"))


def moderation_burst_decide_from_page(request: HttpRequest) -> HttpResponse:
    """The burst form as posted to the queue's own page: its product in a hidden field."""
    product_id = ascii_int(request.POST.get("product", ""), minimum=1)
    if product_id is None:
        raise Http404
    return moderation_burst_decide(request, product_id)
