"""Signing up, confirming the email address, signing in (rate-limited), the profile, the
language switcher, and resetting or changing a password (Django's views with our forms,
emails and rate limits).

The language a signed-in shopper chooses is stored on the account (UserLanguageMiddleware
activates it on every request, and emails use it); the switcher and the profile both
store it, and also set Django's language cookie so the choice survives signing out.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import BaseForm, Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language

from accounts.forms import (
    NewPasswordForm,
    PasswordChangeWithCurrentForm,
    PasswordResetRequestForm,
    ProfileForm,
    SignupForm,
)
from accounts.models import User
from accounts.requests import acting_user
from accounts.services import password_changed_announce
from accounts.signup import account_signup
from accounts.verification import (
    VerifyOutcome,
    email_change_unverifies,
    email_verify,
    email_verify_check,
    email_verify_days,
    email_verify_request,
)
from core.http import safe_next_url
from core.ratelimit import (
    RateLimitResult,
    RateLimitTaken,
    rate_limit_hit,
    rate_limit_message,
    rate_limited_form,
    rate_limited_response,
    rate_limits_take,
)

# Emails to one mailbox (reset links and confirmation links alike), per address.
EMAILS_TO_ONE_ADDRESS = "password_reset_email"

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)

# Said under a refused form's limit message: what was typed is still there.
SIGNUP_KEPT = gettext_lazy("What you typed is kept below (enter your password again): send it again then.")
RESET_KEPT = gettext_lazy("Your address is kept below: send it again then.")


def _remember_language(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class LoginView(auth_views.LoginView):
    """Django's sign-in page, limiting failed attempts per client address and per account
    name tried. Only failures count, so people who sign in often are never refused."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = (request.POST.get("username") or "").strip().lower()
        # Counted BEFORE the password is checked, atomically, and given back on success:
        # counting only after a failure let every attempt in flight pass the same check.
        taken = rate_limits_take(request, [("login", None), ("login_account", f"account:{username}")])
        if taken.refused:
            return rate_limited_response(request, taken.refused)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            taken.refund()
        return response


def _rate_limited_form(
    request: HttpRequest, template: str, context: dict[str, Any], form: BaseForm, refused: RateLimitResult, kept: str
) -> HttpResponse:
    """A valid form refused by a limit, shown again with what was typed and which limit
    was reached (core.ratelimit.rate_limited_form)."""
    form.add_error(None, f"{rate_limit_message(refused)} {kept}")
    return rate_limited_form(request, template, {**context, "form": form}, refused)


def signup(request: HttpRequest) -> HttpResponse:
    """The sign-up form; a valid one always leads to the same "check your email" page,
    whether the address was new or another account's (accounts.signup).

    Sign-ups are limited per client address, counting only valid forms: the form is
    checked first, then the limit taken atomically, then the account made.
    """
    if request.user.is_authenticated:
        return redirect("home")
    next_url = safe_next_url(request, "")
    status = 200
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            taken = rate_limits_take(request, [("signup", None)])
            if taken.refused:
                context = {"next": next_url}
                kept = str(SIGNUP_KEPT)
                return _rate_limited_form(request, "accounts/signup.html", context, form, taken.refused, kept)
            data = form.cleaned_data
            account_signup(
                username=data["username"],
                email=data["email"],
                display_name=data["display_name"],
                language=data["language"],
                password=data["password1"],
            )
            # The language chosen on the form (known either way), not the account's.
            translation.activate(data["language"])
            response = redirect(f"{reverse('signup_done')}{'?' + urlencode({'next': next_url}) if next_url else ''}")
            _remember_language(response, data["language"])
            return response
        status = 400
    else:
        form = SignupForm(initial={"language": translation.get_language() or settings.LANGUAGE_CODE})
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


@require_safe
def signup_done(request: HttpRequest) -> HttpResponse:
    """ "Check your email": the same words whether the address was new or known."""
    next_url = safe_next_url(request, "")
    return render(request, "accounts/signup_done.html", {"next": next_url})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    previous_email = user.email
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                new_address = email_change_unverifies(user=user, previous_email=previous_email)
            # The confirmation is already in the newly chosen language.
            translation.activate(user.language)
            messages.success(request, _("Your profile is saved."))
            if new_address:
                messages.info(
                    request,
                    _("We have sent a link to %(email)s: open it to confirm your new address.") % {"email": user.email},
                )
            response = redirect("profile")
            _remember_language(response, user.language)
            return response
        status = 400
        # The refused form wrote its values onto the instance: the status shows the stored ones.
        user = User.objects.get(pk=user.pk)
    else:
        form = ProfileForm(instance=user)
    return render(request, "accounts/profile.html", {"form": form, "account": user}, status=status)


# --- Confirming the email address ---------------------------------------------------------

VERIFY_PAGE_STATUS = {
    VerifyOutcome.PENDING: 200,
    VerifyOutcome.VERIFIED: 200,
    VerifyOutcome.ALREADY: 200,
    VerifyOutcome.EXPIRED: 400,
    VerifyOutcome.INVALID: 400,
}


