"""The page a thanks email's unsubscribe link opens: turn these emails off.

GET asks to confirm (a mail scanner that follows links turns nothing off); POST turns them
off at once, from the page's button or a mail client's one-click request (RFC 8058). The
link is the credential: it names the account or the customer by id (care.thanks), never
the address, and the page shows no address. A link that is not one of ours gets a 403
page. The page speaks the link owner's language unless the visitor chose one on the site.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import User
from care.thanks import (
    ThanksLinkInvalid,
    ThanksOwner,
    ThanksOwnerKind,
    thanks_off,
    thanks_turn_off,
    thanks_unsubscribe_owner,
)
from orders.models import Customer
from reviews.models import LANGUAGE_CODES


def _owner_language(owner: ThanksOwner) -> str:
    model = User if owner.kind == ThanksOwnerKind.USER else Customer
    return str(model.objects.filter(pk=owner.id).values_list("language", flat=True).first() or "")


def _owner_language_use(request: HttpRequest, owner: ThanksOwner) -> None:
    """The owner's language, unless the visitor chose one (signed in: the account's, which
    accounts' middleware applied; or the language switch's cookie)."""
    if request.user.is_authenticated or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "") in LANGUAGE_CODES:
        return
    language = _owner_language(owner)
    if language in LANGUAGE_CODES:
        translation.activate(language)
        request.LANGUAGE_CODE = language


# CSRF-exempt on purpose, as reviews.invitations.invitation_unsubscribe: the token in the
# URL is the credential, and a mail client's one-click POST carries no CSRF token.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def thanks_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        owner = thanks_unsubscribe_owner(token)
    except ThanksLinkInvalid:
        return render(request, "care/thanks_unsubscribe_invalid.html", status=403)
    _owner_language_use(request, owner)
    done = thanks_off(owner)
    just_now = False
    if request.method == "POST" and not done:
        just_now = thanks_turn_off(owner, now=timezone.now())
        done = True
    context = {"done": done, "just_now": just_now, "account": owner.kind == ThanksOwnerKind.USER}
    return render(request, "care/thanks_unsubscribe.html", context)
