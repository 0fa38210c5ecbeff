"""The sign-up limit counts only valid forms, taken once the form is valid and before the
account is made; a refused form comes back with what was typed (429, Retry-After), and
nothing is written or queued for it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from notifications.models import OutboxMessage
from tests.factories import user_create
from tests.integration.accounts.conftest import signup_form

pytestmark = pytest.mark.django_db


def _newcomer(number: int, **changes: str) -> dict[str, str]:
    own = {"username": f"newcomer{number}", "email": f"newcomer{number}@example.com"}
    own["display_name"] = f"Newcomer {number}"
    return signup_form(**{**own, **changes})


def test_invalid_sign_ups_never_count_toward_the_limit(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"signup": (1, 3600)}
    for invalid in (_newcomer(1, password2="different"), _newcomer(1, email="nope"), _newcomer(1, display_name="")):
        assert client.post(reverse("signup"), invalid).status_code == 400
    assert client.post(reverse("signup"), _newcomer(1)).status_code == 302
    assert User.objects.filter(username="newcomer1").exists()


def test_a_refused_sign_up_keeps_what_was_typed_and_makes_nothing(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"signup": (1, 3600)}
    assert client.post(reverse("signup"), _newcomer(1)).status_code == 302
    rows_before = OutboxMessage.objects.count()
    refused = client.post(reverse("signup"), {**_newcomer(2, display_name="Dominique R."), "next": "/products/"})
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert 'id="form-errors"' in page
    assert "Too many requests: at most 1 per hour." in page and "Please try again in" in page
    assert "What you typed is kept below (enter your password again): send it again then." in page
    for kept in ('value="newcomer2"', 'value="newcomer2@example.com"', 'value="Dominique R."', 'value="/products/"'):
        assert kept in page
    assert not User.objects.filter(username="newcomer2").exists()
    assert OutboxMessage.objects.count() == rows_before


def test_a_known_address_is_limited_like_a_new_one(client: Client, settings: Any) -> None:
    """The limit must not tell the two apart either: both count, both are refused alike."""
    settings.RATELIMITS = {"signup": (1, 3600)}
    user_create(email="taken@example.com")
    assert client.post(reverse("signup"), _newcomer(1, email="taken@example.com")).status_code == 302
    assert client.post(reverse("signup"), _newcomer(2)).status_code == 429
    other = Client(REMOTE_ADDR="10.0.9.9")
    assert other.post(reverse("signup"), _newcomer(3)).status_code == 302
    assert other.post(reverse("signup"), _newcomer(4, email="taken@example.com")).status_code == 429
