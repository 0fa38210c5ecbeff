"""The site's 400, 403, 404 and 500 pages with DEBUG off: in the site's layout, in the
request's language, each with a way back; the API keeps its JSON errors; a refused
permission is logged without a traceback (core/error_pages.py)."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.roles import SHOPPER
from tests.factories import user_create

pytestmark = pytest.mark.django_db

ERROR_URLS = "tests.integration.site.error_urls"


@pytest.fixture(autouse=True)
def _debug_off(settings: Any) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = ERROR_URLS


def _page(response: Any) -> str:
    return response.content.decode()


def _in_layout(html: str, language: str) -> None:
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "<main" in html and "<h1>" in html


def test_unknown_address_answers_the_styled_404_with_ways_back(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = _page(response)
    _in_layout(html, "en")
    assert "Page not found" in html
    assert f'href="{reverse("home")}"' in html and "Back to the products" in html
    assert "The requested resource was not found on this server" not in html  # Django's bare page


def test_the_404_speaks_the_visitors_language(client: Client) -> None:
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    html = _page(response)
    _in_layout(html, "fr")
    assert "Retour aux produits" in html


def test_a_shopper_opening_the_desk_is_told_it_is_for_staff(client: Client) -> None:
    shopper = user_create(SHOPPER, display_name="Lea")
    client.force_login(shopper)
    response = client.get("/desk/")
    assert response.status_code == 403
    html = _page(response)
    _in_layout(html, "en")
    assert "The desk is for staff" in html
    assert "You are signed in as Lea" in html
    assert f'href="{reverse("home")}"' in html
    assert f'href="{reverse("review_mine")}"' in html
    assert "403 Forbidden" not in html


def test_a_refused_page_offers_sign_in_to_a_visitor(client: Client) -> None:
    response = client.get("/test-errors/forbidden/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 403
    html = _page(response)
    _in_layout(html, "fr")
    assert f'href="{reverse("login")}?next=/test-errors/forbidden/"' in html
    assert "Se connecter" in html and "Retour aux produits" in html


def test_a_bad_request_answers_the_styled_400(client: Client) -> None:
    response = client.get("/test-errors/bad/")
    assert response.status_code == 400
    html = _page(response)
    _in_layout(html, "en")
    assert "Bad request" in html and f'href="{reverse("home")}"' in html


def test_a_bug_answers_the_styled_500(client: Client) -> None:
    client.raise_request_exception = False
    response = client.get("/test-errors/boom/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 500
    html = _page(response)
    _in_layout(html, "fr")
    assert "Retour aux produits" in html
    assert "Server Error (500)" not in html  # Django's bare page


def test_the_500_page_needs_no_request_and_no_database(django_assert_num_queries: Any) -> None:
    """It is rendered as Django's server_error renders it: without the request, so no context
    processor runs; and it reads nothing from the database, which may be what failed."""
    with translation.override("fr"), django_assert_num_queries(0):
        html = loader.render_to_string("500.html")
    _in_layout(html, "fr")
    assert "Se connecter" not in html  # nothing about the user, who may be signed in


def test_a_form_refused_by_the_csrf_check_gets_the_styled_403(client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    user = user_create(SHOPPER)
    strict.force_login(user)
    response = strict.post(reverse("review_mine"), {"anything": "1"})
    assert response.status_code == 403
    html = _page(response)
    _in_layout(html, "en")
    assert "Form not sent" in html and "reload the page" in html
    assert f'href="{reverse("home")}"' in html


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [("/api/no-such-endpoint/", 404, "not_found"), ("/test-errors/forbidden/", 403, "permission_denied")],
)
def test_json_clients_keep_json_errors(client: Client, path: str, status: int, code: str) -> None:
    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == code


def test_a_refused_permission_is_logged_as_a_warning_without_traceback(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    # The filter sits on the logger (settings.LOGGING), so caplog's handler sees what the console would.
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/test-errors/forbidden/")
    records = [record for record in caplog.records if record.name == "django.request"]
    assert [record.levelno for record in records] == [logging.WARNING]
    assert records[0].exc_info is None
    assert not re.search(r"Traceback", caplog.text)


def test_a_server_error_keeps_its_traceback(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        client.get("/test-errors/boom/")
    records = [record for record in caplog.records if record.name == "django.request"]
    assert records and records[0].exc_info is not None


def test_an_abbreviated_name_is_not_followed_by_a_second_full_stop(client: Client) -> None:
    shopper = user_create(SHOPPER, display_name="Lea P.")
    client.force_login(shopper)
    html = _page(client.get("/desk/"))
    assert "You are signed in as Lea P. If you work here" in html
    assert "Lea P.." not in html
