"""The admin's API key form picks the key's owner by name, in a real browser under the
site's Content-Security-Policy (issue 18, item 12)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from apikeys.models import ApiKey
from tests.browser.conftest import screenshot, sign_in
from tests.integration.site.factories import PASSWORD, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_administrator_finds_the_owner_by_display_name(live_server: Any, page: Any) -> None:
    user_create(username="root", is_staff=True, is_superuser=True, display_name="Root")
    owner = user_create(username="erp-robot", display_name="Warehouse sync")
    user_create(username="someone", display_name="Someone else")
    sign_in(page, live_server.url, "root", PASSWORD)

    page.goto(f"{live_server.url}/admin/apikeys/apikey/add/")
    page.get_by_label("Name").fill("ERP")
    page.locator(".field-owner .select2-selection").click()
    page.locator(".select2-search__field").fill("wareh")
    # Found by its display name, listed with it and the login (User.__str__).
    option = page.locator(".select2-results__option")
    expect(option).to_have_count(1)
    expect(option).to_have_text("Warehouse sync (erp-robot)")
    screenshot(page, "admin-api-key-owner-autocomplete", full_page=False)
    option.click()
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("body")).to_contain_text("rg_")
    assert ApiKey.objects.get(name="ERP").owner == owner
