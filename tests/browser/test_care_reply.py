"""A care email's reply link in a real browser (issue 16): no sign-in, answer care's message,
the thanks page; then the closing link's 1-7 question, chosen by its label."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from care.links import reply_token
from care.models import Case, CaseMessage, MessageDirection
from care.services import case_close, case_message_send
from tests.browser.conftest import screenshot
from tests.care_factories import care_staff_create, case_create
from tests.factories import product_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_customer_answers_care_then_says_how_easy_it_was(page: Any, live_server: Any) -> None:
    staff = care_staff_create()
    case = case_create(product=product_create(name="Kettle 1.7 l"), title="Leaks at the base")
    message = case_message_send(case=case, by=staff, body="We are sorry.\nCould you tell us when it started?")

    page.goto(f"{live_server.url}/care/reply/{reply_token(message.pk)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Answer customer care")
    expect(page.locator(".review-preview")).to_contain_text("Leaks at the base")
    expect(page.locator(".care-message")).to_contain_text("Could you tell us when it started?")
    page.get_by_label("Your answer").fill("After two weeks, at the seam.")
    screenshot(page, "care-reply-message")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answer")
    answer = CaseMessage.objects.get(direction=MessageDirection.FROM_CUSTOMER)
    assert (answer.reply_to_id, answer.body) == (message.pk, "After two weeks, at the seam.")

    case_close(case=case, by=staff, outcome="solved", note="A new seal is on its way.")
    closing = CaseMessage.objects.get(case=case, kind="closing")
    page.goto(f"{live_server.url}/care/reply/{reply_token(closing.pk)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your case is closed")
    expect(page.locator(".care-outcome")).to_have_text("Customer care closed your case: your problem is solved.")
    question = page.get_by_role("group", name="How easy was it to get your problem solved?")
    expect(question.get_by_role("radio")).to_have_count(7)
    question.get_by_label("7 – very easy").check()
    question.get_by_label("6", exact=True).check()
    screenshot(page, "care-reply-closing")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your answer")
    assert Case.objects.get(pk=case.pk).effort_score == 6
