"""Improvement sign-off (GATE_IMPROVEMENT_APPROVAL, issue 13 deliverable 5).

"none" (the default, the spec's rule): logging an improvement reinstates at once.
"director": a product manager's improvement waits, changing nothing, until a quality
director approves it (the new revision then starts at the approval moment) or rejects it
with a reason the manager is shown. A director's own improvement is immediate; imports
take improvements as approved.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from core.errors import Conflict, NotAllowed, ValidationFailed
from gate.configured import ImprovementApproval, improvement_approval_from_settings
from gate.models import GateClock, GateEvent, Improvement, ImprovementRequest
from gate.notify import IMPROVEMENT_REQUESTS_PAGE
from gate.services import ImprovementImport, gate_policy_from_settings, improvement_import, improvement_log
from gate.services.approvals import (
    improvement_request_approve,
    improvement_request_reject,
    improvement_request_submit,
    improvement_submit,
)
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from products.models import Product
from tests.integration.desk.factories import DESK_SETTINGS, Story, add_review, flagged_story, similar_praise

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
FIX: dict[str, Any] = {
    "description": "New zip supplier; seams taped.",
    "public_note": "Since today: a stronger zip.",
    "addressed_phrases": ["zip broke"],
}


@pytest.fixture(autouse=True)
def _director_sign_off(settings: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)
    settings.GATE_IMPROVEMENT_APPROVAL = "director"


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user(PRODUCT_MANAGER, display_name="Julia")


@pytest.fixture
def director(make_user: Callable[..., User]) -> User:
    return make_user(QUALITY_DIRECTOR, display_name="Marc")


@pytest.fixture
def withdrawn(manager: User, director: User) -> Story:
    """A product flagged 5 days ago and withdrawn since (grace 3 days), managed by Julia."""
    story = flagged_story(managers=[manager], flag_days_ago=5)
    assert (story.product.gate_state, story.product.on_sale, story.notice.state) == ("withdrawn", False, "withdrawn")
    return story


def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def snapshot(product: Product) -> tuple[Any, ...]:
    """Everything an improvement would change about a product's gate."""
    product.refresh_from_db()
    return (
        product.gate_state,
        product.on_sale,
        product.revision,
        product.revision_started_at,
        product.withdrawn_on,
        GateEvent.objects.filter(product=product).count(),
        Improvement.objects.filter(product=product).count(),
        tuple(product.withdrawal_notices.values_list("state", flat=True)),
    )


def deliver(message: OutboxMessage) -> mail.EmailMessage:
    assert outbox_deliver(message_id=message.pk, now=timezone.now() + timedelta(seconds=1)) == "sent"
    return mail.outbox[-1]


def today() -> Any:
    return gate_policy_from_settings().day_of(timezone.now())


# --- "none": today's behaviour ------------------------------------------------------------


def test_with_none_a_managers_improvement_reinstates_at_once(settings: Any, withdrawn: Story, manager: User) -> None:
    settings.GATE_IMPROVEMENT_APPROVAL = "none"
    response = api(manager).post(f"/api/v1/products/{withdrawn.product.sku}/improvements/", FIX, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["event"]["kind"] == "reinstated"
    assert response.json()["approved_by"] is None
    withdrawn.product.refresh_from_db()
    assert (withdrawn.product.gate_state, withdrawn.product.on_sale, withdrawn.product.revision) == ("active", True, 1)
    assert not ImprovementRequest.objects.exists()


def test_the_default_is_none(settings: Any) -> None:
    del settings.GATE_IMPROVEMENT_APPROVAL
    assert improvement_approval_from_settings() is ImprovementApproval.NONE


# --- "director": a manager's improvement waits ----------------------------------------------


def test_a_managers_improvement_on_the_desk_waits_and_changes_nothing(
    client: Client, withdrawn: Story, manager: User, director: User
) -> None:
    similar_praise(withdrawn.product)
    before = snapshot(withdrawn.product)
    client.force_login(manager)
    response = client.post(
        reverse("desk:notice_improvement", kwargs={"pk": withdrawn.notice.pk}),
        {"description": FIX["description"], "public_note": FIX["public_note"], "addressed_phrases": ["zip broke"]},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:notice", kwargs={"pk": withdrawn.notice.pk}) + "#approval"
    assert snapshot(withdrawn.product) == before
    [waiting] = ImprovementRequest.objects.all()
    assert (waiting.state, waiting.requested_by, waiting.product) == ("pending", manager, withdrawn.product)
    assert (waiting.description, waiting.addressed_phrases) == (FIX["description"], ["zip broke"])
    assert waiting.improvement is None and waiting.decided_at is None
    # The quality directors are asked, by email, with the notice's address.
    [message] = OutboxMessage.objects.filter(kind="impr_requested")
    assert message.recipient == director
    email = deliver(message)
    assert "waits for your approval" in email.subject
    assert f"https://shop.example/desk/notices/{withdrawn.notice.pk}/" in email.body
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn.notice.pk})).content.decode()
    assert "Waiting for a quality director's approval: nothing has changed yet" in page


