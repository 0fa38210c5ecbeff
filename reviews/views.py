"""Writing and judging reviews on the shopper's site, and the transparency page.

Every write goes through reviews.services; a refusal (core.errors.DomainError) is shown
to the shopper with its message: 400 for a form to correct, 403 for a move they may not
make, 409 for a duplicate. Nothing the shopper sends can make these views answer 500.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.requests import acting_user
from core.errors import Conflict, DomainError
from core.http import safe_next_url
from core.ratelimit import RateLimitTaken, rate_limit_action, rate_limited_form, rate_limited_response
from core.strict_numbers import ascii_page_number
from core.url_converters import sku_reverse
from products.models import Product
from products.selectors import product_get_public
from reviews import photo_edits, photos, reactions, services
from reviews.forms import ReportForm, ReviewForm, VoteForm, form_add_domain_error
from reviews.models import (
    BODY_MIN_LENGTH,
    ReasonCode,
    Review,
    ReviewStatus,
    written_lengths,
)
from reviews.photo_views import review_photo_reported
from reviews.selectors import (
    review_get_for_author,
    review_get_public,
    review_list_by_author,
    review_own_for_product,
)
from reviews.tasks import review_photo_sizes_queue

MY_REVIEWS_PAGE_SIZE = 20
REVIEW_FORM = "reviews/review_form.html"
# Said beneath a limit's message on a refused review form.
_KEPT = gettext_lazy("Your review is kept below: send it again then.")


def _product_or_404(sku: str) -> Product:
    try:
        return product_get_public(sku=sku)
    except Product.DoesNotExist as exc:
        raise Http404 from exc


def _product_url(product: Product, anchor: str = "") -> str:
    """The product's page; for a legacy product whose SKU breaks the rule (it has no page),
    the author's list of reviews."""
    url = sku_reverse("product_detail", sku=product.sku)
    if url is None:
        return reverse("review_mine")
    return f"{url}#{anchor}" if anchor else url


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refused(request: HttpRequest, error: DomainError, *, back_url: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"error": {"code": error.code, "message": error.message, "fields": error.fields}},
            status=error.http_status,
        )
    return render(
        request,
        "reviews/refused.html",
        {"message": error.message, "back_url": back_url},
        status=error.http_status,
    )


def _status_message(review: Review) -> str:
    """What a shopper is told after sending a review: published, or why it waits (a hold
    the site set says so, rather than blaming a moderator who has not been asked yet)."""
    if review.status == ReviewStatus.PUBLISHED:
        return _("Thank you! Your review is published.")
    if review.status_reason == ReasonCode.EMAIL_UNVERIFIED:
        return _("Your review will be published once you confirm your email address: we sent you a link.")
    if review.status_reason == ReasonCode.BURST:
        return _("Your review is waiting for a moderator: this product is receiving an unusual number of reviews.")
    return _("Thank you! Your review will be published once a moderator has checked it. We will email you the outcome.")


def _changes_message(review: Review) -> str:
    """The same after an edit."""
    if review.status == ReviewStatus.PUBLISHED:
        return _("Your changes are published.")
    if review.status_reason == ReasonCode.EMAIL_UNVERIFIED:
        return _("Your changes will be published once you confirm your email address: we sent you a link.")
    if review.status_reason == ReasonCode.BURST:
        return _("Your changes are waiting for a moderator: this product is receiving an unusual number of reviews.")
    return _("Your changes will be published once a moderator has checked them.")


def _review_form_context(product: Product, form: ReviewForm, *, review: Review | None = None) -> dict[str, Any]:
    lengths = written_lengths(review)
    return {
        "product": product,
        "form": form,
        "premoderation": settings.REVIEWS_PREMODERATION,
        "title_max": lengths.title_max,
        "body_min": BODY_MIN_LENGTH,
        "body_max": lengths.body_max,
        "review": review,
    }


def _rate_limited_form(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any, taken: RateLimitTaken, kept: str
) -> HttpResponse:
    """The form again, with what was typed and which limit was reached: a refused shopper
    loses nothing and can send it once the window ends."""
    refused = taken.refused
    assert refused is not None
    message = f"{taken.message()} {kept}"
    if template == REVIEW_FORM:
        context = {**context, "rate_limited": message}  # its own alert, above the form
    else:
        form.add_error(None, message)
    return rate_limited_form(request, template, {**context, "form": form}, refused)


