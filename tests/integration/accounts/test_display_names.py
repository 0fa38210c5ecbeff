"""Display names: required (at most 60 characters), never the username, on the sign-up
and profile forms, in User.public_name, and filled by a migration for legacy accounts,
together with the reviews that showed their login name."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import user_create
from tests.integration.accounts.conftest import signup_form
from tests.integration.site.factories import product_create, review_create

pytestmark = pytest.mark.django_db

fill = importlib.import_module("accounts.migrations.0005_user_display_name_required").blank_display_names_filled


@pytest.mark.parametrize(
    ("display_name", "message"),
    [
        ("", "Choose the name shown with your reviews."),
        ("   ", "Choose the name shown with your reviews."),
        ("Camille75", "Choose a display name other than your username: your username stays private."),
        ("x" * 61, "Ensure this value has at most 60 characters (it has 61)."),
    ],
)
def test_signup_needs_a_display_name_that_is_not_the_username(client: Client, display_name: str, message: str) -> None:
    response = client.post(reverse("signup"), signup_form(display_name=display_name))
    assert response.status_code == 400
    assert f'<ul class="errorlist" id="id_display_name_error"><li>{message}</li></ul>' in response.content.decode()
    assert not User.objects.filter(username="camille75").exists()


def test_sixty_characters_are_enough(client: Client) -> None:
    assert client.post(reverse("signup"), signup_form(display_name="x" * 60)).status_code == 302
    assert User.objects.get(username="camille75").display_name == "x" * 60


@pytest.mark.parametrize("display_name", ["", "SAM"])
def test_the_profile_keeps_a_display_name_that_is_not_the_username(client: Client, display_name: str) -> None:
    user = user_create(username="sam", display_name="Sam B.")
    client.force_login(user)
    response = client.post(reverse("profile"), {"display_name": display_name, "email": user.email, "language": "en"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.display_name == "Sam B."


def test_the_signup_form_says_the_username_stays_private(client: Client) -> None:
    page = client.get(reverse("signup")).content.decode()
    assert "Shown with your reviews, at most 60 characters. Your username stays private." in page
    field = re.search(r'<input[^>]*name="display_name"[^>]*>', page)
    assert field and 'maxlength="60"' in field.group(0) and " required" in field.group(0)


def test_public_name_is_never_the_username() -> None:
    legacy = user_create(username="jdoe.private", display_name="")
    assert legacy.public_name == f"Customer {legacy.pk}"
    assert user_create(display_name="Jo").public_name == "Jo"


def test_the_migration_fills_blank_names_and_the_reviews_that_showed_the_username(client: Client) -> None:
    legacy = user_create(username="jdoe.private", display_name="")
    named = user_create(username="named", display_name="Named N.")
    product = product_create(sku="DN-1")
    leaked = review_create(product=product, author=legacy, author_name="jdoe.private")
    chosen = review_create(product=product, author=named, author_name="named", title="Kept as written")
    fill(apps, None)
    legacy.refresh_from_db()
    leaked.refresh_from_db()
    chosen.refresh_from_db()
    assert legacy.display_name == f"Customer {legacy.pk}"
    assert leaked.author_name == f"Customer {legacy.pk}"
    assert chosen.author_name == "named"  # its author had a display name: a name they chose
    page = client.get(f"/products/{product.sku}/").content.decode()
    api = client.get(f"/api/v1/products/{product.sku}/reviews/").content.decode()
    for text in (page, api):
        assert f"Customer {legacy.pk}" in text and "jdoe.private" not in text


def test_a_review_by_an_account_without_a_name_shows_the_neutral_name(client: Client) -> None:
    legacy = user_create(username="jdoe.private", display_name="")
    product = product_create(sku="DN-2")
    review_create(product=product, author=legacy)
    page = client.get(f"/products/{product.sku}/").content.decode()
    assert f"Customer {legacy.pk}" in page and "jdoe.private" not in page


def test_the_admin_adds_and_changes_accounts(client: Client) -> None:
    client.force_login(user_create(username="root", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:accounts_user_add")).status_code == 200
    added = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "added",
            "usable_password": "false",
            "display_name": "Added A.",
            "email": "added@example.com",
            "language": "en",
        },
    )
    assert added.status_code == 302, added.content.decode()[:3000]
    assert User.objects.filter(username="added", display_name="Added A.", email="added@example.com").exists()
    legacy = user_create(display_name="")
    assert client.get(reverse("admin:accounts_user_change", args=[legacy.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
