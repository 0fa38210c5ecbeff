"""The notice page's "who logged the improvement" sentence, whatever the person's display name."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from desk import services
from tests.integration.desk.factories import Story

pytestmark = pytest.mark.django_db


def _logged_sentence(page: str) -> str:
    match = re.search(r"<p>((?:Improvement logged|Amélioration enregistrée)[^<]*)</p>", page)
    assert match, "the notice page has no improvement sentence"
    return match.group(1)


def test_a_display_name_ending_with_a_period_is_not_followed_by_another(
    client: Client, withdrawn_story: Story, manager: User
) -> None:
    User.objects.filter(pk=manager.pk).update(display_name="Julia R.")
    manager.refresh_from_db()
    services.desk_improvement_log(notice=withdrawn_story.notice, by=manager, description="New zip.")
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn_story.notice.pk})).content.decode()
    sentence = _logged_sentence(page)
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    assert sentence == f"Improvement logged by Julia R. on {today}."
    assert ".." not in sentence


def test_the_french_sentence_also_ends_on_the_date(client: Client, withdrawn_story: Story, manager: User) -> None:
    User.objects.filter(pk=manager.pk).update(display_name="Julia R.", language="fr")
    manager.refresh_from_db()
    services.desk_improvement_log(notice=withdrawn_story.notice, by=manager, description="Nouvelle fermeture.")
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn_story.notice.pk})).content.decode()
    sentence = _logged_sentence(page)
    assert sentence.startswith("Amélioration enregistrée par Julia R. le ")
    assert sentence.endswith(f"{timezone.localdate().year}.") and ".." not in sentence
