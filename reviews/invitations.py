"""The pages an invitation email links to: write the review (no account needed), and
unsubscribe from invitations.

The link is the credential. Whoever opens it writes as its customer: the account whose
address is the customer's if there is one (a signed-in visitor who is someone else still
writes the customer's review, never their own), else a guest under the customer's first
name, which the form lets them change. Every write goes through reviews.services, the
same path as the site's own form and the API: moderation, limits, the burst rule.

Language: the customer's, from the order, unless the visitor chose one on the site (the
language switch's cookie, or a signed-in account's language); the browser's
Accept-Language is not a choice here: the shop knows what its customer reads. A link that
names no customer (tampered, expired) is shown in the visitor's language as elsewhere.

A refused link gets its own page, with the status of reviews.verified.LINK_PROBLEM_STATUS:
403 not one of ours, 410 expired, used or withdrawn, 403 unsubscribed. Token pages are
never cached and keep the site's Referrer-Policy, same-origin: the token leaves in no
Referer to another site (no-referrer would make browsers send `Origin: null` with the
form, which Django's CSRF check refuses).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import User
from core.errors import Conflict, DomainError
from core.ratelimit import (
    RateLimitTaken,
    action_limits,
    rate_limited_form,
    rate_limits_take,
)
from core.url_converters import sku_reverse
from orders.invitation_use import unsubscribe, unsubscribe_customer
from orders.links import LinkProblem, LinkRefused
from reviews import photos
from reviews.forms import ReviewForm, form_add_domain_error
from reviews.models import BODY_MIN_LENGTH, LANGUAGE_CODES, ReasonCode, Review, ReviewStatus, written_lengths
from reviews.tasks import review_photo_sizes_queue
from reviews.verified import LINK_PROBLEM_STATUS, InvitationRefused, Invited, invitation_open

INVITATION_FORM = "reviews/invitation_review.html"


def _language_chosen(request: HttpRequest) -> bool:
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return True  # accounts.middleware.UserLanguageMiddleware applied the account's
    return request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") in LANGUAGE_CODES


def _use_customer_language(request: HttpRequest, language: str) -> None:
    if language in LANGUAGE_CODES and not _language_chosen(request):
        translation.activate(language)
        request.LANGUAGE_CODE = language


def invitation_rate_limits(request: Any, invited: Invited) -> RateLimitTaken:
    """The site's review-post limits (core.ratelimit.action_limits), counted against the
    link's author (its account, one budget with its own posts, else the customer) rather
    than whoever is signed in; with an API key, the key's own limit too (the customer
    hook); without one, the client's address too."""
    limits = [
        (scope, invited.rate_limit_key if scope == "review_post" else key)
        for scope, key in action_limits(request, "review_post", customer=invited.rate_limit_key)
    ]
    return rate_limits_take(request, limits)


def _published_review_url(line_id: int | None) -> str:
    review = (
        Review.objects.filter(order_line_id=line_id, status=ReviewStatus.PUBLISHED).select_related("product").first()
        if line_id is not None
        else None
    )
    if review is None:
        return ""
    url = sku_reverse("product_detail", sku=review.product.sku)
    return f"{url}#review-{review.pk}" if url else ""


def _refused_page(request: HttpRequest, refused: InvitationRefused) -> HttpResponse:
    _use_customer_language(request, refused.language)
    context = {
        "problem": refused.problem.value,
        "message": refused.message,
        "review_url": _published_review_url(refused.line_id) if refused.problem == LinkProblem.USED else "",
    }
    return render(request, "reviews/invitation_refused.html", context, status=refused.http_status)


def _form_context(invited: Invited, form: ReviewForm, **extra: Any) -> dict[str, Any]:
    lengths = written_lengths()
    return {
        "product": invited.line.product,
        "invited": invited,
        "form": form,
        "premoderation": settings.REVIEWS_PREMODERATION,
        "title_max": lengths.title_max,
        "body_min": BODY_MIN_LENGTH,
        "body_max": lengths.body_max,
        **extra,
    }


