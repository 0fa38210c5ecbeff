"""Every cookie the site sets carries Secure, HttpOnly where no script needs it, and
SameSite, read from the Set-Cookie headers of real responses under production settings.

The cookies: the session and CSRF cookies (Django's), and the language cookie, set by
Django's /i18n/setlang/ and by the account's language form (accounts.views, the project's
only own set_cookie). The settings module itself is loaded with DEBUG=0, as deployed, to
show the flags are its defaults and not this test's overrides.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from tests.conftest import REPO_ROOT
from tests.factories import user_create

pytestmark = pytest.mark.django_db

# What tests/conftest.py relaxes for plain HTTP, put back as production has it.
PRODUCTION = {
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "LANGUAGE_COOKIE_SECURE": True,
}


def set_cookie_headers(response: Any) -> dict[str, dict[str, str | bool]]:
    """The Set-Cookie lines exactly as the WSGI handler sends them, parsed by hand:
    {name: {attribute (lower case): value, or True for a flag}}."""
    parsed: dict[str, dict[str, str | bool]] = {}
    for morsel in response.cookies.values():
        line = morsel.output(header="").strip()  # what django.core.handlers.wsgi sends
        first, *attributes = (part.strip() for part in line.split(";"))
        name, _, _value = first.partition("=")
        flags: dict[str, str | bool] = {}
        for attribute in attributes:
            key, sep, value = attribute.partition("=")
            flags[key.lower()] = value if sep else True
        parsed[name] = flags
    return parsed


def test_production_settings_give_the_language_cookie_the_session_cookies_flags() -> None:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SAMESITE, "
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "0", "SECRET_KEY": "k" * 60}
    env.pop("SESSION_COOKIE_SECURE", None)
    env.pop("LANGUAGE_COOKIE_SECURE", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, True, "Lax", True, "Lax", True]


@override_settings(**PRODUCTION)
def test_setlang_sets_a_secure_httponly_lax_language_cookie(client: Any) -> None:
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, secure=True)
    assert response.status_code == 302
    cookie = set_cookie_headers(response)[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["secure"] is True and cookie["httponly"] is True and cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"


@override_settings(**PRODUCTION)
def test_every_cookie_of_sign_in_and_the_language_form_is_flagged(client: Any) -> None:
    user_create("shopper", username="ana", email="ana@example.test", password="correct horse battery")
    client.get("/accounts/login/", secure=True)  # the CSRF cookie
    signed_in = client.post("/accounts/login/", {"username": "ana", "password": "correct horse battery"}, secure=True)
    assert signed_in.status_code == 302
    language = client.post("/accounts/language/", {"language": "fr", "next": "/"}, secure=True)
    assert language.status_code == 302

    cookies = {**set_cookie_headers(signed_in), **set_cookie_headers(language)}
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME} <= set(cookies)
    for name, flags in cookies.items():
        assert flags.get("secure") is True, name
        assert flags.get("samesite") == "Lax", name
    # The CSRF cookie stays readable by scripts (Django's default; no script of ours reads it).
    assert cookies[settings.SESSION_COOKIE_NAME].get("httponly") is True
    assert cookies[settings.LANGUAGE_COOKIE_NAME].get("httponly") is True


def test_the_language_switch_still_works_with_an_httponly_cookie(client: Any) -> None:
    """The switch is a form posted to the server and the cookie is read by LocaleMiddleware:
    no script reads it, so HttpOnly breaks nothing."""
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    page = client.get("/")
    assert page["Content-Language"] == "fr"
