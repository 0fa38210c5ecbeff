"""Forgotten and changed passwords, through the pages: the request (queued in the outbox,
sent by the worker, which builds the link), the email (language, link on SITE_URL), the
link (valid, used, expired, tampered), the new password, the "changed" notice through the
outbox, rate limits, and changing a password when signed in."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.forms import PasswordChangeWithCurrentForm
from accounts.services import password_reset_link_lifetime, password_reset_url
from core.ratelimit import rate_limit_peek
from notifications.delivery import outbox_sweep
from notifications.models import OutboxMessage
from tests.integration.site.factories import PASSWORD, user_create

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-99"
SITE = "https://shop.example"
NBSP = "\u00a0"  # French puts one before ":" and "?", and inside « »
LINK = re.compile(r"^(https?://\S+/accounts/password/reset/[^/\s]+/[^/\s]+/)$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _ask(client: Client, email: str, **extra: Any) -> Any:
    response = client.post(reverse("password_reset"), {"email": email}, **extra)
    outbox_sweep()  # the worker: the request only queued the email
    return response


def _link_in(message: mail.EmailMessage) -> str:
    links = LINK.findall(str(message.body))
    assert len(links) == 1, message.body
    return str(links[0])


def _path(url: str) -> str:
    assert url.startswith(SITE + "/"), url
    return url[len(SITE) :]


def _without_csrf(page: bytes) -> str:
    # The language switcher's CSRF token is masked afresh on every page.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Asking for a link ----------------------------------------------------------------------


def test_the_sign_in_page_links_to_the_reset_page(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "Forgot your password?" in page


def test_the_reset_page_has_a_labelled_focused_email_field(client: Client) -> None:
    response = client.get("/accounts/password/reset/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_email">Email address' in page
    field = re.search(r"<input[^>]*id=\"id_email\"[^>]*>", page)
    assert field and "autofocus" in field.group(0) and 'autocomplete="email"' in field.group(0)


def test_a_known_address_gets_the_link_in_the_accounts_language_on_site_url(
    client: Client, mailoutbox: list[mail.EmailMessage], settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["*"]  # a misconfigured proxy lets a forged Host header through
    user = user_create(username="camille", email="camille@example.com", display_name="Camille", language="fr")
    response = _ask(client, "Camille@Example.com", HTTP_HOST="evil.example", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    [message] = mailoutbox
    assert message.to == ["camille@example.com"]
    assert message.subject == "[reviewgate] Réinitialisez votre mot de passe"
    assert message.extra_headers["Content-Language"] == "fr"
    assert "Bonjour Camille," in message.body and f"Votre nom d’utilisateur{NBSP}: camille" in message.body
    assert "Le lien fonctionne une seule fois, pendant 3 jours." in message.body
    link = _link_in(message)
    assert link.startswith(f"{SITE}/accounts/password/reset/") and "evil.example" not in message.body
    assert link.split("/")[-3] == urlsafe_base64_encode(force_bytes(user.pk))
    assert not getattr(message, "alternatives", None)  # plain text, like every email of the site


def test_an_english_account_gets_an_english_email_from_a_french_page(
    client: Client, mailoutbox: list[mail.EmailMessage]
) -> None:
    user_create(username="sam", email="sam@example.com", language="en")
    client.cookies["django_language"] = "fr"
    _ask(client, "sam@example.com")
    [message] = mailoutbox
    assert message.subject == "[reviewgate] Reset your password"
    assert "Your username: sam" in message.body and "The link works once, for 3 days." in message.body


def test_an_unknown_address_gets_the_same_sent_page_and_no_email(
    client: Client, mailoutbox: list[mail.EmailMessage]
) -> None:
    user_create(username="sam", email="sam@example.com")
    known = _ask(client, "sam@example.com", follow=True)
    unknown = _ask(client, "nobody@example.com", follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [("/accounts/password/reset/sent/", 302)]
    assert _without_csrf(known.content) == _without_csrf(unknown.content)
    assert "If an account uses the address you entered" in unknown.content.decode()
    assert len(mailoutbox) == 1


def test_inactive_accounts_get_no_link(client: Client, mailoutbox: list[mail.EmailMessage]) -> None:
    user_create(username="gone", email="gone@example.com", is_active=False)
    assert _ask(client, "gone@example.com")["Location"] == "/accounts/password/reset/sent/"
    assert mailoutbox == []


def test_an_invalid_address_is_a_400_with_the_error_tied_to_the_field(client: Client) -> None:
    response = _ask(client, "not-an-address")
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="form-errors"' in page and 'href="#id_email"' in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_email_error"' in page
    assert '<ul class="errorlist" id="id_email_error"><li>Enter a valid email address.</li></ul>' in page


class _BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail server is down")


def test_a_mail_server_failure_leaves_the_email_queued_and_the_page_the_same(
    client: Client, settings: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}._BrokenMailServer"
    user = user_create(email="sam@example.com")
    response = _ask(client, "sam@example.com")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    queued = OutboxMessage.objects.get(kind="password_reset")
    assert queued.recipient == user and queued.status == OutboxMessage.Status.PENDING
    assert "the mail server is down" in queued.last_error
    # Back up later: the retry builds a fresh link and sends it.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.filter(pk=queued.pk).update(next_attempt_at=queued.created_at)
    assert outbox_sweep() == 1
    assert _link_in(mailoutbox[0]).startswith(f"{SITE}/accounts/password/reset/")


def test_the_reset_form_is_rate_limited_per_client(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"password_reset": (2, 3600)}
    assert _ask(client, "a@example.com").status_code == 302
    assert _ask(client, "not-an-address").status_code == 400  # invalid input: not counted
    assert _ask(client, "b@example.com").status_code == 302
    refused = _ask(client, "c@example.com")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    page = refused.content.decode()
    assert "Too many requests: at most 2 per hour." in page
    assert "Your address is kept below: send it again then." in page
    assert 'value="c@example.com"' in page  # what was typed is kept
    assert client.get(reverse("password_reset")).status_code == 200  # reading the page is free


def test_emails_to_one_address_are_limited_silently(
    client: Client, settings: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    settings.RATELIMITS = {"password_reset_email": (2, 3600)}
    user_create(email="sam@example.com")
    responses = [_ask(Client(REMOTE_ADDR=f"10.0.0.{n}"), "SAM@example.com") for n in range(1, 4)]
    assert [r["Location"] for r in responses] == ["/accounts/password/reset/sent/"] * 3
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(259200, (3, "days")), (86400, (1, "days")), (3600, (1, "hours")), (5400, (2, "hours")), (60, (1, "hours"))],
)
def test_the_email_never_promises_more_time_than_the_token_gives(
    settings: Any, seconds: int, expected: tuple[int, str]
) -> None:
    settings.PASSWORD_RESET_TIMEOUT = seconds
    assert password_reset_link_lifetime() == expected


def test_a_short_token_lifetime_is_said_in_hours(
    client: Client, settings: Any, mailoutbox: list[mail.EmailMessage]
) -> None:
    settings.PASSWORD_RESET_TIMEOUT = 2 * 3600
    user_create(email="sam@example.com")
    _ask(client, "sam@example.com")
    assert "The link works once, for 2 hours." in mailoutbox[0].body


# --- Following the link ---------------------------------------------------------------------


def _requested_link(client: Client, mailoutbox: list[mail.EmailMessage], email: str) -> str:
    _ask(client, email)
    return _path(_link_in(mailoutbox[-1]))


def test_the_link_sets_the_new_password_without_signing_in(client: Client, mailoutbox: list[mail.EmailMessage]) -> None:
    user = user_create(username="sam", email="sam@example.com")
    link = _requested_link(client, mailoutbox, "sam@example.com")
    # Django moves the token into the session, so it leaves the address bar (and Referer).
    opened = client.get(link)
    assert opened.status_code == 302 and opened["Location"].endswith("/set-password/")
    form_page = client.get(opened["Location"])
    page = form_page.content.decode()
    assert form_page.status_code == 200 and "Choose a new password" in page
    assert "For your account “sam”." in page
    assert 'autocomplete="username" value="sam"' in page and 'autocomplete="new-password"' in page
    done = client.post(opened["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)
    assert not _signed_in(client)
    complete = client.get(done["Location"]).content.decode()
    assert "Your password is changed" in complete and f'href="{reverse("login")}"' in complete
    signed_in = client.post(reverse("login"), {"username": "sam", "password": NEW_PASSWORD})
    assert signed_in.status_code == 302 and _signed_in(client)


def test_a_used_link_no_longer_works(client: Client, mailoutbox: list[mail.EmailMessage]) -> None:
    user_create(email="sam@example.com")
    link = _requested_link(client, mailoutbox, "sam@example.com")
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link)
    page = again.content.decode()
    assert again.status_code == 200
    assert "This link no longer works" in page and 'name="new_password1"' not in page
    assert f'href="{reverse("password_reset")}"' in page


def test_a_tampered_link_does_not_work(client: Client, mailoutbox: list[mail.EmailMessage]) -> None:
    victim = user_create(email="victim@example.com")
    attacker = user_create(email="attacker@example.com")
    link = _requested_link(client, mailoutbox, "attacker@example.com")
    uid, token = link.rstrip("/").split("/")[-2:]
    other_uid = password_reset_url(user=victim).rstrip("/").split("/")[-2]
    assert uid != other_uid
    for bad in (link.replace(uid, other_uid), link.replace(token, token[:-1] + "x"), "/accounts/password/reset/x/y/"):
        assert "This link no longer works" in Client().get(bad).content.decode()
    attacker.refresh_from_db()
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD) and attacker.check_password(PASSWORD)


class _ThreeDaysAgo(PasswordResetTokenGenerator):
    def _now(self) -> datetime:
        return datetime.now() - timedelta(days=3, minutes=1)


def test_an_expired_link_does_not_work(client: Client) -> None:
    user = user_create()
    link = _path(password_reset_url(user=user, token_generator=_ThreeDaysAgo()))
    assert "This link no longer works" in client.get(link).content.decode()


def test_new_passwords_that_differ_are_a_400_and_change_nothing(
    client: Client, mailoutbox: list[mail.EmailMessage]
) -> None:
    user = user_create(email="sam@example.com")
    form_url = client.get(_requested_link(client, mailoutbox, "sam@example.com"))["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    assert response.status_code == 400
    assert "The two password fields didn’t match." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_new_password_signs_out_every_other_session_and_emails_a_notice(
    client: Client, mailoutbox: list[mail.EmailMessage]
) -> None:
    user = user_create(username="sam", email="sam@example.com", language="fr", display_name="Sam")
    elsewhere = Client()
    elsewhere.force_login(user)
    assert elsewhere.get(reverse("profile")).status_code == 200
    form_url = client.get(_requested_link(client, mailoutbox, "sam@example.com"))["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert elsewhere.get(reverse("profile"))["Location"] == "/accounts/login/?next=/accounts/profile/"
    notice = OutboxMessage.objects.get(kind="password_changed")
    assert notice.recipient == user and "token" not in str(notice.payload)
    mailoutbox.clear()
    assert outbox_sweep() == 1
    [message] = mailoutbox
    assert message.subject == "[reviewgate] Votre mot de passe a été modifié"
    assert f"Le mot de passe de votre compte reviewgate «{NBSP}sam{NBSP}» vient d’être modifié." in message.body
    assert f"{SITE}/accounts/password/reset/" in message.body


# --- Changing the password when signed in ---------------------------------------------------


def test_the_profile_links_to_the_change_page(client: Client) -> None:
    client.force_login(user_create())
    assert f'href="{reverse("password_change")}"' in client.get(reverse("profile")).content.decode()


@pytest.mark.parametrize("url", ["/accounts/password/change/", "/accounts/password/change/done/"])
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={url}"


def test_changing_needs_the_current_password(client: Client) -> None:
    user = user_create()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "The current password you entered is wrong. Please enter it again." in page
    assert 'href="#id_old_password"' in page and 'aria-describedby="id_old_password_error"' in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not OutboxMessage.objects.filter(kind="password_changed").exists()


def test_changing_keeps_this_session_signs_out_the_others_and_emails_a_notice(client: Client) -> None:
    user = user_create(username="sam")
    client.force_login(user)
    elsewhere = Client()
    elsewhere.force_login(user)
    page = client.get(reverse("password_change")).content.decode()
    assert "Current password" in page and 'autocomplete="current-password"' in page
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password/change/done/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert "Your password is changed" in client.get(response["Location"]).content.decode()
    assert client.get(reverse("profile")).status_code == 200
    assert elsewhere.get(reverse("profile")).status_code == 302
    assert OutboxMessage.objects.filter(kind="password_changed", recipient=user).count() == 1


def test_wrong_current_passwords_are_limited_per_account(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"password_change": (2, 900)}
    user = user_create()
    client.force_login(user)
    wrong = {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("password_change"), wrong).status_code == 400
    assert client.post(reverse("password_change"), wrong).status_code == 400
    right = {**wrong, "old_password": PASSWORD}
    assert client.post(reverse("password_change"), right).status_code == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_change_is_counted_before_the_current_password_is_checked(
    client: Client, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counted first, atomically (as sign-in): attempts in flight at once cannot all pass
    a check made before any of them is counted."""
    settings.RATELIMITS = {"password_change": (5, 900)}
    user = user_create()
    client.force_login(user)
    counted_while_checking: list[int] = []
    check = PasswordChangeWithCurrentForm.clean_old_password

    def spied(form: PasswordChangeWithCurrentForm) -> str:
        counter = rate_limit_peek(RequestFactory().get("/"), "password_change", key=f"user:{user.pk}")
        counted_while_checking.append(counter.count)
        return check(form)

    monkeypatch.setattr(PasswordChangeWithCurrentForm, "clean_old_password", spied)
    wrong = {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("password_change"), wrong).status_code == 400
    assert client.post(reverse("password_change"), wrong).status_code == 400
    assert counted_while_checking == [1, 2]


def test_only_wrong_current_passwords_keep_their_count(client: Client, settings: Any) -> None:
    settings.RATELIMITS = {"password_change": (1, 900)}
    user = user_create()
    client.force_login(user)
    mismatched = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "something-else-42"}
    assert client.post(reverse("password_change"), mismatched).status_code == 400  # given back
    right = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(reverse("password_change"), right).status_code == 302  # given back
    again = {"old_password": NEW_PASSWORD, "new_password1": PASSWORD + "x", "new_password2": PASSWORD + "x"}
    wrong = {**again, "old_password": "guess"}
    assert client.post(reverse("password_change"), wrong).status_code == 400  # kept: 1 of 1
    refused = client.post(reverse("password_change"), again)
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 900
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_the_pages_are_in_french_for_a_french_visitor(client: Client) -> None:
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("password_reset")).content.decode()
    assert '<html lang="fr"' in page and "Réinitialiser votre mot de passe" in page
    assert f"Mot de passe oublié{NBSP}?" in client.get(reverse("login")).content.decode()
    user = user_create(username="fr", email="", language="fr")
    client.force_login(user)
    assert "Mot de passe actuel" in client.get(reverse("password_change")).content.decode()
