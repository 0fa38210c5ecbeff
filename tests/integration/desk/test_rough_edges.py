"""Issue 18's rough edges in desk messages: a name ending in "." (an abbreviated public
name, "Julia R.") followed by the sentence's full stop is written with one full stop, and the
bulk moderation error names its field with a translated label."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.integration.desk.factories import Story

pytestmark = pytest.mark.django_db


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