def test_a_managers_improvement_through_the_api_is_accepted_as_a_request(withdrawn: Story, manager: User) -> None:
    before = snapshot(withdrawn.product)
    response = api(manager).post(f"/api/v1/products/{withdrawn.product.sku}/improvements/", FIX, format="json")
    assert response.status_code == 202, response.content
    body = response.json()
    assert (body["state"], body["requested_by"], body["product"], body["improvement"]) == (
        "pending",
        manager.username,
        withdrawn.product.sku,
        None,
    )
    assert snapshot(withdrawn.product) == before
    # One waiting request per product: a second one is refused until the first is decided.
    again = api(manager).post(f"/api/v1/products/{withdrawn.product.sku}/improvements/", FIX, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "approval_pending"
    assert ImprovementRequest.objects.count() == 1


def test_improvement_log_itself_refuses_a_manager_under_director(withdrawn: Story, manager: User) -> None:
    with pytest.raises(NotAllowed) as refused:
        improvement_log(product=withdrawn.product, by=manager, description="Sneaking past the sign-off.")
    assert refused.value.code == "approval_required"
    assert not Improvement.objects.exists() and not ImprovementRequest.objects.exists()


# --- Approval -------------------------------------------------------------------------------


def test_approval_starts_the_revision_at_the_approval_moment(withdrawn: Story, manager: User, director: User) -> None:
    now = timezone.now()
    asked_at = now - timedelta(hours=3)
    waiting = improvement_request_submit(product=withdrawn.product, by=manager, now=asked_at, **FIX)
    # Written after the request, before the approval: about the old version, still.
    between = add_review(withdrawn.product, rating=2, published_at=now - timedelta(hours=1))

    improvement_request_approve(improvement_request=waiting, by=director, now=now)

    waiting.refresh_from_db()
    improvement = Improvement.objects.get(product=withdrawn.product)
    assert (waiting.state, waiting.decided_by, waiting.decided_at, waiting.improvement) == (
        "approved",
        director,
        now,
        improvement,
    )
    assert (improvement.logged_at, improvement.day, improvement.revision) == (now, today(), 1)
    assert (improvement.logged_by, improvement.public_note, improvement.addressed_phrases) == (
        manager,
        FIX["public_note"],
        ["zip broke"],
    )
    product = withdrawn.product
    product.refresh_from_db()
    assert (product.gate_state, product.on_sale, product.revision, product.revision_started_at) == (
        "active",
        True,
        1,
        now,
    )
    between.refresh_from_db()
    assert between.revision == 0
    event = GateEvent.objects.get(improvement=improvement)
    assert (event.kind, event.day, event.count, event.average) == ("reinstated", today(), 0, None)
    # The days before were evaluated first; the approval day itself is not (it is not over).
    assert GateClock.objects.get().last_evaluated_day == today() - timedelta(days=1)
    withdrawn.notice.refresh_from_db()
    assert (withdrawn.notice.state, withdrawn.notice.resolved_by, withdrawn.notice.closed_at) == (
        "resolved",
        improvement,
        now,
    )
    [told] = OutboxMessage.objects.filter(kind="impr_approved")
    assert told.recipient == manager
    email = deliver(told)
    assert "was approved" in email.subject and "Marc approved your improvement" in email.body


def test_approval_through_the_desk_and_the_api_response(
    client: Client, withdrawn: Story, manager: User, director: User
) -> None:
    waiting = improvement_request_submit(product=withdrawn.product, by=manager, **FIX)
    client.force_login(director)
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn.notice.pk}))
    approve_url = reverse("desk:improvement_request_approve", kwargs={"pk": waiting.pk})
    # The page's forms post to the page itself, naming the request (desk.views.common.page_with_forms).
    assert page.status_code == 200 and f'name="request" value="{waiting.pk}"' in page.content.decode()
    response = client.post(approve_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:notice", kwargs={"pk": withdrawn.notice.pk}) + "#approval"
    withdrawn.product.refresh_from_db()
    assert (withdrawn.product.on_sale, withdrawn.product.revision) == (True, 1)
    after = client.get(reverse("desk:notice", kwargs={"pk": withdrawn.notice.pk})).content.decode()
    assert "Approved by Marc" in after and "a new version of the product started then" in after
    # A second approval (a double click, another director) decides nothing twice.
    again = api(director).post(f"/api/v1/gate/improvement-requests/{waiting.pk}/approve/")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    assert Improvement.objects.count() == 1
    body = api(manager).get(f"/api/v1/gate/improvement-requests/{waiting.pk}/").json()
    assert body["state"] == "approved" and body["decided_by"] == director.username
    assert body["improvement"]["revision"] == 1 and body["improvement"]["approved_by"] == director.username
    assert body["improvement"]["event"]["kind"] == "reinstated"


def test_approval_on_a_day_already_evaluated_is_refused(withdrawn: Story, manager: User, director: User) -> None:
    yesterday_noon = timezone.now() - timedelta(days=1)
    waiting = improvement_request_submit(
        product=withdrawn.product, by=manager, now=yesterday_noon - timedelta(hours=1), **FIX
    )
    before = snapshot(withdrawn.product)
    with pytest.raises(Conflict) as refused:
        improvement_request_approve(improvement_request=waiting, by=director, now=yesterday_noon)
    assert refused.value.code == "day_evaluated"
    waiting.refresh_from_db()
    assert waiting.state == "pending" and waiting.improvement is None
    assert snapshot(withdrawn.product) == before


# --- Rejection ------------------------------------------------------------------------------


def test_rejection_changes_nothing_and_the_manager_is_shown_the_reason(
    client: Client, withdrawn: Story, manager: User, director: User
) -> None:
    waiting = improvement_request_submit(product=withdrawn.product, by=manager, **FIX)
    before = snapshot(withdrawn.product)
    reject_url = reverse("desk:improvement_request_reject", kwargs={"pk": waiting.pk})
    field = f"reject-{waiting.pk}-reason"
    client.force_login(director)

    blank = client.post(reject_url, {field: "   "})
    assert blank.status_code == 400
    assert "Say why the improvement is rejected" in blank.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == "pending"

    response = client.post(reject_url, {field: "The supplier's test report is missing."})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.state, waiting.decided_by, waiting.rejection_reason, waiting.improvement) == (
        "rejected",
        director,
        "The supplier's test report is missing.",
        None,
    )
    assert snapshot(withdrawn.product) == before
    [told] = OutboxMessage.objects.filter(kind="impr_rejected")
    assert told.recipient == manager
    assert "The supplier's test report is missing." in deliver(told).body
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn.notice.pk})).content.decode()
    assert "Rejected by Marc" in page and "The supplier&#x27;s test report is missing." in page
    # Decided: the manager may send a new one.
    assert improvement_request_submit(product=withdrawn.product, by=manager, description="Report attached.")


