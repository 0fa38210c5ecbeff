"""A notice whose event recorded no threshold in its policy (events written before the
policy was stored in full, and the API's own fixtures) still renders: its averages are shown
under the threshold in force, as gate.notify does for its emails."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import PRODUCT_MANAGER
from tests.factories import user_create
from tests.integration.desk.factories import flagged_product_notice

pytestmark = pytest.mark.django_db


def test_the_notice_page_shows_an_event_without_a_recorded_threshold(client: Client) -> None:
    manager = user_create(PRODUCT_MANAGER, username="poster")
    notice = flagged_product_notice(managers=[manager], flagged_on=date(2026, 3, 2), average="2.9990")
    assert notice.flag_event.policy == {}
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": notice.pk}), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    # Flagged below the threshold in force (3): never "3.0".
    assert "<td>2.99</td>" in html and "<td>3.0</td>" not in html
