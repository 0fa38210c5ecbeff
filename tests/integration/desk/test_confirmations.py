"""Every desk action is confirmed in a status message, and a refused submission is shown at
the page it came from (desk.views.common.page_with_forms): the forms post to the page's own
address, so the browser's address after an error is the page's, never an action's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from care.models import Case
from reviews.models import ReviewReport, ReviewStatus
from tests.care_factories import care_staff_create, review_post
from tests.factories import product_create
from tests.integration.desk.factories import Story, add_review

pytestmark = pytest.mark.django_db


def _status_messages(response: Any) -> str:
    page = response.content.decode()
    assert '<div class="messages" role="status">' in page
    return page.split('<div class="messages" role="status">', 1)[1].split("</div>", 1)[0]


def _post_from_page(client: Client, url: str, form: str, data: dict[str, Any]) -> Any:
    return client.post(url, {"form": form, **data}, follow=True)


@pytest.mark.parametrize(
    ("form", "data", "message"),
    [
        ("acknowledge", {}, "Notice acknowledged."),
        ("assign", {"assignee": "__manager__"}, "Notice assigned to Julia."),
        ("comment", {"body": "Supplier called."}, "Comment added."),
        ("improvement", {"description": "New zip supplier."}, "Improvement logged"),
    ],
)
def test_each_notice_action_is_confirmed(
    client: Client, story: Story, manager: User, form: str, data: dict[str, Any], message: str
) -> None:
    client.force_login(manager)
    page_url = reverse("desk:notice", kwargs={"pk": story.notice.pk})
    data = {key: (manager.pk if value == "__manager__" else value) for key, value in data.items()}
    response = _post_from_page(client, page_url, form, data)
    assert response.status_code == 200
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith(page_url)
    assert message in _status_messages(response)


@pytest.mark.parametrize(("form", "error"), [("comment", "Write the comment first."), ("improvement", None)])
def test_a_refused_notice_form_is_shown_at_the_notice(
    client: Client, story: Story, manager: User, form: str, error: str | None
) -> None:
    client.force_login(manager)
    page_url = reverse("desk:notice", kwargs={"pk": story.notice.pk})
    response = client.post(page_url, {"form": form})
    assert response.status_code == 400
    assert response.request["PATH_INFO"] == page_url
    page = response.content.decode()
    assert 'id="form-errors"' in page
    if error:
        assert error in page


def test_moderation_decisions_are_each_confirmed(client: Client, story: Story, moderator: User, shopper: User) -> None:
    client.force_login(moderator)
    page_url = reverse("desk:moderation")
    pending = add_review(story.product, rating=2, status=ReviewStatus.PENDING)
    response = _post_from_page(client, page_url, "decide", {"decision": f"approve:{pending.pk}"})
    assert "1 review approved." in _status_messages(response)

    reported = story.low[0]
    ReviewReport.objects.create(review=reported, reporter=shopper, reason="off_topic", created_at=timezone.now())
    response = _post_from_page(client, page_url, "decide", {"decision": f"approve:{reported.pk}"})
    assert "1 reported review kept published; its reports are closed." in _status_messages(response)

    # An account author: the statement of reasons has an address to go to.
    other = add_review(story.product, rating=4, status=ReviewStatus.PENDING, author=shopper)
    response = _post_from_page(
        client, page_url, "decide", {"decision": f"reject:{other.pk}", f"reason_{other.pk}": "spam"}
    )
    assert "1 review rejected. Its author is emailed the statement of reasons." in _status_messages(response)
    assert response.redirect_chain[-1][0] == page_url


def test_a_refused_moderation_keeps_the_page_address_and_what_was_typed(
    client: Client, story: Story, moderator: User
) -> None:
    client.force_login(moderator)
    page_url = reverse("desk:moderation")
    pending = add_review(story.product, rating=2, status=ReviewStatus.PENDING)
    response = client.post(
        page_url,
        {
            "form": "decide",
            "decision": f"reject:{pending.pk}",
            f"reason_{pending.pk}": "other",
            f"note_{pending.pk}": "",
        },
    )
    assert response.status_code == 400 and response.request["PATH_INFO"] == page_url
    assert '<option value="other" selected>' in response.content.decode()


def test_a_post_without_a_known_form_gets_the_pages_own_answer(
    client: Client, story: Story, manager: User, shopper: User
) -> None:
    url = reverse("desk:notice", kwargs={"pk": story.notice.pk})
    assert client.post(url, {"form": "acknowledge"})["Location"].startswith(reverse("login"))  # signed out
    client.force_login(shopper)
    assert client.post(url, {"form": "acknowledge"}).status_code == 403
    client.force_login(manager)
    assert client.post(url, {"form": "nothing"}).status_code == 405
    assert client.post(url).status_code == 405


def test_a_reply_is_confirmed(client: Client, story: Story, manager: User) -> None:
    client.force_login(manager)
    review = story.low[0]
    response = client.post(
        reverse("desk:review_reply", kwargs={"pk": review.pk}), {"body": "Sorry: a new zip ships today."}, follow=True
    )
    assert "Reply published" in _status_messages(response)


@pytest.fixture
def case() -> Case:
    manager = care_staff_create(display_name="Chloé")
    product = product_create(name="Ridge tent 2", managers=[])
    review_post(product=product, rating=1, title="Zip broke on night one", recommend=3)
    found = Case.objects.get()
    found._care_person = manager  # type: ignore[attr-defined]
    return found


@pytest.mark.parametrize(
    ("form", "data", "message"),
    [
        ("take", {}, "The case is yours now."),
        ("assign", {"assignee": ""}, "Nobody has the case now."),
        ("message", {"body": "Hello, we are sorry: a new zip is on its way."}, "Message sent to the customer."),
        ("close", {"outcome": "not_reachable"}, "Case closed"),
    ],
)
def test_each_care_action_is_confirmed(
    client: Client, case: Case, form: str, data: dict[str, Any], message: str
) -> None:
    client.force_login(case._care_person)  # type: ignore[attr-defined]
    page_url = reverse("desk:care_case", kwargs={"pk": case.pk})
    response = _post_from_page(client, page_url, form, data)
    assert response.status_code == 200
    assert message in _status_messages(response)


@pytest.mark.parametrize(("form", "error"), [("message", "Write the message first."), ("close", "Choose the outcome")])
def test_a_refused_care_form_is_shown_at_the_case(client: Client, case: Case, form: str, error: str) -> None:
    client.force_login(case._care_person)  # type: ignore[attr-defined]
    page_url = reverse("desk:care_case", kwargs={"pk": case.pk})
    response = client.post(page_url, {"form": form})
    assert response.status_code == 400 and response.request["PATH_INFO"] == page_url
    assert error in response.content.decode()


# --- Improvement sign-off (GATE_IMPROVEMENT_APPROVAL = "director") ---------------------------


@pytest.mark.parametrize("where", ["list", "notice"])
def test_a_refused_improvement_rejection_is_shown_on_its_page_then_confirmed(
    client: Client, settings: Any, withdrawn_story: Story, manager: User, director: User, where: str
) -> None:
    from gate.models import ImprovementRequest
    from gate.services.approvals import improvement_request_submit

    settings.GATE_IMPROVEMENT_APPROVAL = "director"
    director.language = "en"  # the fixture's director reads French
    director.save(update_fields=["language"])
    waiting = improvement_request_submit(
        product=withdrawn_story.product, by=manager, description="New zip supplier.", public_note=""
    )
    client.force_login(director)
    if where == "list":
        page_url, form = reverse("desk:improvement_requests"), "reject"
    else:
        page_url, form = reverse("desk:notice", kwargs={"pk": withdrawn_story.notice.pk}), "improvement_reject"
    page = client.get(page_url).content.decode()
    assert f'name="form" value="{form}"' in page and f'name="request" value="{waiting.pk}"' in page
    refused = client.post(page_url, {"form": form, "request": waiting.pk, f"reject-{waiting.pk}-reason": " "})
    assert refused.status_code == 400 and refused.request["PATH_INFO"] == page_url
    assert "Say why the improvement is rejected." in refused.content.decode()
    assert ImprovementRequest.objects.get().state == "pending"

    done = client.post(
        page_url,
        {"form": form, "request": waiting.pk, f"reject-{waiting.pk}-reason": "The test report is missing."},
        follow=True,
    )
    assert "Improvement rejected: its author is told why." in _status_messages(done)
    assert ImprovementRequest.objects.get().state == "rejected"


def test_an_improvement_approval_from_the_list_is_confirmed(
    client: Client, settings: Any, withdrawn_story: Story, manager: User, director: User
) -> None:
    from gate.services.approvals import improvement_request_submit

    settings.GATE_IMPROVEMENT_APPROVAL = "director"
    director.language = "en"  # the fixture's director reads French
    director.save(update_fields=["language"])
    waiting = improvement_request_submit(
        product=withdrawn_story.product, by=manager, description="New zip supplier.", public_note=""
    )
    client.force_login(director)
    done = client.post(reverse("desk:improvement_requests"), {"form": "approve", "request": waiting.pk}, follow=True)
    assert "Improvement approved: a new version of the product starts now." in _status_messages(done)
