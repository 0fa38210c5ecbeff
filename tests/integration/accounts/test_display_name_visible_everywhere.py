"""The visible-name rule (core.text_safety.validate_display_name: no blank letters, no
stacked marks, emoji sequences kept) holds on every way in: sign-up, profile, admin, a
guest's name on the review form and the API (issue 18)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from reviews.api.serializers import ReviewInputSerializer
from reviews.forms import ReviewForm
from tests.factories import user_create
from tests.integration.accounts.conftest import signup_form

pytestmark = pytest.mark.django_db

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"
FILLER = "\u3164"
ZALGO = "Z\u0351\u0302\u036ba\u0358\u034al\u0310\u0350g\u0357o"
BLANK = "A name is visible text"
STACKED = "A name is readable text"


def test_signup_accepts_an_emoji_family(client: Client) -> None:
    response = client.post(reverse("signup"), signup_form(display_name=f"Camille {FAMILY}"))
    assert response.status_code == 302
    assert User.objects.get(username="camille75").display_name == f"Camille {FAMILY}"


@pytest.mark.parametrize(("name", "message"), [(FILLER, BLANK), (FILLER * 3, BLANK), (ZALGO, STACKED)])
def test_signup_refuses_blank_and_stacked_names(client: Client, name: str, message: str) -> None:
    response = client.post(reverse("signup"), signup_form(display_name=name))
    assert response.status_code == 400 and message in response.content.decode()
    assert not User.objects.filter(username="camille75").exists()


def test_the_profile_refuses_a_filler_in_french(client: Client) -> None:
    user = user_create(username="sam", display_name="Sam B.", language="fr")
    client.force_login(user)
    response = client.post(reverse("profile"), {"display_name": FILLER, "email": user.email, "language": "fr"})
    assert response.status_code == 400
    assert "Un nom est un texte visible" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == "Sam B."


def test_the_admin_refuses_a_braille_blank(client: Client) -> None:
    client.force_login(user_create(username="root", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "added",
            "usable_password": "false",
            "display_name": "\u2800",
            "email": "added@example.com",
            "language": "en",
        },
    )
    assert response.status_code == 200 and BLANK in response.content.decode()
    assert not User.objects.filter(username="added").exists()


def test_a_guest_name_on_the_form_and_the_api() -> None:
    body = "Long enough to be a review body."
    form = ReviewForm(
        data={"rating": "4", "title": "Fine", "body": body, "author_name": f"Jo{FILLER}"}, ask_author_name=True
    )
    assert not form.is_valid() and str(form.errors["author_name"][0]).startswith(BLANK)
    accepted = ReviewInputSerializer(data={"rating": 4, "title": "Fine", "body": body, "author_name": f"Jo {FAMILY}"})
    assert accepted.is_valid(), accepted.errors
    with translation.override("fr"):
        refused = ReviewInputSerializer(data={"rating": 4, "title": "Fine", "body": body, "author_name": ZALGO})
        assert not refused.is_valid()
        assert str(refused.errors["author_name"][0]).startswith("Un nom est un texte lisible")
