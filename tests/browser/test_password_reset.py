"""A forgotten password in a real browser: from the sign-in page to the emailed link, a new
password, and signing in with it; and changing a password from the profile. The page
fixture fails a test on any CSP violation, JavaScript error or dialog."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from notifications.delivery import outbox_sweep
from tests.browser.conftest import screenshot
from tests.integration.site.factories import PASSWORD, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "a-brand-new-passphrase-99"
NEW_LABEL = re.compile(r"^New password\b(?! confirmation)")  # the label ends with the "required" star


@pytest.fixture(autouse=True)
def _site(settings: Any, live_server: Any) -> None:
    settings.SITE_URL = live_server.url  # the email's link opens the live server
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_forgotten_password_from_the_sign_in_page_to_signing_in_with_the_new_one(page: Any, live_server: Any) -> None:
    user = user_create(username="riley", email="riley@example.com", display_name="Riley")
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, "login-with-forgot-link")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    email_field = page.get_by_label("Email address")
    expect(email_field).to_be_focused()

    # Sent empty: the error summary takes the focus and links to the field it is about.
    page.get_by_role("button", name="Email me a link").click()
    expect(page.locator("#form-errors")).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text("This field is required.")
    expect(email_field).to_have_attribute("aria-invalid", "true")
    screenshot(page, "password-reset-errors")
    page.get_by_role("alert").get_by_role("link", name="Email address").click()
    expect(email_field).to_be_focused()

    email_field.fill("riley@example.com")
    screenshot(page, "password-reset-form")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_role("status")).to_contain_text("If an account uses the address you entered")
    screenshot(page, "password-reset-sent")

    assert mail.outbox == []  # the request only queued it: the worker builds the link and sends
    assert outbox_sweep() == 1
    [email] = mail.outbox
    assert email.to == ["riley@example.com"] and "Your username: riley" in str(email.body)
    [link] = re.findall(rf"^{re.escape(live_server.url)}/accounts/password/reset/\S+/$", str(email.body), re.M)
    page.goto(link)
    page.wait_for_url(re.compile(r"/set-password/$"))  # the token left the address bar
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    expect(page.get_by_label(NEW_LABEL)).to_be_focused()
    page.get_by_label(NEW_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    screenshot(page, "password-reset-new-password")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")
    screenshot(page, "password-reset-complete")

    page.get_by_role("main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill("riley")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Riley")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link worked once.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    expect(page.get_by_role("link", name="Ask for a new link")).to_be_visible()
    screenshot(page, "password-reset-link-used")


def test_change_the_password_from_the_profile(page: Any, live_server: Any) -> None:
    user_create(username="sam", email="sam@example.com", display_name="Sam")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    # Opened by address: Playwright aims a click at the header link's first box, its
    # 1-pixel visually hidden "Profile:" prefix, where the list item takes the pointer.
    page.goto(f"{live_server.url}/accounts/profile/")
    screenshot(page, "profile-with-password-link")
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    expect(page.get_by_label("Current password")).to_be_focused()

    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label(NEW_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("alert")).to_contain_text("The current password you entered is wrong")
    expect(page.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    screenshot(page, "password-change-errors")

    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_label(NEW_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Sam")  # still signed in here
    screenshot(page, "password-change-done")
    assert User.objects.get(username="sam").check_password(NEW_PASSWORD)