def test_rejection_needs_a_reason_in_the_service_and_the_api(withdrawn: Story, manager: User, director: User) -> None:
    waiting = improvement_request_submit(product=withdrawn.product, by=manager, **FIX)
    with pytest.raises(ValidationFailed):
        improvement_request_reject(improvement_request=waiting, by=director, reason=" ")
    response = api(director).post(f"/api/v1/gate/improvement-requests/{waiting.pk}/reject/", {}, format="json")
    assert response.status_code == 400
    response = api(director).post(
        f"/api/v1/gate/improvement-requests/{waiting.pk}/reject/", {"reason": "Not enough."}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["state"], response.json()["rejection_reason"]) == ("rejected", "Not enough.")


# --- Who may decide -------------------------------------------------------------------------


def test_a_manager_cannot_approve_or_reject(client: Client, withdrawn: Story, manager: User, director: User) -> None:
    waiting = improvement_request_submit(product=withdrawn.product, by=manager, **FIX)
    before = snapshot(withdrawn.product)
    approve = f"/api/v1/gate/improvement-requests/{waiting.pk}/approve/"
    reject = f"/api/v1/gate/improvement-requests/{waiting.pk}/reject/"
    assert api(manager).post(approve).status_code == 403
    assert api(manager).post(reject, {"reason": "Mine."}, format="json").status_code == 403
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn.notice.pk})).content.decode()
    approve_url = reverse("desk:improvement_request_approve", kwargs={"pk": waiting.pk})
    reject_url = reverse("desk:improvement_request_reject", kwargs={"pk": waiting.pk})
    assert approve_url not in page and reject_url not in page
    assert client.post(approve_url).status_code == 403
    assert client.post(reject_url, {f"reject-{waiting.pk}-reason": "Mine."}).status_code == 403
    with pytest.raises(NotAllowed):
        improvement_request_approve(improvement_request=waiting, by=manager)
    waiting.refresh_from_db()
    assert waiting.state == "pending"
    assert snapshot(withdrawn.product) == before