def _already_reviewed(request: HttpRequest, product: Product, existing: Review | None, message: str) -> HttpResponse:
    return render(
        request,
        "reviews/already_reviewed.html",
        {"product": product, "existing": existing, "message": message},
        status=409 if request.method == "POST" else 200,
    )


@login_required
def review_create(request: HttpRequest, sku: str) -> HttpResponse:
    product = _product_or_404(sku)
    duplicate_message = _("You have already reviewed this product. You can edit your review instead.")
    existing = review_own_for_product(user=request.user, product=product)
    if existing is not None:
        return _already_reviewed(request, product, existing, duplicate_message)
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST, request.FILES, accept_photos=True)
        if form.is_valid():
            # Counted only now that the review is valid and not a duplicate (checked above),
            # and given back if the service refuses it after all, unless photos were sent:
            # reading them is the cost the limit bounds (photos.photos_count_against_limit).
            taken = rate_limit_action(request, "review_post")
            if taken.refused:
                context = _review_form_context(product, form)
                return _rate_limited_form(request, REVIEW_FORM, context, form, taken, str(_KEPT))
            uploads = form.photo_uploads()
            refunded_on = () if photos.photos_count_against_limit(uploads) else (DomainError,)
            try:
                with taken.refunded_on(*refunded_on):
                    review = photos.review_submit_with_photos(
                        uploads=uploads,
                        queue_sizes=review_photo_sizes_queue,
                        product=product,
                        author=acting_user(request),
                        **form.review_fields(),
                    )
            except Conflict as exc:
                existing = review_own_for_product(user=request.user, product=product)
                return _already_reviewed(request, product, existing, exc.message)
            except DomainError as exc:
                form_add_domain_error(form, exc)
                status = exc.http_status  # 403 for a move not allowed (own product, own review)
            else:
                messages.success(request, _status_message(review))
                return redirect(_product_url(product, "your-review"))
        status = max(status, 400)  # the form again: input to correct, or the refusal's own status
        form.ask_photos_again(request.FILES)
    else:
        form = ReviewForm(initial={"language": get_language() or settings.LANGUAGE_CODE}, accept_photos=True)
    return render(request, "reviews/review_form.html", _review_form_context(product, form), status=status)


@login_required
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author's edit: the text, and the photos (remove chosen ones, add new ones, at most
    5 in all; reviews.photo_edits.review_edit_with_photos applies the text edit's moderation rule)."""
    try:
        review = review_get_for_author(pk=pk, author=acting_user(request))
    except Review.DoesNotExist as exc:
        raise Http404 from exc
    product = review.product
    form_options: dict[str, Any] = {
        "lengths": written_lengths(review),
        "accept_photos": True,
        "photos_kept": photo_edits.review_photos_editable(review),
    }
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST, request.FILES, **form_options)
        if form.is_valid():
            taken = rate_limit_action(request, "review_post")
            if taken.refused:
                context = _review_form_context(product, form, review=review)
                return _rate_limited_form(request, REVIEW_FORM, context, form, taken, str(_KEPT))
            uploads = form.photo_uploads()
            # As on a new review: an attempt with photos keeps its count even when refused.
            refunded_on = () if photos.photos_count_against_limit(uploads) else (DomainError,)
            try:
                with taken.refunded_on(*refunded_on):
                    review = photo_edits.review_edit_with_photos(
                        review=review,
                        author=acting_user(request),
                        uploads=uploads,
                        remove_ids=form.photos_removed(),
                        queue_sizes=review_photo_sizes_queue,
                        **form.review_fields(),
                    )
            except DomainError as exc:
                if exc.http_status != 400:
                    return _refused(request, exc, back_url=_product_url(product))
                form_add_domain_error(form, exc)
            else:
                messages.success(request, _changes_message(review))
                return redirect(_product_url(product, "your-review"))
        status = 400
        form.ask_photos_again(request.FILES)
    else:
        form = ReviewForm(
            initial={
                "rating": review.rating,
                "title": review.title,
                "body": review.body,
                "language": review.language,
                "recommend": review.recommend,  # the author's own answer: shown to them alone
            },
            **form_options,
        )
    return render(
        request,
        "reviews/review_form.html",
        _review_form_context(product, form, review=review),
        status=status,
    )


