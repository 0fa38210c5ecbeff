"""A notice whose event recorded no threshold in its policy (events written before the
policy was stored in full, and the API's own fixtures) still renders: its averages are shown
under the threshold in force, as gate.notify does for its emails."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import PRODUCT_MANAGER
from gate.models import GateEvent, WithdrawalNotice
from gate.policy import EventKind, GateState
from tests.factories import user_create
from tests.integration.desk.factories import make_product

pytestmark = pytest.mark.django_db

FLAG_DAY = date(2026, 3, 2)


def test_the_notice_page_shows_an_event_without_a_recorded_threshold(client: Client) -> None:
    manager = user_create(PRODUCT_MANAGER, username="poster")
    product = make_product(
        managers=[manager],
        gate_state=GateState.FLAGGED,
        flagged_on=FLAG_DAY,
        withdrawal_deadline=FLAG_DAY + timedelta(days=30),
    )
    event = GateEvent.objects.create(
        product=product, day=FLAG_DAY, kind=EventKind.FLAGGED, average=Decimal("2.9990"), count=30, policy={}
    )
    notice = WithdrawalNotice.objects.create(
        product=product, flag_event=event, opened_on=FLAG_DAY, deadline=FLAG_DAY + timedelta(days=30)
    )
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": notice.pk}), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    # Flagged below the threshold in force (3): never "3.0".
    assert "<td>2.99</td>" in html and "<td>3.0</td>" not in html
