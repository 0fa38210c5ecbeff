"""A refused action on the notice page is shown on the notice page (issue 18, item 7): a
manager clicks "Acknowledge" on a notice that recovered since the page was loaded."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from accounts.roles import PRODUCT_MANAGER
from gate.models import WithdrawalNotice
from tests.browser.conftest import screenshot, sign_in
from tests.integration.desk.factories import DESK_SETTINGS, PASSWORD, flagged_story, user_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_acknowledging_a_notice_closed_meanwhile_shows_why_on_the_notice_page(
    page: Any, live_server: Any, settings: Any
) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)
    manager = user_create(PRODUCT_MANAGER, username="julia", display_name="Julia")
    story = flagged_story(managers=[manager])
    sign_in(page, live_server.url, "julia", PASSWORD)
    notice_url = f"{live_server.url}/desk/notices/{story.notice.pk}/"
    page.goto(notice_url)
    WithdrawalNotice.objects.filter(pk=story.notice.pk).update(state=WithdrawalNotice.State.RECOVERED)

    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state()
    assert page.url.split("#")[0] == notice_url  # the page's own address, not an action's
    alert = page.locator("#handling-refused")
    expect(alert).to_be_visible()
    expect(page.get_by_role("heading", name="Handling")).to_be_visible()
    screenshot(page, "notice-acknowledge-refused")