@login_required
def review_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = review_get_for_author(pk=pk, author=acting_user(request))
    except Review.DoesNotExist as exc:
        raise Http404 from exc
    if request.method == "POST":
        try:
            services.review_delete_by_author(review=review, author=acting_user(request))
        except DomainError as exc:
            return _refused(request, exc, back_url=_product_url(review.product))
        messages.success(request, _("Your review was deleted."))
        return redirect(_product_url(review.product))
    return render(request, "reviews/review_confirm_delete.html", {"review": review, "product": review.product})


@require_POST
def review_vote(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = review_get_public(pk=pk)
    except Review.DoesNotExist as exc:
        raise Http404 from exc
    back_url = safe_next_url(request, _product_url(review.product))
    anchored = f"{back_url.split('#')[0]}#review-{review.pk}"
    if not request.user.is_authenticated:
        # Back to the review after signing in: the vote itself is a POST and cannot be replayed.
        return redirect_to_login(anchored)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _refused(request, DomainError(_("Say whether the review was helpful: yes or no.")), back_url=anchored)
    helpful: bool = form.cleaned_data["helpful"]
    taken = rate_limit_action(request, "vote")
    if taken.refused:
        return rate_limited_response(request, taken.refused)
    try:
        with taken.refunded_on(DomainError):
            reactions.review_vote(review=review, voter=acting_user(request), helpful=helpful)
    except DomainError as exc:
        return _refused(request, exc, back_url=anchored)
    message = _("Thank you for your feedback.")
    if _wants_json(request):
        counts = Review.objects.filter(pk=review.pk).values("helpful_yes", "helpful_no").get()
        return JsonResponse({**counts, "my_vote": "yes" if helpful else "no", "message": message})
    messages.success(request, message)
    return HttpResponseRedirect(anchored)


@login_required
def review_report(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        review = review_get_public(pk=pk)
    except Review.DoesNotExist as exc:
        raise Http404 from exc
    back_url = safe_next_url(request, _product_url(review.product))
    anchored = f"{back_url.split('#')[0]}#review-{review.pk}"
    photo = review_photo_reported(review=review, photo_id=request.POST.get("photo") or request.GET.get("photo"))
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            taken = rate_limit_action(request, "report")
            if taken.refused:
                context = {"review": review, "product": review.product, "next": back_url, "photo": photo}
                kept = _("Your report is kept below: send it again then.")
                return _rate_limited_form(request, "reviews/report_form.html", context, form, taken, kept)
            try:
                with taken.refunded_on(DomainError):
                    reactions.review_report(
                        review=review,
                        reporter=acting_user(request),
                        reason=form.cleaned_data["reason"],
                        comment=form.cleaned_data["comment"],
                        photo=photo,
                    )
            except Conflict as exc:
                return _refused(request, exc, back_url=anchored)
            except DomainError as exc:
                form_add_domain_error(form, exc)
                status = exc.http_status  # 403 for a move not allowed (own product, own review)
            else:
                thanks = (
                    _("Thank you. A moderator will look at this photo; it stays visible until they decide.")
                    if photo is not None
                    else _("Thank you. A moderator will look at this review; it stays visible until they decide.")
                )
                messages.success(request, thanks)
                return HttpResponseRedirect(anchored)
        status = max(status, 400)  # the form again: input to correct, or the refusal's own status
    else:
        form = ReportForm()
    if photo is not None:
        form.fields["reason"].label = _("What is wrong with this photo?")
    return render(
        request,
        "reviews/report_form.html",
        {"review": review, "product": review.product, "form": form, "next": back_url, "photo": photo},
        status=status,
    )


@login_required
@require_safe
def review_mine(request: HttpRequest) -> HttpResponse:
    mine = review_list_by_author(user=acting_user(request))
    page = Paginator(mine, MY_REVIEWS_PAGE_SIZE).get_page(ascii_page_number(request.GET.get("page")))
    reviews = list(page.object_list)
    for review in reviews:
        review.about_previous_version = review.revision < review.product.revision  # type: ignore[attr-defined]
    return render(
        request,
        "reviews/mine.html",
        {"page": page, "reviews": reviews, "premoderation": settings.REVIEWS_PREMODERATION},
    )
