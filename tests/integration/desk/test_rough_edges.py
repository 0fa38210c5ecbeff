"""Issue 18's rough edges in desk messages: a name ending in "." (an abbreviated public
name, "Julia R.") followed by the sentence's full stop is written with one full stop, and the
bulk moderation error names its field with a translated label."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.integration.desk.factories import Story

pytestmark = pytest.mark.django_db

FRENCH_MONTHS = {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."}


def test_a_notice_assigned_to_an_abbreviated_name_ends_with_one_full_stop(
    client: Client, story: Story, manager: User
) -> None:
    manager.display_name = "Julia R."
    manager.save(update_fields=["display_name"])
    client.force_login(manager)
    page_url = reverse("desk:notice", kwargs={"pk": story.notice.pk})
    page = client.post(page_url, {"form": "assign", "assignee": manager.pk}, follow=True).content.decode()
    assert "Notice assigned to Julia R." in page
    assert "Julia R.." not in page


def test_the_bulk_moderation_error_names_its_field_with_a_label(client: Client, moderator: User) -> None:
    client.force_login(moderator)
    response = client.post(reverse("desk:moderation"), {"form": "decide", "decision": "approve:selected"})
    page = response.content.decode()
    assert "Select at least one review." in page
    assert "Selected reviews: Select at least one review." in page
    assert "Reviews: " not in page


def test_the_notice_chart_writes_its_days_in_french_months(client: Client, story: Story, manager: User) -> None:
    manager.language = "fr"
    manager.save(update_fields=["language"])
    client.force_login(manager)
    page = client.get(
        reverse("desk:notice", kwargs={"pk": story.notice.pk}), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    axis_days = re.findall(r">(\d+(?:er)? [^<\d]+)</text>", svg)
    assert axis_days
    assert all(day.split(" ", 1)[1] in FRENCH_MONTHS for day in axis_days), axis_days
