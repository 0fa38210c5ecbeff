"""Confirming an email address: the link emailed after sign-up (signed, expiring, in the
account's language, built by the worker), what opening it does (valid, tampered, expired,
reused, for an old address), sending it again, and a new address on the profile."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.events import EmailVerified, email_verified
from accounts.models import User
from accounts.verification import EMAIL_VERIFY_SALT, VerifyOutcome, email_verify, email_verify_url
from notifications.models import OutboxMessage
from tests.factories import user_create
from tests.integration.accounts.conftest import link_in, path_of, signup_form, worker_sends

pytestmark = pytest.mark.django_db

DAY = 24 * 3600


def _token(user: User) -> str:
    return email_verify_url(user).rstrip("/").rsplit("/", 1)[-1]


def _link_made_seconds_ago(monkeypatch: pytest.MonkeyPatch, user: User, seconds: int) -> str:
    # signing stamps the token with time.time(): make it as if sent `seconds` ago.
    made_at = time.time() - seconds
    with monkeypatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: made_at)
        return path_of(email_verify_url(user))


def test_signup_emails_a_link_in_the_accounts_language_that_confirms_the_address(
    client: Client, mailoutbox: list[mail.EmailMessage], verified_facts: list[EmailVerified]
) -> None:
    client.post(reverse("signup"), signup_form(language="fr"))
    user = User.objects.get(username="camille75")
    assert user.email_verified_at is None
    assert worker_sends() == 1
    [message] = mailoutbox
    assert message.to == ["camille@example.com"]
    assert message.extra_headers["Content-Language"] == "fr"
    assert "Camille D." in message.body and "camille75" not in message.body
    link = path_of(link_in(message))
    browser = Client()
    opened = browser.get(link)
    assert opened.status_code == 200 and "Confirm your email address" in opened.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is None and not verified_facts  # opening it confirms nothing
    confirmed = browser.post(link)
    assert confirmed.status_code == 200 and "Your email address is confirmed" in confirmed.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert [(fact.user.pk, fact.at) for fact in verified_facts] == [(user.pk, user.email_verified_at)]


def test_the_topic_is_published_inside_the_confirmations_transaction() -> None:
    user = user_create(email_verified=False)

    def refuse(fact: EmailVerified) -> None:
        raise RuntimeError("a subscriber failed")

    email_verified.subscribe(refuse)
    try:
        with pytest.raises(RuntimeError):
            email_verify(token=_token(user))
    finally:
        email_verified.unsubscribe(refuse)
    user.refresh_from_db()
    assert user.email_verified_at is None  # rolled back with the subscriber's failure


def test_a_tampered_link_confirms_nothing(client: Client, verified_facts: list[EmailVerified]) -> None:
    victim = user_create(email_verified=False)
    link = path_of(email_verify_url(victim))
    token = link.rstrip("/").rsplit("/", 1)[-1]
    forged_other_salt = signing.dumps({"u": victim.pk, "a": token}, salt="accounts.password_reset")
    for bad in (
        link.replace(token, token[:-1] + ("A" if token[-1] != "A" else "B")),
        link.replace(token, forged_other_salt),
        "/accounts/email/confirm/not-a-token/",
    ):
        response = client.get(bad)
        assert response.status_code == 400, bad
        assert "This link does not work" in response.content.decode()
    victim.refresh_from_db()
    assert victim.email_verified_at is None and verified_facts == []


def test_an_expired_link_confirms_nothing_and_says_so(
    client: Client, monkeypatch: pytest.MonkeyPatch, verified_facts: list[EmailVerified]
) -> None:
    user = user_create(email_verified=False)
    link = _link_made_seconds_ago(monkeypatch, user, 3 * DAY + 60)
    response = client.get(link)
    page = response.content.decode()
    assert response.status_code == 400 and "This link has expired" in page
    assert "A confirmation link works for 3 days." in page
    user.refresh_from_db()
    assert user.email_verified_at is None and verified_facts == []


def test_the_lifetime_follows_the_setting(client: Client, monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.ACCOUNT_EMAIL_VERIFY_DAYS = 1
    user = user_create(email_verified=False)
    assert email_verify(token=_link_made_seconds_ago(monkeypatch, user, DAY + 60).split("/")[-2]) == "expired"
    assert email_verify(token=_link_made_seconds_ago(monkeypatch, user, DAY - 60).split("/")[-2]) == "verified"


def test_a_reused_link_says_already_confirmed_and_publishes_once(
    client: Client, verified_facts: list[EmailVerified]
) -> None:
    user = user_create(email_verified=False)
    link = path_of(email_verify_url(user))
    assert client.post(link).status_code == 200
    user.refresh_from_db()
    first = user.email_verified_at
    again = client.post(link)
    assert again.status_code == 200 and "Your email address is already confirmed" in again.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at == first and len(verified_facts) == 1


def test_an_expired_link_of_a_confirmed_account_is_harmless(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    user = user_create(email_verified=True)
    response = client.get(_link_made_seconds_ago(monkeypatch, user, 10 * DAY))
    assert response.status_code == 200 and "already confirmed" in response.content.decode()


def test_a_link_for_an_address_the_account_no_longer_uses_confirms_nothing() -> None:
    user = user_create(email="old@example.com", email_verified=False)
    token = _token(user)
    User.objects.filter(pk=user.pk).update(email="new@example.com")
    assert email_verify(token=token) == VerifyOutcome.INVALID
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_the_link_holds_no_address() -> None:
    user = user_create(email="private.person@example.com", email_verified=False)
    token = _token(user)
    assert "private.person" not in str(signing.loads(token, salt=EMAIL_VERIFY_SALT))


# --- Sending it again ---------------------------------------------------------------------


def test_an_unconfirmed_account_sees_it_on_its_profile_and_can_ask_for_a_new_link(
    client: Client, mailoutbox: list[mail.EmailMessage]
) -> None:
    user = user_create(email="sam@example.com", email_verified=False)
    client.force_login(user)
    profile = client.get(reverse("profile")).content.decode()
    assert "Your email address sam@example.com is not confirmed yet" in profile
    assert f'action="{reverse("email_verify_send")}"' in profile
    response = client.post(reverse("email_verify_send"), follow=True)
    assert "We have sent a new link to sam@example.com. It works for 3 days." in response.content.decode()
    assert OutboxMessage.objects.filter(kind="account_verify", recipient=user).count() == 1
    assert worker_sends() == 1
    assert client.post(path_of(link_in(mailoutbox[0]))).status_code == 200
    user.refresh_from_db()
    assert user.email_verified
    assert "Your email address sam@example.com is confirmed." in client.get(reverse("profile")).content.decode()


def test_asking_again_is_rate_limited_per_address(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"password_reset_email": (2, 3600)}
    user = user_create(email="sam@example.com", email_verified=False)
    client.force_login(user)
    assert client.post(reverse("email_verify_send")).status_code == 302
    assert client.post(reverse("email_verify_send")).status_code == 302
    refused = client.post(reverse("email_verify_send"))
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()
    assert OutboxMessage.objects.filter(kind="account_verify").count() == 2


def test_a_confirmed_account_asking_again_gets_nothing(client: Client) -> None:
    client.force_login(user_create(email_verified=True))
    response = client.post(reverse("email_verify_send"), follow=True)
    assert "Your email address is already confirmed." in response.content.decode()
    assert not OutboxMessage.objects.filter(kind="account_verify").exists()


def test_the_send_page_needs_an_account(client: Client) -> None:
    response = client.post(reverse("email_verify_send"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_link_confirmed_before_the_worker_sends_it_is_not_sent(mailoutbox: list[mail.EmailMessage]) -> None:
    user = user_create(email_verified=False)
    client = Client()
    client.force_login(user)
    client.post(reverse("email_verify_send"))
    User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
    worker_sends()
    assert mailoutbox == []
    assert OutboxMessage.objects.get(kind="account_verify").status == OutboxMessage.Status.SENT


# --- A new address on the profile ---------------------------------------------------------


def test_a_new_address_is_unconfirmed_and_gets_a_link(client: Client, mailoutbox: list[mail.EmailMessage]) -> None:
    user = user_create(email="sam@example.com", display_name="Sam", email_verified=True)
    client.force_login(user)
    response = client.post(
        reverse("profile"), {"display_name": "Sam", "email": "sam.new@example.com", "language": "en"}, follow=True
    )
    page = response.content.decode()
    assert "We have sent a link to sam.new@example.com: open it to confirm your new address." in page
    assert "Your email address sam.new@example.com is not confirmed yet" in page
    user.refresh_from_db()
    assert user.email == "sam.new@example.com" and user.email_verified_at is None
    assert worker_sends() == 1
    [message] = mailoutbox
    assert message.to == ["sam.new@example.com"]
    client.post(path_of(link_in(message)))
    user.refresh_from_db()
    assert user.email_verified


def test_the_same_address_in_another_case_stays_confirmed(client: Client) -> None:
    user = user_create(email="sam@example.com", display_name="Sam", email_verified=True)
    client.force_login(user)
    client.post(reverse("profile"), {"display_name": "Sam", "email": "Sam@Example.com", "language": "en"})
    user.refresh_from_db()
    assert user.email_verified and not OutboxMessage.objects.filter(kind="account_verify").exists()


def test_a_mail_scanner_following_the_link_confirms_nothing(verified_facts: list[EmailVerified]) -> None:
    """Anyone may sign up with anyone's address: if opening the link confirmed it, the
    scanner of the real owner's mailbox (or a preview) would confirm it for them, and a
    confirmed address takes that customer's invitations (docs/invitations.md). A GET or a
    HEAD shows the button; only its POST confirms."""
    user = user_create(email_verified=False)
    link = path_of(email_verify_url(user))
    scanner = Client()
    assert scanner.get(link).status_code == 200
    assert scanner.head(link).status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is None and verified_facts == []
    assert scanner.put(link).status_code == 405
