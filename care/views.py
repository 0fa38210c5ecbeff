"""The customer's reply page: the page a care email's link opens, with no sign-in.

The link is the credential (care.links, care.replies): it names one of care's messages;
GET shows the product, the customer's review title, care's message and a form (an answer
to a message; to the closing message, the outcome and "How easy was it to get your problem
solved?" on a 1-7 scale, a comment optional); POST saves through
care.services.case_customer_answer, which validates (its refusals come back on the form,
400). Each refused link has its own page with the status of REPLY_PROBLEM_STATUS.

Language: the customer's (their account's, or their order's), unless the visitor chose one
on the site (the language switch's cookie, a signed-in account), as on the invitation
pages; a link that names no message is in the visitor's language.

No rate limit of its own: a link takes one answer (CaseMessage.reply_to is unique, the
second POST is refused as used), a refused form writes nothing, and a forged link costs
an HMAC check and writes nothing either. Pages are never cached; the token leaves in no
Referer to another site (the site's Referrer-Policy, same-origin). No address is shown.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from care.links import ReplyRefused
from care.models import EFFORT_MAX, EFFORT_MIN, MESSAGE_MAX_LENGTH, CaseMessage, MessageKind
from care.replies import REPLY_PROBLEM_STATUS, customer_language, reply_answer, reply_message_open
from core.errors import DomainError
from reviews.forms import COUNTER_TEMPLATE, interpolate_lazy
from reviews.models import LANGUAGE_CODES

REPLY_FORM = "care/reply.html"
# The same words as care.services' refusal, so the customer reads one message either way.
EFFORT_MESSAGE = interpolate_lazy(
    _("Choose a number from %(min)d (very difficult) to %(max)d (very easy)."), {"min": EFFORT_MIN, "max": EFFORT_MAX}
)


def _effort_choices() -> list[tuple[int, Any]]:
    labels: dict[int, Any] = {EFFORT_MIN: _("%(n)d – very difficult"), EFFORT_MAX: _("%(n)d – very easy")}
    return [
        (n, interpolate_lazy(labels[n], {"n": n}) if n in labels else str(n)) for n in range(EFFORT_MIN, EFFORT_MAX + 1)
    ]


class ReplyForm(forms.Form):
    """The customer's answer: a text to a message; to the closing message, the effort
    answer and an optional comment. Required and range are also care.services' checks."""

    def __init__(self, *args: Any, closing: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.closing = closing
        textarea = forms.Textarea(attrs={"rows": 6, "data-counter-template": COUNTER_TEMPLATE})
        if closing:
            self.fields["effort"] = forms.TypedChoiceField(
                label=_("How easy was it to get your problem solved?"),
                choices=_effort_choices,
                coerce=int,
                empty_value=None,
                required=False,  # the service says it is required, in the same words
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": EFFORT_MESSAGE},
            )
            self.fields["body"] = forms.CharField(
                label=_("Anything you would like to add? (optional)"),
                required=False,
                max_length=MESSAGE_MAX_LENGTH,
                widget=textarea,
            )
        else:
            self.fields["body"] = forms.CharField(
                label=_("Your answer"),
                max_length=MESSAGE_MAX_LENGTH,
                widget=textarea,
                help_text=interpolate_lazy(_("At most %(max)d characters."), {"max": MESSAGE_MAX_LENGTH}),
                error_messages={"required": _("Write your answer first.")},
            )

    def domain_error_add(self, error: DomainError) -> None:
        """A service's refusal on the form: beside its field, and on top only if it says more."""
        for name, messages in error.fields.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)
        shown = {message for messages in error.fields.values() for message in messages}
        if error.message not in shown:
            self.add_error(None, error.message)


def _language_chosen(request: HttpRequest) -> bool:
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return True  # accounts.middleware.UserLanguageMiddleware applied the account's
    return request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") in LANGUAGE_CODES


def _customer_language_use(request: HttpRequest, language: str) -> None:
    if language in LANGUAGE_CODES and not _language_chosen(request):
        translation.activate(language)
        request.LANGUAGE_CODE = language


def _refused_page(request: HttpRequest, refused: ReplyRefused) -> HttpResponse:
    _customer_language_use(request, refused.language)
    context = {"problem": refused.problem.value}
    template = f"care/reply_{refused.problem.value}.html"
    return render(request, template, context, status=REPLY_PROBLEM_STATUS[refused.problem])


def _page_context(message: CaseMessage, form: ReplyForm) -> dict[str, Any]:
    review = message.case.review
    return {
        "message": message,
        "case": message.case,
        "review": review,
        "product": review.product,
        "closing": message.kind == MessageKind.CLOSING,
        "form": form,
        "valid_days": settings.CARE_REPLY_LINK_DAYS,
    }


def _answer(request: HttpRequest, message: CaseMessage, form: ReplyForm) -> HttpResponse:
    effort = form.cleaned_data.get("effort") if form.closing else None
    try:
        answer = reply_answer(message=message, body=form.cleaned_data.get("body") or "", effort=effort)
    except ReplyRefused as exc:  # answered in another tab, or the case closed meanwhile
        return _refused_page(request, exc)
    except DomainError as exc:
        form.domain_error_add(exc)
        return render(request, REPLY_FORM, _page_context(message, form), status=400)
    context = {"product": message.case.review.product, "closing": form.closing, "answer": answer}
    return render(request, "care/reply_thanks.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def care_reply(request: HttpRequest, token: str) -> HttpResponse:
    try:
        message = reply_message_open(token)
    except ReplyRefused as exc:
        return _refused_page(request, exc)
    _customer_language_use(request, customer_language(message))
    closing = message.kind == MessageKind.CLOSING
    if request.method == "POST":
        form = ReplyForm(request.POST, closing=closing)
        if form.is_valid():
            return _answer(request, message, form)
        return render(request, REPLY_FORM, _page_context(message, form), status=400)
    return render(request, REPLY_FORM, _page_context(message, ReplyForm(closing=closing)))