@pytest.mark.parametrize("verb", ["approve", "reject"])
@pytest.mark.parametrize(("who", "status"), [("anonymous", 302), ("shopper", 403), ("moderator", 403), ("other", 404)])
def test_the_desk_actions_refuse_everyone_but_quality_directors(
    client: Client,
    make_user: Callable[..., User],
    withdrawn: Story,
    manager: User,
    verb: str,
    who: str,
    status: int,
) -> None:
    waiting = improvement_request_submit(product=withdrawn.product, by=manager, **FIX)
    role = {"shopper": SHOPPER, "moderator": MODERATOR, "other": PRODUCT_MANAGER}.get(who)
    if role is not None:
        client.force_login(make_user(role))
    url = reverse(f"desk:improvement_request_{verb}", kwargs={"pk": waiting.pk})
    response = client.post(url, {f"reject-{waiting.pk}-reason": "No."})
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login") + "?next=/desk/")
    waiting.refresh_from_db()
    assert waiting.state == "pending"


def test_another_products_manager_does_not_see_the_request(
    make_user: Callable[..., User], withdrawn: Story, manager: User
) -> None:
    waiting = improvement_request_submit(product=withdrawn.product, by=manager, **FIX)
    stranger = make_user(PRODUCT_MANAGER, display_name="Otto")
    assert api(stranger).get(f"/api/v1/gate/improvement-requests/{waiting.pk}/").status_code == 404
    assert api(stranger).get("/api/v1/gate/improvement-requests/").json()["count"] == 0
    assert api(manager).get("/api/v1/gate/improvement-requests/?state=pending").json()["count"] == 1


