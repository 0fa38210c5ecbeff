"""Reads of the gate: who sees which notices, the live notice, the average series of a chart."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR
from gate.models import GateEvent
from gate.policy import GatePolicy
from gate.selectors import (
    gate_event_list,
    product_average_series,
    withdrawal_notice_list,
)
from gate.services import gate_evaluate_through, gate_policy_from_settings
from tests.factories import product_create, user_create

from .helpers import add_reviews, noon, policy_settings

pytestmark = pytest.mark.django_db

DAY = date(2024, 6, 1)


@pytest.fixture(autouse=True)
def _policy(settings: Any) -> None:
    policy_settings(
        settings,
        GatePolicy.build(threshold="3.0", grace_days=2, min_reviews=2, window_days=3, timezone="Europe/Paris"),
    )


def test_notices_are_shown_to_the_products_managers_and_quality_directors_only() -> None:
    policy = gate_policy_from_settings()
    manager = user_create(PRODUCT_MANAGER)
    mine, other = product_create(managers=[manager]), product_create()
    for product in (mine, other):
        add_reviews(product, noon(policy, DAY), [1, 2])
    gate_evaluate_through(through=DAY)

    assert [notice.product for notice in withdrawal_notice_list(user=manager)] == [mine]
    assert len(withdrawal_notice_list(user=user_create(QUALITY_DIRECTOR))) == 2
    assert not withdrawal_notice_list(user=user_create("shopper")).exists()
    assert not withdrawal_notice_list(user=AnonymousUser()).exists()
    assert [event.kind for event in gate_event_list(product=mine)] == ["flagged"]


def test_the_average_series_is_what_the_gate_counted_each_day() -> None:
    policy = gate_policy_from_settings()
    product = product_create()
    add_reviews(product, noon(policy, DAY), [1, 2])
    add_reviews(product, noon(policy, DAY + timedelta(days=1)), [5])

    series = product_average_series(
        product=product, first=DAY - timedelta(days=1), last=DAY + timedelta(days=4), policy=policy
    )

    assert [(point.day, point.count, point.total) for point in series] == [
        (DAY - timedelta(days=1), 0, 0),
        (DAY, 2, 3),
        (DAY + timedelta(days=1), 3, 8),
        (DAY + timedelta(days=2), 3, 8),
        (DAY + timedelta(days=3), 1, 5),  # the first day's reviews left the 3-day window
        (DAY + timedelta(days=4), 0, 0),
    ]
    assert series[1].average == Decimal("1.5")
    assert series[0].average is None


def test_the_admin_lists_the_gate_history_and_offers_no_way_to_rewrite_it(client: Any) -> None:
    policy = gate_policy_from_settings()
    add_reviews(product_create(), noon(policy, DAY), [1, 2])
    gate_evaluate_through(through=DAY)
    admin = user_create(username="root", email="root@example.test", is_staff=True, is_superuser=True)
    client.force_login(admin)

    for model in ("gateevent", "improvement", "withdrawalnotice", "gateclock"):
        assert client.get(f"/admin/gate/{model}/").status_code == 200
    assert client.get("/admin/gate/gateevent/add/").status_code == 403
    event_id = GateEvent.objects.get().pk
    assert client.post(f"/admin/gate/gateevent/{event_id}/delete/", {"post": "yes"}).status_code == 403
    assert GateEvent.objects.count() == 1
