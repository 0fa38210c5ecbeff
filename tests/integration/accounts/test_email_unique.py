"""One account per email address, whatever its case: sign-up (refused without telling
anyone but the owner), the profile (refused with a clear message), the database, and the
migration that settles addresses already shared before the constraint."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import User
from notifications.models import OutboxMessage
from tests.factories import user_create
from tests.integration.accounts.conftest import RESET_LINK, SITE, signup_form, worker_sends

pytestmark = pytest.mark.django_db

settle = importlib.import_module("accounts.migrations.0004_user_email_unique").shared_addresses_settled


def _without_csrf(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def test_signup_with_an_address_in_use_in_another_case_keeps_it_for_its_owner_and_tells_them(
    client: Client, mailoutbox: list[mail.EmailMessage]
) -> None:
    owner = user_create(username="owner", email="camille@example.com", display_name="Camille", language="fr")
    response = client.post(reverse("signup"), signup_form(email="CAMILLE@Example.com"))
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/sent/"
    # An account is made as for a new address (so signing in tells nothing), without the
    # address: it can never confirm one, so its reviews never count.
    assert User.objects.get(username="camille75").email == ""
    assert User.objects.filter(email__iexact="camille@example.com").get() == owner
    [queued] = OutboxMessage.objects.all()
    assert queued.kind == "account_taken" and queued.recipient == owner
    assert worker_sends() == 1
    [message] = mailoutbox
    assert message.to == ["camille@example.com"] and message.extra_headers["Content-Language"] == "fr"
    assert "Bonjour Camille," in message.body
    assert f"{SITE}/accounts/password/reset/" in message.body and f"{SITE}/accounts/login/" in message.body
    assert RESET_LINK.search(str(message.body)) is None  # a way to reset, not a reset link


def test_signup_answers_the_same_page_for_a_new_and_a_known_address(client: Client) -> None:
    user_create(email="known@example.com")
    known = Client().post(reverse("signup"), signup_form(username="first", email="known@example.com"), follow=True)
    new = Client().post(reverse("signup"), signup_form(username="second", email="new@example.com"), follow=True)
    assert known.redirect_chain == new.redirect_chain == [("/accounts/signup/sent/", 302)]
    assert _without_csrf(known.content) == _without_csrf(new.content)
    assert "Check your email" in new.content.decode()
    assert "_auth_user_id" not in known.client.session and "_auth_user_id" not in new.client.session


def test_the_profile_refuses_another_accounts_address_in_any_case(client: Client) -> None:
    user_create(email="taken@example.com")
    user = user_create(email="sam@example.com", display_name="Sam")
    client.force_login(user)
    response = client.post(reverse("profile"), {"display_name": "Sam", "email": "Taken@EXAMPLE.com", "language": "en"})
    page = response.content.decode()
    assert response.status_code == 400
    assert '<ul class="errorlist" id="id_email_error"><li>Another account already uses this email address.' in page
    assert "Your email address sam@example.com is confirmed." in page  # the stored one, not the refused one
    user.refresh_from_db()
    assert user.email == "sam@example.com" and user.email_verified


def test_the_database_refuses_a_second_account_with_the_address_in_another_case() -> None:
    user_create(email="sam@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="other", email="SAM@example.com", display_name="Other")
    # Accounts without an address are not one address.
    user_create(email="")
    user_create(email="")


def test_the_admin_refuses_a_taken_address_with_the_message(client: Client) -> None:
    user_create(email="taken@example.com")
    admin = user_create(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    target = user_create(username="target", email="target@example.com", display_name="Target")
    change = reverse("admin:accounts_user_change", args=[target.pk])
    assert client.get(change).status_code == 200
    form = {
        "username": "target",
        "email": "TAKEN@example.com",
        "display_name": "Target",
        "language": "en",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    page = client.post(change, form).content.decode()
    assert "Another account already uses this email address." in page
    target.refresh_from_db()
    assert target.email == "target@example.com"


def _constraint_sql(action: str) -> str:
    [constraint] = [c for c in User._meta.constraints if c.name == "accounts_user_email_unique"]
    editor = connection.schema_editor()
    return str(getattr(constraint, f"{action}_sql")(User, editor))


def test_the_migration_keeps_the_oldest_accounts_address_blanks_the_others_and_reports(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with connection.cursor() as cursor:  # the database as it was before the constraint
        cursor.execute(_constraint_sql("remove"))
    oldest = user_create(username="oldest", email="Shared@example.com")
    newer = user_create(username="newer", email="shared@EXAMPLE.com")
    newest = user_create(username="newest", email="SHARED@example.com")
    alone = user_create(username="alone", email="alone@example.com")
    settle(apps, None)
    report = capsys.readouterr().out
    assert f"kept by account {oldest.pk}; blanked for account(s) {newer.pk}, {newest.pk}" in report
    assert "shared@example.com" not in report.lower()  # accounts by id, never by address
    emails = dict(User.objects.filter(pk__in=[oldest.pk, newer.pk, newest.pk, alone.pk]).values_list("pk", "email"))
    assert emails == {oldest.pk: "Shared@example.com", newer.pk: "", newest.pk: "", alone.pk: "alone@example.com"}
    assert not User.objects.get(pk=newer.pk).email_verified
    with connection.cursor() as cursor:  # and so the constraint can be added
        cursor.execute(_constraint_sql("create"))
