from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.integration.site.factories import (
    PASSWORD,
    product_create,
    product_withdraw,
    reviews_bulk_create,
    user_create,
)

pytestmark = pytest.mark.django_db

SIGNUP = {
    "username": "camille75",
    "email": "camille@example.com",
    "display_name": "Camille",
    "language": "fr",
    "password1": "a-very-long-passphrase-7",
    "password2": "a-very-long-passphrase-7",
}


def test_signup_creates_an_unconfirmed_shopper_says_check_your_email_and_remembers_the_language(
    client: Client,
) -> None:
    response = client.post(reverse("signup"), {**SIGNUP, "next": "/products/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/?next=%2Fproducts%2F"
    user = User.objects.get(username="camille75")
    assert user.language == "fr" and user.display_name == "Camille"
    assert user.email_verified_at is None
    assert user.groups.filter(name="shopper").exists()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    # Not signed in by the request: that would tell a new address from a known one.
    assert "_auth_user_id" not in client.session
    sent = client.get(response["Location"]).content.decode()
    assert '<html lang="fr">' in sent and "Consultez vos e-mails" in sent
    assert 'href="/accounts/login/?next=/products/"' in sent
    signed_in = client.post(reverse("login"), {"username": "camille75", "password": SIGNUP["password1"]})
    assert signed_in.status_code == 302
    html = client.get("/products/").content.decode()
    assert '<html lang="fr">' in html
    assert "Camille" in html and "camille75" not in html


def test_signup_errors_are_a_400(client: Client) -> None:
    user_create(username="camille75")
    response = client.post(reverse("signup"), {**SIGNUP, "password2": "different", "email": "nope"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "A user with that username already exists." in html
    assert "Enter a valid email address." in html
    assert "The two password fields didn’t match." in html


def test_login_page_signs_in_and_goes_next(client: Client) -> None:
    user_create(username="sam")
    response = client.post(reverse("login"), {"username": "sam", "password": PASSWORD, "next": "/about/reviews/"})
    assert response.status_code == 302 and response["Location"] == "/about/reviews/"
    client.logout()
    bad = client.post(reverse("login"), {"username": "sam", "password": "wrong"})
    assert "Please enter a correct username and password." in bad.content.decode()


def test_profile_needs_an_account(client: Client) -> None:
    response = client.get(reverse("profile"))
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/accounts/profile/"


def test_profile_stores_the_language_and_switches_to_it(client: Client) -> None:
    user = user_create(language="en")
    client.force_login(user)
    response = client.post(
        reverse("profile"), {"display_name": "Sam", "email": "sam@example.com", "language": "fr"}, follow=True
    )
    user.refresh_from_db()
    assert user.language == "fr" and user.display_name == "Sam"
    assert '<html lang="fr">' in response.content.decode()


def test_language_switcher_stores_a_signed_in_users_choice(client: Client) -> None:
    user = user_create(language="en")
    client.force_login(user)
    response = client.post(reverse("language_set"), {"language": "fr", "next": "/products/"})
    assert response.status_code == 302 and response["Location"] == "/products/"
    user.refresh_from_db()
    assert user.language == "fr"
    # The stored choice wins over the browser's.
    assert '<html lang="fr">' in client.get("/products/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_language_switcher_for_anonymous_sets_the_cookie(client: Client) -> None:
    response = client.post(reverse("language_set"), {"language": "fr", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert '<html lang="fr">' in client.get("/").content.decode()
    assert client.post(reverse("language_set"), {"language": "xx", "next": "/"}).status_code == 302


def test_browser_language_is_used_without_a_choice(client: Client) -> None:
    assert '<html lang="fr">' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="en">' in client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()


def test_numbers_and_dates_are_localised_in_french(client: Client) -> None:
    product = product_create(sku="FR-1")
    reviews_bulk_create(product=product, ratings=[4, 3])
    product_withdraw(product, on=date(2026, 2, 3))
    html = client.get(f"/products/{product.sku}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<span class="average-number">3,5</span>' in html
    assert "3 février 2026" in html
    assert "3,0" in html  # the threshold


def test_every_page_has_the_switcher_with_csrf(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'action="/accounts/language/"' in html
    switcher = html.split('class="language-switcher"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in switcher
    assert '<option value="fr" lang="fr">Français</option>' in switcher
