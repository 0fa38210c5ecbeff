"""Signing up, signing in (rate-limited), the profile and the language switcher.

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
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts.forms import ProfileForm, SignupForm
from accounts.models import User
from accounts.roles import SHOPPER, user_add_role
from config.ratelimit import rate_limit_hit, rate_limit_peek, rate_limited_response, ratelimit

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


def _next_url(request: HttpRequest, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


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
    next_url = _next_url(request, "")
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
