"""The topics' phrase lists in a real browser (issue 17, item 1): a quality director adds a
phrase to a topic's English list and removes it again, from the desk page. The page fixture
fails the test on any CSP violation, JavaScript error or dialog."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from accounts.roles import QUALITY_DIRECTOR
from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, user_create
from topics.models import Topic, TopicPhrase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_director_adds_and_removes_a_phrase(page: Any, live_server: Any) -> None:
    director = user_create(QUALITY_DIRECTOR, username="marc", display_name="Marc")

    sign_in(page, live_server.url, "marc", PASSWORD)
    page.goto(f"{live_server.url}/desk/topics/phrases/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Topic phrases")
    page.locator("#id_topic").select_option(label="Delivery")
    page.locator("#id_language").select_option("en")
    page.locator("#id_phrase").fill("Parcel arrived late")
    page.get_by_role("button", name="Add the phrase").click()

    expect(page.locator(".messages")).to_contain_text("“Parcel arrived late” now finds Delivery in English reviews.")
    added = TopicPhrase.objects.get(phrase="Parcel arrived late")
    assert (added.topic.key, added.language, added.stems, added.created_by) == (
        "delivery",
        "en",
        "parcel arriv late",
        director,
    )
    row = page.locator(f"#phrase-{added.pk}")
    expect(row).to_contain_text("parcel arriv late")
    expect(row).to_contain_text("Marc")
    screenshot(page, "topic-phrases-added", full_page=False)  # the redirect shows the topic's lists

    row.get_by_role("button", name="Remove “Parcel arrived late” (English)").click()
    expect(page.locator(".messages")).to_contain_text("“Parcel arrived late” no longer finds Delivery.")
    expect(page.locator(f"#phrase-{added.pk}")).to_have_count(0)
    assert not TopicPhrase.objects.filter(pk=added.pk).exists()


def test_removing_a_phrase_someone_removed_meanwhile_shows_why_on_the_page(page: Any, live_server: Any) -> None:
    user_create(QUALITY_DIRECTOR, username="marc", display_name="Marc")
    topic = Topic.objects.get(key="delivery")
    gone = TopicPhrase.objects.create(topic=topic, language="en", phrase="hovercraft parcel", stems="hovercraft parcel")
    TopicPhrase.objects.create(topic=topic, language="en", phrase="zeppelin parcel", stems="zeppelin parcel")

    sign_in(page, live_server.url, "marc", PASSWORD)
    page.goto(f"{live_server.url}/desk/topics/phrases/")
    gone.delete()  # another director, in another tab
    page.get_by_role("button", name="Remove “hovercraft parcel” (English)").click()

    alert = page.locator("#removal-refused")
    expect(alert).to_have_text("This phrase is no longer listed: someone removed it already.")
    assert page.url == f"{live_server.url}/desk/topics/phrases/"  # the page's address, to reload or share
    expect(page.get_by_role("heading", level=1)).to_have_text("Topic phrases")
    expect(page.get_by_role("button", name="Remove “zeppelin parcel” (English)")).to_be_visible()
    screenshot(page, "topic-phrases-removal-refused", full_page=False)