def _status_message(review: Review) -> str:
    if review.status == ReviewStatus.PUBLISHED:
        return _("Your review is published, marked as a verified purchase.")
    if review.status_reason == ReasonCode.BURST:
        return _(
            "Your review is waiting for a moderator: this product is receiving an unusual number of reviews. "
            "Once published, it is marked as a verified purchase."
        )
    return _(
        "Your review will be published once a moderator has checked it, marked as a verified purchase. "
        "Every review is checked by the same rules, whatever its rating."
    )


def signed_in(request: HttpRequest) -> User | None:
    """Who is signed in on the site, if anyone: with the link, an unconfirmed account of the
    customer's address shows it owns it (reviews.verified.invitation_author)."""
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _submit(request: HttpRequest, token: str, invited: Invited, form: ReviewForm) -> HttpResponse:
    """A valid form: the limit, then the service; a refusal comes back on the form."""
    taken = invitation_rate_limits(request, invited)
    if taken.refused:
        kept = _("Your review is kept below: send it again then.")
        context = _form_context(invited, form, rate_limited=f"{taken.message()} {kept}")
        return rate_limited_form(request, INVITATION_FORM, context, taken.refused)
    uploads = form.photo_uploads()
    # As on the site's own form: an attempt with photos keeps its count even when refused.
    refunded_on = () if photos.photos_count_against_limit(uploads) else (DomainError,)
    try:
        with taken.refunded_on(*refunded_on):
            review = photos.review_submit_with_photos(
                uploads=uploads,
                queue_sizes=review_photo_sizes_queue,
                product=invited.line.product,
                author=signed_in(request),
                invitation_token=token,
                **form.review_fields(),
            )
    except InvitationRefused as exc:  # used meanwhile (a second tab), withdrawn...
        return _refused_page(request, exc)
    except Conflict as exc:
        context = {"product": invited.line.product, "message": exc.message}
        return render(request, "reviews/invitation_duplicate.html", context, status=exc.http_status)
    except DomainError as exc:
        form_add_domain_error(form, exc)
        form.ask_photos_again(request.FILES)
        return render(request, INVITATION_FORM, _form_context(invited, form), status=exc.http_status)
    context = {"product": invited.line.product, "review": review, "status_message": _status_message(review)}
    return render(request, "reviews/invitation_thanks.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_review(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invited = invitation_open(token, now=timezone.now(), visitor=signed_in(request))
    except InvitationRefused as exc:
        return _refused_page(request, exc)
    _use_customer_language(request, invited.line.language)
    ask_name = invited.author is None
    if request.method == "POST":
        form = ReviewForm(request.POST, request.FILES, ask_author_name=ask_name, accept_photos=True)
        if form.is_valid():
            return _submit(request, token, invited, form)
        form.ask_photos_again(request.FILES)
        return render(request, INVITATION_FORM, _form_context(invited, form), status=400)
    initial = {"language": translation.get_language() or invited.line.language}
    if ask_name:
        initial["author_name"] = invited.guest_name
    form = ReviewForm(initial=initial, ask_author_name=ask_name, accept_photos=True)
    return render(request, INVITATION_FORM, _form_context(invited, form))


# CSRF-exempt on purpose: the token in the URL is the credential (a cross-site POST would
# need it, and only the customer's mailbox holds it), and a mail client's one-click
# unsubscribe (RFC 8058: POST "List-Unsubscribe=One-Click", announced by the email's
# List-Unsubscribe-Post header) comes with no CSRF token.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (a mail scanner that follows links unsubscribes nobody); POST
    unsubscribes at once, from the page's button or a mail client's one-click request.
    Already unsubscribed (or erased): says so."""
    try:
        customer = unsubscribe_customer(token)
    except LinkRefused as exc:
        return _refused_page(request, InvitationRefused(exc.problem))
    _use_customer_language(request, customer.language)
    done = customer.unsubscribed_at is not None
    just_now = False
    if request.method == "POST" and not done:
        just_now = unsubscribe(token, now=timezone.now())
        done = True
    context = {"done": done, "just_now": just_now}
    return render(request, "reviews/invitation_unsubscribe.html", context)


__all__ = ["LINK_PROBLEM_STATUS", "invitation_rate_limits", "invitation_review", "invitation_unsubscribe"]