def test_a_directors_own_improvement_is_immediate(client: Client, withdrawn: Story, director: User) -> None:
    client.force_login(director)
    response = client.post(
        reverse("desk:notice_improvement", kwargs={"pk": withdrawn.notice.pk}), {"description": "Taped seams."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#loop")
    withdrawn.product.refresh_from_db()
    assert (withdrawn.product.gate_state, withdrawn.product.on_sale, withdrawn.product.revision) == ("active", True, 1)
    assert not ImprovementRequest.objects.exists()
    logged = improvement_submit(product=withdrawn.product, by=director, description="Second fix.")
    assert isinstance(logged, Improvement) and logged.revision == 2


def test_imports_take_improvements_as_approved(withdrawn: Story) -> None:
    # Now, not a few minutes ago: just after midnight in the policy's zone, those minutes
    # fall on the day the fixture already evaluated, which an import never rewrites.
    moment = timezone.now()
    [imported] = improvement_import(items=[ImprovementImport(sku=withdrawn.product.sku, logged_at=moment)])
    assert imported.revision == 1 and not ImprovementRequest.objects.exists()


# --- Pages, schema, settings ----------------------------------------------------------------


def test_desk_pages_render_with_a_pending_request(
    client: Client, withdrawn: Story, manager: User, director: User
) -> None:
    waiting = improvement_request_submit(product=withdrawn.product, by=manager, **FIX)
    list_url = reverse("desk:improvement_requests")
    assert list_url == IMPROVEMENT_REQUESTS_PAGE  # the path gate.notify names in emails
    for user, shows_buttons in ((manager, False), (director, True)):
        client.force_login(user)
        notice = client.get(reverse("desk:notice", kwargs={"pk": withdrawn.notice.pk}))
        listing = client.get(list_url)
        assert (notice.status_code, listing.status_code) == (200, 200)
        for page in (notice.content.decode(), listing.content.decode()):
            assert FIX["description"] in page
            assert (f'name="request" value="{waiting.pk}"' in page) is shows_buttons
        # The improvement form is replaced by the waiting request: one at a time.
        assert 'action="' + reverse("desk:notice_improvement", kwargs={"pk": withdrawn.notice.pk}) not in (
            notice.content.decode()
        )


def test_the_manager_is_told_the_improvement_waits_before_sending_it(
    client: Client, withdrawn: Story, manager: User
) -> None:
    client.force_login(manager)
    page = client.get(reverse("desk:notice", kwargs={"pk": withdrawn.notice.pk})).content.decode()
    assert "Send the improvement for approval" in page
    assert "Log the improvement and put back on sale" not in page


def test_the_api_schema_documents_the_sign_off(tmp_path: Path) -> None:
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    create = paths["/api/v1/products/{product_sku}/improvements/"]["post"]
    assert {"201", "202"} <= set(create["responses"])
    assert "GATE_IMPROVEMENT_APPROVAL" in create["description"]
    for verb in ("approve", "reject"):
        operation = paths[f"/api/v1/gate/improvement-requests/{{id}}/{verb}/"]["post"]
        assert {"200", "403", "409"} <= set(operation["responses"])
    assert "get" in paths["/api/v1/gate/improvement-requests/"]


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.GATE_IMPROVEMENT_APPROVAL)"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("value", ["none", "director"])
def test_each_documented_value_starts(value: str) -> None:
    result = _load_settings(GATE_IMPROVEMENT_APPROVAL=value)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == value


@pytest.mark.parametrize("value", ["Director", "manager", "yes"])
def test_an_unknown_value_stops_start_up_with_its_reason(value: str) -> None:
    result = _load_settings(GATE_IMPROVEMENT_APPROVAL=value)
    assert result.returncode != 0
    assert "The quality gate's settings are invalid: GATE_IMPROVEMENT_APPROVAL must be one of" in result.stderr
    assert repr(value) in result.stderr


def test_an_unknown_value_set_later_is_refused_by_every_reader(settings: Any) -> None:
    settings.GATE_IMPROVEMENT_APPROVAL = "always"
    with pytest.raises(ImproperlyConfigured, match="GATE_IMPROVEMENT_APPROVAL"):
        improvement_approval_from_settings()
