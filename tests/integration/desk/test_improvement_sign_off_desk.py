"""Improvement sign-off on the desk (GATE_IMPROVEMENT_APPROVAL = "director"): every step
leaves its audit row, and the desk leads to the waiting requests."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import MODERATOR
from core.errors import Conflict
from desk.approvals import desk_improvement_request_submit
from desk.models import AuditEntry
from gate.models import Improvement, ImprovementRequest
from gate.services.approvals import improvement_request_submit
from tests.integration.desk.factories import Story, similar_praise

pytestmark = pytest.mark.django_db

REQUESTS_URL = reverse("desk:improvement_requests")
FIX: dict[str, Any] = {"description": "New zip supplier; seams taped.", "public_note": "Since today: a stronger zip."}


@pytest.fixture(autouse=True)
def _director_sign_off(settings: Any) -> None:
    settings.GATE_IMPROVEMENT_APPROVAL = "director"


def audit_rows() -> list[tuple[str, User | None, Any, str, str]]:
    return [
        (entry.action, entry.actor, entry.product, entry.target_type, entry.target_id)
        for entry in AuditEntry.objects.order_by("id")
    ]


def nav_of(page: str) -> str:
    match = re.search(r'<nav class="desk-nav".*?</nav>', page, re.S)
    assert match is not None
    return match.group(0)


# --- The audit trail -----------------------------------------------------------------------


def test_sending_an_improvement_for_approval_is_audited(client: Client, withdrawn_story: Story, manager: User) -> None:
    similar_praise(withdrawn_story.product)
    client.force_login(manager)
    response = client.post(
        reverse("desk:notice_improvement", kwargs={"pk": withdrawn_story.notice.pk}),
        {**FIX, "addressed_phrases": ["zip broke"]},
    )
    assert response.status_code == 302
    [waiting] = ImprovementRequest.objects.all()
    assert audit_rows() == [
        ("improvement_requested", manager, withdrawn_story.product, "gate.improvementrequest", str(waiting.pk))
    ]
    entry = AuditEntry.objects.get()
    assert entry.actor_name == "Julia"
    assert entry.details == {"notice_id": withdrawn_story.notice.pk, "addressed_phrases": ["zip broke"]}


def test_approving_is_audited_with_the_revision_and_the_gate_states(
    client: Client, withdrawn_story: Story, manager: User, director: User
) -> None:
    waiting = improvement_request_submit(product=withdrawn_story.product, by=manager, **FIX)
    client.force_login(director)
    response = client.post(reverse("desk:improvement_request_approve", kwargs={"pk": waiting.pk}))
    assert response.status_code == 302
    improvement = Improvement.objects.get(product=withdrawn_story.product)
    assert audit_rows() == [
        ("improvement_approved", director, withdrawn_story.product, "gate.improvementrequest", str(waiting.pk))
    ]
    assert AuditEntry.objects.get().details == {
        "requested_by_id": manager.pk,
        "improvement_id": improvement.pk,
        "revision": 1,
        "state_before": "withdrawn",
        "state_after": "active",
    }
    # The notice's activity names the step.
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn_story.notice.pk})).content.decode()
    assert "<strong>Marc</strong> · Improvement approved" in page


def test_rejecting_is_audited_with_the_reason(
    client: Client, withdrawn_story: Story, manager: User, director: User
) -> None:
    waiting = improvement_request_submit(product=withdrawn_story.product, by=manager, **FIX)
    client.force_login(director)
    response = client.post(
        reverse("desk:improvement_request_reject", kwargs={"pk": waiting.pk}),
        {f"reject-{waiting.pk}-reason": "The supplier's test report is missing."},
    )
    assert response.status_code == 302
    assert audit_rows() == [
        ("improvement_rejected", director, withdrawn_story.product, "gate.improvementrequest", str(waiting.pk))
    ]
    assert AuditEntry.objects.get().details == {
        "requested_by_id": manager.pk,
        "reason": "The supplier's test report is missing.",
    }


def test_refused_steps_leave_no_audit_row(
    client: Client, withdrawn_story: Story, manager: User, director: User
) -> None:
    waiting = improvement_request_submit(product=withdrawn_story.product, by=manager, **FIX)
    client.force_login(manager)
    assert client.post(reverse("desk:improvement_request_approve", kwargs={"pk": waiting.pk})).status_code == 403
    # A second request while one waits: refused by the gate, and the audit row with it.
    again = client.post(reverse("desk:notice_improvement", kwargs={"pk": withdrawn_story.notice.pk}), FIX)
    assert again.status_code == 409
    client.force_login(director)
    blank = client.post(
        reverse("desk:improvement_request_reject", kwargs={"pk": waiting.pk}), {f"reject-{waiting.pk}-reason": " "}
    )
    assert blank.status_code == 400
    assert not AuditEntry.objects.exists()
    assert ImprovementRequest.objects.get().state == "pending"


def test_the_audit_row_is_rolled_back_with_a_refused_request(withdrawn_story: Story, manager: User) -> None:
    desk_improvement_request_submit(notice=withdrawn_story.notice, by=manager, **FIX)
    with pytest.raises(Conflict, match="already waiting"):
        desk_improvement_request_submit(notice=withdrawn_story.notice, by=manager, description="Twice.")
    assert [row[0] for row in audit_rows()] == ["improvement_requested"]
    assert ImprovementRequest.objects.count() == 1


# --- Finding the requests ------------------------------------------------------------------


def test_the_desk_navigation_leads_a_director_to_the_waiting_requests(
    client: Client, withdrawn_story: Story, manager: User, director: User
) -> None:
    User.objects.filter(pk=director.pk).update(language="en")  # the texts below are the English ones
    client.force_login(director)
    nav = nav_of(client.get(reverse("desk:notices")).content.decode())
    assert f'href="{REQUESTS_URL}"' in nav
    assert "waiting" not in nav  # nothing waits yet: no count

    improvement_request_submit(product=withdrawn_story.product, by=manager, **FIX)
    page = client.get(reverse("desk:notices")).content.decode()
    assert '<span class="nav-count">(1 waiting)</span>' in nav_of(page)
    assert f'<a href="{REQUESTS_URL}">1 improvement is waiting for your approval.</a>' in page
    on_the_list = client.get(REQUESTS_URL).content.decode()
    assert f'<a href="{REQUESTS_URL}" aria-current="page">' in nav_of(on_the_list)


def test_a_manager_is_led_to_the_requests_of_their_products(
    client: Client, withdrawn_story: Story, manager: User
) -> None:
    improvement_request_submit(product=withdrawn_story.product, by=manager, **FIX)
    client.force_login(manager)
    page = client.get(reverse("desk:notices")).content.decode()
    assert '<span class="nav-count">(1 waiting)</span>' in nav_of(page)
    assert "1 improvement to your products is waiting for a quality director's approval." in page


def test_another_managers_request_is_not_counted(
    client: Client, withdrawn_story: Story, manager: User, other_manager: User
) -> None:
    improvement_request_submit(product=withdrawn_story.product, by=manager, **FIX)
    client.force_login(other_manager)
    nav = nav_of(client.get(reverse("desk:notices")).content.decode())
    assert f'href="{REQUESTS_URL}"' in nav and "waiting" not in nav


def test_no_link_when_sign_off_is_off_and_nothing_waits(
    client: Client, settings: Any, withdrawn_story: Story, director: User
) -> None:
    settings.GATE_IMPROVEMENT_APPROVAL = "none"
    client.force_login(director)
    page = client.get(reverse("desk:notices")).content.decode()
    assert REQUESTS_URL not in page


def test_a_moderator_gets_no_link(client: Client, make_user: Callable[..., User], withdrawn_story: Story) -> None:
    client.force_login(make_user(MODERATOR))
    page = client.get(reverse("desk:moderation")).content.decode()
    assert page and REQUESTS_URL not in page
