"""The brand's reply is emailed to the review's author, whoever wrote it (issue 18): an account
at its address, in its language; a guest who wrote through their order's invitation (no
account: Review.author is None) at the order's address, read when the email is sent and never
written into the outbox, in the order's language, with the guest's footer. A guest erased
before the reply gets nothing; one erased after it is sent nothing (desk.outcome_emails)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import SHOPPER
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from orders.models import Customer
from orders.services import customers_erase
from reviews.models import BrandReply, ReviewStatus
from tests.integration.desk.factories import Story, add_review, guest_review

pytestmark = pytest.mark.django_db

GUEST_FOOTER = "because you reviewed a product on reviewgate through the invitation sent after your order"


def reply_from_the_desk(client: Client, manager: User, review_pk: int, body: str) -> str:
    """Post the reply from the desk's form; the confirmation the manager reads."""
    client.force_login(manager)
    response = client.post(reverse("desk:review_reply", kwargs={"pk": review_pk}), {"body": body}, follow=True)
    assert response.status_code == 200
    assert BrandReply.objects.filter(review_id=review_pk, body=body).exists()
    [message] = [str(m) for m in response.context["messages"]]
    return message


def attempt() -> tuple[str | None, list[mail.EmailMessage]]:
    [row] = OutboxMessage.objects.filter(kind="review_reply")
    sent_before = len(mail.outbox)
    outcome = outbox_deliver(message_id=row.pk, now=timezone.now() + timedelta(seconds=1))
    return outcome, list(mail.outbox[sent_before:])


@pytest.mark.parametrize(
    ("language", "greeting", "answered"),
    [
        ("en", "Hello Lou,", "Quechua answered your review “Leaks” of"),
        ("fr", "Bonjour Lou,", "Quechua a répondu à votre avis «\u00a0Leaks\u00a0» sur"),
    ],
)
def test_a_guest_author_is_emailed_the_reply_at_the_orders_address_in_its_language(
    client: Client, story: Story, manager: User, language: str, greeting: str, answered: str
) -> None:
    review = guest_review(story.product, email="Lou.Bernard@Example.org", language=language)
    assert review.status == ReviewStatus.PUBLISHED

    said = reply_from_the_desk(client, manager, review.pk, "Sorry: bring it back to any store for a new one.")
    assert said == "Reply published. Its author has been emailed."

    [row] = OutboxMessage.objects.filter(kind="review_reply")
    assert row.recipient_id is None
    assert "lou.bernard" not in str(row.payload).lower()  # the address stays where it is stored
    outcome, [email] = attempt()
    assert outcome == "sent"
    assert [address.lower() for address in email.to] == ["lou.bernard@example.org"]
    assert email.extra_headers["Content-Language"] == language
    assert email.body.startswith(greeting)
    assert answered in email.body and "bring it back to any store" in email.body
    assert f"https://shop.example/products/{story.product.sku}/" in email.body
    if language == "en":
        assert GUEST_FOOTER in email.body
    assert "/accounts/" not in email.body  # no account page a guest cannot open

    # A correction is published, not emailed again.
    said = reply_from_the_desk(client, manager, review.pk, "Sorry: a new zip ships today.")
    assert said == "Reply published."
    assert OutboxMessage.objects.filter(kind="review_reply").count() == 1


def test_an_account_author_still_gets_it_at_the_accounts_address(
    client: Client, story: Story, manager: User, make_user: object
) -> None:
    author = make_user(SHOPPER, language="fr", display_name="Léa")  # type: ignore[operator]
    review = add_review(story.product, rating=1, author=author, title="Zip cassé", text="La fermeture a cassé.")

    reply_from_the_desk(client, manager, review.pk, "Nous sommes désolés.")

    [row] = OutboxMessage.objects.filter(kind="review_reply")
    assert row.recipient == author
    outcome, [email] = attempt()
    assert outcome == "sent" and email.to == [author.email]
    assert email.body.startswith("Bonjour Léa,") and GUEST_FOOTER not in email.body


def test_a_guest_erased_before_the_reply_is_sent_nothing(client: Client, story: Story, manager: User) -> None:
    review = guest_review(story.product, email="gone@example.org")
    customers_erase([Customer.objects.get().pk])

    said = reply_from_the_desk(client, manager, review.pk, "Sorry about it.")

    assert said == "Reply published."  # never "emailed" when nobody could be
    assert not OutboxMessage.objects.filter(kind="review_reply").exists()


def test_a_guest_erased_after_the_reply_is_sent_nothing(client: Client, story: Story, manager: User) -> None:
    review = guest_review(story.product, email="gone@example.org")
    reply_from_the_desk(client, manager, review.pk, "Sorry about it.")
    customers_erase([Customer.objects.get().pk])

    outcome, emails = attempt()

    assert (outcome, emails) == ("sent", [])  # done, with nothing to send
