"""Erasing a customer reaches customer care (orders.events.orders_anonymising, handled by
care.erasure): the guest's answers lose their text and care's messages are replaced, their
open case closes as not reachable, the delivery errors of their care and thanks emails are
emptied; another customer's case, and an account's, stay as they were; rows and dates stay
for the figures. Through the service, the admin action and the command alike."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from care.emails import care_message_dedupe_key
from care.erasure import ERASED_MESSAGE_BODY
from care.links import reply_token
from care.models import Case, CaseMessage, CaseState, MessageDirection
from care.services import case_close, case_customer_answer, case_message_send
from care.thanks import thanks_dedupe_key
from notifications.models import DeliveryAttempt, OutboxMessage
from orders.links import review_token
from orders.models import Customer, Invitation, InvitationKind, Order
from orders.services import customer_erase, orders_anonymise_expired
from reviews.models import Review
from reviews.services import review_submit
from tests.care_factories import BODY, care_staff_create, case_create
from tests.factories import product_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

QUOTED = "550 5.1.1 <Lou dot Bernard at example dot org>: no such user"
ANSWER = "I am Lou Bernard, 12 rue des Lilas, call me on 06 12 34 56 78."


def invited_guest_case(email: str) -> tuple[Order, Case]:
    """An order of two products; a 1-star guest review through the first line's link opens a case."""
    order = order_create(products=[product_create(), product_create()], email=email, name="Lou Bernard")
    assert order.delivered_at is not None
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    line = order.lines.order_by("pk").first()
    assert line is not None
    invitation.lines.add(line)
    review = review_submit(
        product=line.product,
        author=None,
        rating=1,
        title="Leaks at the base",
        body=BODY,
        language="en",
        invitation_token=review_token(line.pk),
    )
    return order, Case.objects.get(review=review)


def contacted_and_answered(case: Case) -> CaseMessage:
    """Care writes (quoting the customer), the customer answers, both emails failed once."""
    message = case_message_send(case=case, by=care_staff_create(), body=f"You wrote: {ANSWER}")
    case_customer_answer(message=message, body=ANSWER)
    for row in OutboxMessage.objects.filter(
        dedupe_key__in=[care_message_dedupe_key(message.pk), thanks_dedupe_key(case.review_id)]
    ):
        row.last_error = QUOTED
        row.save(update_fields=["last_error"])
        DeliveryAttempt.objects.create(message=row, number=1, attempted_at=timezone.now(), error=QUOTED)
    return message


def words(case: Case) -> list[tuple[str, str]]:
    return list(case.messages.order_by("pk").values_list("direction", "body"))


def errors(case: Case) -> set[str]:
    keys = [thanks_dedupe_key(case.review_id)]
    keys += [care_message_dedupe_key(pk) for pk in case.messages.values_list("pk", flat=True)]
    stored = set(OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("last_error", flat=True))
    return stored | set(DeliveryAttempt.objects.filter(message__dedupe_key__in=keys).values_list("error", flat=True))


def test_erasing_a_guest_erases_their_words_in_care_and_closes_their_case_for_the_figures() -> None:
    order, case = invited_guest_case("lou.bernard@example.org")
    message = contacted_and_answered(case)
    _other_order, other = invited_guest_case("someone.else@example.org")
    contacted_and_answered(other)
    # An account's review through the same order (the account owns it: care writes to the account).
    second_line = order.lines.order_by("pk")[1]
    account_case = case_create(product=second_line.product)
    Review.objects.filter(pk=account_case.review_id).update(order_line=second_line, verified_purchase=True)
    contacted_and_answered(account_case)
    other_before, account_before = words(other), words(account_case)
    assert errors(case) == {QUOTED} and len(OutboxMessage.objects.filter(last_error=QUOTED)) == 6
    cases_before = Case.objects.count()
    first_contact = Case.objects.get(pk=case.pk).first_contact_at
    erased_at = timezone.now()

    assert customer_erase(email="LOU.BERNARD@example.org", now=erased_at) == 1

    case.refresh_from_db()
    assert words(case) == [
        (MessageDirection.TO_CUSTOMER, str(ERASED_MESSAGE_BODY)),
        (MessageDirection.FROM_CUSTOMER, ""),
    ]
    assert (case.state, case.outcome, case.closed_at, case.closed_by_id) == (
        CaseState.CLOSED,
        "not_reachable",
        erased_at,
        None,
    )
    assert case.first_contact_at == first_contact is not None  # the figures keep the first contact
    assert CaseMessage.objects.get(pk=message.pk).written_at == message.written_at
    assert errors(case) == {""}
    assert Case.objects.count() == cases_before
    # Another guest's case and an account's case are untouched.
    for kept, before in ((other, other_before), (account_case, account_before)):
        kept.refresh_from_db()
        assert (words(kept), kept.state, errors(kept)) == (before, CaseState.CONTACTED, {QUOTED})
    assert Customer.objects.get(email="", name="").erased_at == erased_at  # the one erased
    assert Order.objects.get(pk=order.pk).customer_id is None


def test_the_admin_action_erases_the_guests_words_in_care(admin_client: Client) -> None:
    order, case = invited_guest_case("lou.bernard@example.org")
    contacted_and_answered(case)
    response = admin_client.post(
        "/admin/orders/customer/", {"action": "erase_selected", "_selected_action": [order.customer_id]}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.outcome, errors(case)) == (CaseState.CLOSED, "not_reachable", {""})
    assert words(case)[1] == (MessageDirection.FROM_CUSTOMER, "")


def test_the_command_erases_the_guests_words_in_care() -> None:
    _order, case = invited_guest_case("lou.bernard@example.org")  # open, never contacted
    out = io.StringIO()
    call_command("erase_customer", "lou.bernard@example.org", stdout=out, stderr=io.StringIO())
    assert out.getvalue() == "erased\n"
    case.refresh_from_db()
    assert (case.state, case.outcome, case.first_contact_at) == (CaseState.CLOSED, "not_reachable", None)


def test_orders_past_retention_take_the_guests_words_in_care_with_them(settings) -> None:
    order, case = invited_guest_case("lou.bernard@example.org")
    contacted_and_answered(case)
    Order.objects.filter(pk=order.pk).update(purchased_at=timezone.now() - timedelta(days=800))
    settings.ORDER_RETENTION_DAYS = 730

    assert orders_anonymise_expired() == 1

    case.refresh_from_db()
    assert (case.state, case.outcome, errors(case)) == (CaseState.CLOSED, "not_reachable", {""})
    assert [body for _direction, body in words(case)] == [str(ERASED_MESSAGE_BODY), ""]


def test_a_closing_link_takes_no_answer_once_the_customer_is_erased(client: Client) -> None:
    _order, case = invited_guest_case("lou.bernard@example.org")
    care_member = care_staff_create()
    case_message_send(case=case, by=care_member, body="We sent a new one.")
    case_close(case=case, by=care_member, outcome="solved")
    closing = case.messages.get(kind="closing")
    url = reverse("care_reply", args=[reply_token(closing.pk)])
    assert client.get(url).status_code == 200
    customer_erase(email="lou.bernard@example.org")
    assert client.get(url).status_code == 410
    assert client.post(url, {"effort": "7", "body": "Lou, 06 12 34 56 78"}).status_code == 410
    assert not case.messages.filter(direction=MessageDirection.FROM_CUSTOMER).exists()
