"""Contact through the platform, the customer's side (issue 16, item 3): care's message
leaves as one outbox row, the worker delivers it to the customer's address (an account's,
or an invited guest's order) in their language from the site's address, and the answer
comes back into the case through the signed reply page; the closing email names the
outcome and its link records the effort answer (1-7). No page shows an address."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from care.models import Case, CaseMessage, MessageDirection
from care.services import case_close, case_message_send
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from orders.links import review_token
from orders.models import Customer, Invitation, InvitationKind
from orders.services import customers_erase
from reviews.models import Review
from reviews.services import review_submit
from tests.care_factories import BODY, care_staff_create, case_create
from tests.factories import product_create, user_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

SITE = "https://reviews.example"
LINK = re.compile(rf"{re.escape(SITE)}(/care/reply/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CARE_REPLY_LINK_DAYS = 14


def delivered(message: CaseMessage) -> Any:
    """The message's one outbox row, delivered by the worker's function; the email sent."""
    [row] = OutboxMessage.objects.filter(dedupe_key=f"care:message:{message.pk}")
    sent_before = len(mail.outbox)
    assert outbox_deliver(message_id=row.pk) == OutboxMessage.Status.SENT
    [email] = mail.outbox[sent_before:]
    return email


def guest_review(*, email: str, language: str, rating: int = 1) -> Review:
    """A review written through an invitation link by a customer with no account."""
    product = product_create(name="Kettle 1.7 l")
    order = order_create(products=[product], email=email, name="Lou Bernard", language=language)
    assert order.delivered_at is not None
    invitation = Invitation.objects.create(
        order=order, kind=InvitationKind.INVITATION, customer=order.customer, sent_at=order.delivered_at
    )
    line = order.lines.get()
    invitation.lines.add(line)
    return review_submit(
        product=line.product,
        author=None,
        rating=rating,
        title="Leaks at the base",
        body=BODY,
        language=language,
        invitation_token=review_token(line.pk),
    )


def test_a_message_reaches_the_account_author_once_and_the_answer_comes_back_into_the_case() -> None:
    staff = care_staff_create()
    author = user_create(email="Claire.Dupont@example.fr", language="fr")
    case = case_create(author=author, language="fr", title="Déçue par la bouilloire")
    message = case_message_send(case=case, by=staff, body="Sorry <b>about</b> that.\nWhich order was it?")

    rows = OutboxMessage.objects.filter(kind="care_message")
    assert rows.count() == 1
    stored = str(rows.get().payload).lower()
    assert "@" not in stored and "/care/reply/" not in stored  # no address, no credential at rest

    email = delivered(message)
    assert email.to == ["Claire.Dupont@example.fr"]
    assert email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.extra_headers["Content-Language"] == "fr"
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "Sorry <b>about</b> that." in email.body  # plain text: as written
    assert "Déçue par la bouilloire" in email.body
    assert "14 jours" in email.body and "Pour répondre" in email.body
    [link] = LINK.findall(str(email.body))

    customer = Client()
    page = customer.get(link)
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="fr">' in html
    assert "Déçue par la bouilloire" in html and case.review.product.name in html
    assert "Sorry &lt;b&gt;about&lt;/b&gt; that." in html  # escaped
    assert "@" not in html.replace("@example.com", "")  # no address of anyone's
    assert "Claire.Dupont" not in html

    thanked = customer.post(link, {"body": "Order 1234, delivered on Monday."})
    assert thanked.status_code == 200
    assert 'class="care-reply-outcome"' in thanked.content.decode()
    answer = CaseMessage.objects.get(case=case, direction=MessageDirection.FROM_CUSTOMER)
    assert (answer.reply_to_id, answer.body, answer.author_id) == (message.pk, "Order 1234, delivered on Monday.", None)
    assert OutboxMessage.objects.filter(kind="care_message").count() == 1  # the answer sends nothing


def test_an_invited_guest_is_written_to_at_the_orders_address_in_the_orders_language() -> None:
    review = guest_review(email="Lou.Bernard@Example.org", language="fr")
    case = Case.objects.get(review=review)
    message = case_message_send(case=case, by=care_staff_create(), body="Could you send us a photo?")

    email = delivered(message)
    assert email.to == ["Lou.Bernard@Example.org"]
    assert email.extra_headers["Content-Language"] == "fr"
    assert email.body.startswith("Bonjour Lou")  # the review's name, not the order's full name
    assert "Bernard" not in email.body.replace("Lou.Bernard", "")
    [link] = LINK.findall(str(email.body))

    assert Client().post(link, {"body": "Photo attached to my review."}).status_code == 200
    assert CaseMessage.objects.get(direction=MessageDirection.FROM_CUSTOMER).reply_to_id == message.pk


def test_the_closing_email_names_the_outcome_and_its_link_records_the_effort_answer() -> None:
    staff = care_staff_create()
    case = case_create()
    case_message_send(case=case, by=staff, body="We are sending a new kettle.")
    case_close(case=case, by=staff, outcome="refunded_replaced", note="The new one left today.")
    [closing] = CaseMessage.objects.filter(case=case, kind="closing")
    assert OutboxMessage.objects.filter(kind="care_closing").count() == 1

    email = delivered(closing)
    assert email.subject == f"[reviewgate] Your case about {case.review.product.name} is closed"
    assert "your product was refunded or replaced" in email.body
    assert "The new one left today." in email.body
    assert "1 (very difficult) to 7 (very easy)" in email.body
    [link] = LINK.findall(str(email.body))

    customer = Client()
    form = customer.get(link).content.decode()
    assert "How easy was it to get your problem solved?" in form
    assert form.count('type="radio" name="effort"') == 7
    assert "1 – very difficult" in form and "7 – very easy" in form

    for wrong in ("9", "0", "easy", ""):
        refused = customer.post(link, {"effort": wrong, "body": ""})
        assert refused.status_code == 400, wrong
        assert 'id="id_effort_error"' in refused.content.decode()
        assert "Choose a number from 1 (very difficult) to 7 (very easy)." in refused.content.decode()
    case.refresh_from_db()
    assert case.effort_score is None

    assert customer.post(link, {"effort": "6", "body": ""}).status_code == 200
    case.refresh_from_db()
    assert case.effort_score == 6 and case.effort_answered_at is not None
    answer = CaseMessage.objects.get(direction=MessageDirection.FROM_CUSTOMER)
    assert (answer.reply_to_id, answer.body) == (closing.pk, "")


def test_the_closing_email_says_the_outcome_in_the_customers_language() -> None:
    staff = care_staff_create()
    case = case_create(author=user_create(language="fr"), language="fr")
    case_message_send(case=case, by=staff, body="Nous regardons.")
    case_close(case=case, by=staff, outcome="solved")
    email = delivered(CaseMessage.objects.get(case=case, kind="closing"))
    assert email.extra_headers["Content-Language"] == "fr"
    # The builder passes the outcome's code; the template says it in the customer's language
    # (a label read by the builder would be in the worker's, English).
    assert "votre problème est résolu" in email.body and "problem is solved" not in email.body


def test_an_erased_guest_or_a_closed_account_is_sent_nothing() -> None:
    staff = care_staff_create()
    guest = guest_review(email="gone@example.org", language="en")
    to_guest = case_message_send(case=Case.objects.get(review=guest), by=staff, body="Still there?")
    customers_erase([Customer.objects.get().pk])

    account_case = case_create()
    to_account = case_message_send(case=account_case, by=staff, body="Still there?")
    author = account_case.review.author
    assert author is not None
    author.is_active = False
    author.save(update_fields=["is_active"])

    for message in (to_guest, to_account):
        row = OutboxMessage.objects.get(dedupe_key=f"care:message:{message.pk}")
        assert outbox_deliver(message_id=row.pk) == OutboxMessage.Status.SENT  # done: nothing to send
    assert mail.outbox == []
