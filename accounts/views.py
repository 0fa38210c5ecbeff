"""Signing up, signing in (rate-limited), the profile, the language switcher, and resetting
or changing a password (Django's views with our forms, emails and rate limits).

The language a signed-in shopper chooses is stored on the account (UserLanguageMiddleware
activates it on every request, and emails use it); the switcher and the profile both
store it, and also set Django's language cookie so the choice survives signing out.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.forms import (
    NewPasswordForm,
    PasswordChangeWithCurrentForm,
    PasswordResetRequestForm,
    ProfileForm,
    SignupForm,
)
from accounts.models import User
from accounts.roles import SHOPPER, user_add_role
from accounts.services import password_changed_announce
from core.http import safe_next_url
from core.ratelimit import rate_limit_hit, rate_limit_peek, rate_limited_response, ratelimit

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


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
        limits = (("login", None), ("login_account", f"account:{username}"))
        for scope, key in limits:
            result = rate_limit_peek(request, scope, key=key)
            if not result.allowed:
                return rate_limited_response(request, result)
        response = super().post(request, *args, **kwargs)
        if not request.user.is_authenticated:  # the form was refused: one more failure
            for scope, key in limits:
                rate_limit_hit(request, scope, key=key)
        return response


@ratelimit("signup")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    next_url = safe_next_url(request, "")
    status = 200
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                user = form.save()
                user_add_role(user, SHOPPER)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            translation.activate(user.language)
            messages.success(request, _("Welcome, %(name)s! Your account is ready.") % {"name": user.public_name})
            response = redirect(next_url or "home")
            _remember_language(response, user.language)
            return response
        status = 400
    else:
        form = SignupForm(initial={"language": translation.get_language() or settings.LANGUAGE_CODE})
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            user = form.save()
            # The confirmation is already in the newly chosen language.
            translation.activate(user.language)
            messages.success(request, _("Your profile is saved."))
            response = redirect("profile")
            _remember_language(response, user.language)
            return response
        status = 400
    else:
        form = ProfileForm(instance=user)
    return render(request, "accounts/profile.html", {"form": form}, status=status)


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


@method_decorator(ratelimit("password_reset"), name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an email address and mails a reset link (see accounts.services).

    Whether or not an account uses the address, the same "sent" page follows: the page
    must not tell a stranger who has an account. Forms are limited per client address;
    emails also per address asked for, silently, for the same reason.
    """

    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: PasswordResetRequestForm) -> HttpResponse:
        address = form.cleaned_data["email"].strip().lower()
        if rate_limit_hit(self.request, "password_reset_email", key=f"email:{address}").allowed:
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

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        result = rate_limit_peek(request, "password_change")
        if not result.allowed:
            return rate_limited_response(request, result)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordChangeWithCurrentForm) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            password_changed_announce(user=form.user)
        return response

    def form_invalid(self, form: Form) -> HttpResponse:
        if "old_password" in form.errors:
            rate_limit_hit(self.request, "password_change")
        return _refused(super().form_invalid(form))
