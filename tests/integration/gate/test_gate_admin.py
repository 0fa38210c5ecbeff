"""The gate's admin: improvement requests listed read-only, an improvement's importer id shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER
from gate.models import Improvement
from gate.services.approvals import improvement_request_submit
from tests.integration.desk.factories import DESK_SETTINGS, make_product

pytestmark = pytest.mark.django_db

REQUESTS = "/admin/gate/improvementrequest/"


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)
    settings.GATE_IMPROVEMENT_APPROVAL = "director"


@pytest.fixture
def admin_client(client: Client, make_user: Callable[..., User]) -> Client:
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_improvement_requests_are_listed_read_only(admin_client: Client, make_user: Callable[..., User]) -> None:
    manager = make_user(PRODUCT_MANAGER, display_name="Julia")
    product = make_product(managers=[manager], name="Tent Admin")
    waiting = improvement_request_submit(product=product, by=manager, description="New zip supplier.")

    listing = admin_client.get(REQUESTS)
    assert listing.status_code == 200
    text = listing.content.decode()
    for column in ("column-product", "column-state", "column-requested_by", "column-requested_at"):
        assert column in text
    assert "column-decided_by" in text and "column-decided_at" in text
    assert "Tent Admin" in text and "Waiting for approval" in text and manager.username in text
    assert admin_client.get(REQUESTS + "add/").status_code == 403
    detail = admin_client.get(f"{REQUESTS}{waiting.pk}/change/")
    assert detail.status_code == 200
    assert 'name="description"' not in detail.content.decode()  # shown, not editable
    assert admin_client.post(f"{REQUESTS}{waiting.pk}/delete/", {"post": "yes"}).status_code == 403


def test_an_improvements_importer_id_is_shown(admin_client: Client) -> None:
    product = make_product(name="Tent Import")
    now = timezone.now() - timedelta(days=3)
    improvement = Improvement.objects.create(
        product=product,
        logged_at=now,
        day=now.date(),
        revision=1,
        description="Imported fix.",
        source=Improvement.Source.IMPORT,
        external_id="IMP-2024-0042",
    )
    listing = admin_client.get("/admin/gate/improvement/")
    assert listing.status_code == 200
    assert "column-external_id" in listing.content.decode() and "IMP-2024-0042" in listing.content.decode()
    found = admin_client.get("/admin/gate/improvement/", {"q": "IMP-2024-0042"})
    assert list(found.context["cl"].result_list) == [improvement]
    detail = admin_client.get(f"/admin/gate/improvement/{improvement.pk}/change/")
    assert "IMP-2024-0042" in detail.content.decode()
