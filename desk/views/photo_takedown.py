"""A moderator removes one photo of a review (desk.photo_takedown): a page showing the
photo, its review and the reports that named it, with the reason and the note; posting it
takes the photo down and comes back to the queue with a confirmation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.requests import acting_user
from core.errors import DomainError
from desk.forms import PhotoRemoveForm
from desk.photo_takedown import moderation_photo_remove
from desk.views.common import moderator_required, render_desk
from reviews.forms import form_add_domain_error
from reviews.models import ReviewPhoto, ReviewReport, ReviewStatus


def _page(request: HttpRequest, photo: ReviewPhoto, form: PhotoRemoveForm, status: int = 200) -> HttpResponse:
    reports = ReviewReport.objects.filter(photo=photo, handled_at__isnull=True).order_by("created_at", "id")
    context: dict[str, Any] = {"photo": photo, "review": photo.review, "reports": reports, "form": form}
    return render_desk(request, "desk/photo_remove.html", context, status=status)


def _confirmation(photo: ReviewPhoto, emailed: bool) -> str:
    number = photo.number_shown()  # as the author and shoppers numbered it
    text = _("Photo %(n)d of “%(title)s” removed: it is no longer shown; the review stays published.") % {
        "n": number,
        "title": photo.review.title or _("(no title)"),
    }
    if photo.review.status != ReviewStatus.PUBLISHED:
        text = _("Photo %(n)d of “%(title)s” removed: it will not be shown.") % {
            "n": number,
            "title": photo.review.title or _("(no title)"),
        }
    if emailed:
        # Its own gettext call, outside the f-string: makemessages does not read into one.
        told = _("Its author is emailed the statement of reasons.")
        return f"{text} {told}"
    unemailed = _("Its author has no address on file (an erased customer, a closed account): nothing was emailed.")
    return f"{text} {unemailed}"


@moderator_required
@require_http_methods(["GET", "POST"])
def moderation_photo_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(ReviewPhoto.objects.select_related("review__product"), pk=pk)
    if request.method == "GET":
        # The reason of the first open report naming the photo, chosen already.
        first = ReviewReport.objects.filter(photo=photo, handled_at__isnull=True).order_by("created_at").first()
        return _page(request, photo, PhotoRemoveForm(initial={"reason": first.reason if first else ""}))
    form = PhotoRemoveForm(request.POST)
    if not form.is_valid():
        return _page(request, photo, form, status=400)
    try:
        done = moderation_photo_remove(
            photo=photo, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"], by=acting_user(request)
        )
    except DomainError as error:
        form_add_domain_error(form, error)
        return _page(request, photo, form, status=error.http_status)
    messages.success(request, _confirmation(done.photo, done.emailed))
    return redirect(reverse("desk:moderation"))