@require_http_methods(["GET", "HEAD", "POST"])
def email_verify_view(request: HttpRequest, token: str) -> HttpResponse:
    """The page a confirmation link opens. Opening it confirms nothing: a mail scanner or a
    preview that follows links would otherwise confirm an address for whoever signed up
    with it; its button (a POST) confirms. Then: confirmed, already confirmed (harmless),
    expired or not valid, each with what to do next. The token never leaves this page:
    the referrer policy is same-origin and the page links only to the site."""
    outcome = email_verify(token=token) if request.method == "POST" else email_verify_check(token=token)
    context = {"outcome": str(outcome), "valid_days": email_verify_days()}
    return render(request, "accounts/email_verify.html", context, status=VERIFY_PAGE_STATUS[outcome])


@login_required
def email_verify_send(request: HttpRequest) -> HttpResponse:
    """GET: whether the address is confirmed, with a button; POST: a new link.

    Links to one address are limited with reset links, per address (rate limit scope
    EMAILS_TO_ONE_ADDRESS), so the button cannot flood anybody's mailbox.
    """
    user = acting_user(request)
    if request.method == "POST":
        if user.email_verified:
            messages.info(request, _("Your email address is already confirmed."))
            return redirect("profile")
        if not user.email:
            messages.error(request, _("Enter an email address on your profile first."))
            return redirect("profile")
        result = rate_limit_hit(request, EMAILS_TO_ONE_ADDRESS, key=f"email:{user.email.strip().lower()}")
        if not result.allowed:
            return rate_limited_response(request, result)
        email_verify_request(user=user)
        days = email_verify_days()
        sent = ngettext(
            "We have sent a new link to %(email)s. It works for %(days)s day.",
            "We have sent a new link to %(email)s. It works for %(days)s days.",
            days,
        )
        messages.success(request, sent % {"email": user.email, "days": days})
        return redirect("email_verify_send")
    return render(request, "accounts/email_verify_send.html", {"account": user})


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, safe redirect) that also stores a signed-in user's choice;
    without that, the account's stored language would win again on the next page."""
    response = set_language(request)
    code = request.POST.get("language", "")
    user = request.user
    if code in LANGUAGE_CODES and user.is_authenticated and isinstance(user, User) and user.language != code:
        User.objects.filter(pk=user.pk).update(language=code)
    return response


# --- Forgotten password -------------------------------------------------------------------


def _refused(response: HttpResponse) -> HttpResponse:
    # A form sent back with errors is a 400, as on the sign-up and profile pages.
    response.status_code = 400
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an email address and queues a reset email (see accounts.services).

    Whether or not an account uses the address, the same "sent" page follows: the page
    must not tell a stranger who has an account. Valid forms are limited per client
    address (taken once the address is valid, atomically; over it the form comes back
    with the address, 429); emails also per address asked for, silently, for the same
    reason.
    """

    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        taken = rate_limits_take(self.request, [("password_reset", None)])
        if taken.refused:
            context, template = self.get_context_data(form=form), self.get_template_names()[0]
            return _rate_limited_form(self.request, template, context, form, taken.refused, str(RESET_KEPT))
        address = form.cleaned_data["email"].strip().lower()
        if rate_limit_hit(self.request, EMAILS_TO_ONE_ADDRESS, key=f"email:{address}").allowed:
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())

    def form_invalid(self, form: Form) -> HttpResponse:
        return _refused(super().form_invalid(form))


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The page a reset link opens: a new password, twice.

    It does not sign the person in: they sign in with the new password right after, which
    also lets their browser store it under their username. Setting it signs the account
    out everywhere else (the session's hash follows the password) and emails a notice.
    """

    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")
    post_reset_login = False

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            password_changed_announce(user=form.user)
        return response

    def form_invalid(self, form: Form) -> HttpResponse:
        return _refused(super().form_invalid(form))


# --- Changing the password ----------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in user's new password, given the current one (Django keeps this session
    signed in and signs the others out). Wrong current passwords are limited per account."""

    form_class = PasswordChangeWithCurrentForm
    success_url = reverse_lazy("password_change_done")
    password_change_taken: RateLimitTaken | None = None

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Counted BEFORE the current password is checked, atomically, and given back unless
        # it was wrong (as LoginView): counting only after a failure let every attempt in
        # flight pass the same check.
        taken = rate_limits_take(request, [("password_change", None)])
        if taken.refused:
            return rate_limited_response(request, taken.refused)
        self.password_change_taken = taken
        return super().post(request, *args, **kwargs)

    def _give_back(self) -> None:
        if self.password_change_taken is not None:
            self.password_change_taken.refund()

    def form_valid(self, form: PasswordChangeWithCurrentForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            password_changed_announce(user=form.user)
        self._give_back()
        return response

    def form_invalid(self, form: Form) -> HttpResponse:
        # Only a wrong current password counts; a new password refused for itself does not.
        if "old_password" not in form.errors:
            self._give_back()
        return _refused(super().form_invalid(form))
