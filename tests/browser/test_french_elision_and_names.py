"""In French, a sentence with a name elides before it ("connecté en tant qu’Élodie"), and
a display name may hold an emoji family joined by U+200D (issue 18): seen in Chromium on the
403 page and the profile, in the header too."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.integration.site.factories import PASSWORD, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"


def test_french_pages_elide_before_a_name_with_an_emoji_family(make_context: Any, live_server: Any) -> None:
    name = f"Élodie M. {FAMILY}"
    user_create(username="elodie", display_name=name, language="fr")
    page = make_context().new_page()
    sign_in(page, live_server.url, "elodie", PASSWORD)

    page.goto(f"{live_server.url}/desk/")
    expect(page.locator("main")).to_contain_text(f"Vous êtes connecté en tant qu’{name}")
    expect(page.locator(".site-nav a.account-name")).to_have_attribute("title", name)
    screenshot(page, "fr-403-elided-name-emoji-family")

    page.goto(f"{live_server.url}/accounts/profile/")
    expect(page.locator("main")).to_contain_text("Connecté en tant qu’elodie (jamais affiché aux autres).")
    expect(page.locator("#id_display_name")).to_have_value(name)
    screenshot(page, "fr-profile-elided-username")
