"""Moderation's emails reach a guest author too (issue 18, item 7): a review written through
an invitation link has no account (Review.author is None); its customer's address lives in
orders.Customer only. The statement of reasons of a rejection (EU Digital Services Act,
Art. 17), the "removed" and "published" emails and the burst rule's decision go to that
address, read at delivery, in the customer's language, with no link to an account page a
guest cannot open. A customer erased has no address: nothing is sent, and the desk's message
says so instead of claiming an email went out (desk.outcome_emails, docs/desk.md)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import SHOPPER
from desk import services
from desk.bursts import burst_decide
from notifications.delivery import outbox_deliver
from notifications.models import DeliveryAttempt, OutboxMessage
from orders.models import Customer
from orders.services import customers_erase
from reviews.models import Review, ReviewReport, ReviewStatus
from tests.integration.desk.factories import Story, add_review, guest_review

pytestmark = pytest.mark.django_db

GUEST_SENTENCE = "without an account: there is no page from which to edit it, but you can contest the decision"
GUEST_FOOTER = "because you reviewed a product on reviewgate through the invitation sent after your order"


@pytest.fixture(autouse=True)
def _appeals(settings: Any) -> None:
    settings.MODERATION_APPEALS_EMAIL = "appeals@shop.example"
    settings.REVIEWS_PREMODERATION = True  # a guest's review waits for a first decision


def delivered(kind: str) -> mail.EmailMessage:
    [row] = OutboxMessage.objects.filter(kind=kind)
    sent_before = len(mail.outbox)
    assert outbox_deliver(message_id=row.pk, now=timezone.now() + timedelta(seconds=1)) == "sent"
    [email] = mail.outbox[sent_before:]
    return email


def reject_from_the_queue(client: Client, moderator: User, reviews: list[Review]) -> str:
    """Reject the reviews from the moderation page; the confirmation the moderator reads."""
    client.force_login(moderator)
    response = client.post(
        reverse("desk:moderation"),
        {
            "form": "decide",
            "decision": "reject:selected",
            "reviews": [review.pk for review in reviews],
            "reason_selected": "personal_data",
            "note_selected": "Your review gives a phone number.",
        },
        follow=True,
    )
    assert response.status_code == 200
    [message] = [str(m) for m in response.context["messages"]]
    return message


def test_a_guests_rejected_review_sends_the_statement_to_the_orders_address_in_english(
    client: Client, story: Story, moderator: User
) -> None:
    review = guest_review(story.product, email="Lou.Bernard@Example.org", title="Call me")
    assert review.status == ReviewStatus.PENDING

    said = reject_from_the_queue(client, moderator, [review])
    assert said == "1 review rejected. Its author is emailed the statement of reasons."

    [row] = OutboxMessage.objects.filter(kind="review_rejected")
    assert row.recipient_id is None
    assert "lou.bernard" not in str(row.payload).lower()  # the address stays where it is stored
    email = delivered("review_rejected")
    assert email.to == ["Lou.Bernard@Example.org"]
    assert email.extra_headers["Content-Language"] == "en"
    assert "was not published" in email.subject
    body = str(email.body)
    assert body.startswith("Hello Lou,")
    assert "Statement of reasons" in body and "“Call me”" in body
    assert "Contains personal data" in body and "Your review gives a phone number." in body
    assert "A person (a moderator) took this decision" in body
    assert GUEST_SENTENCE in body
    assert "appeals@shop.example" in body and "out-of-court dispute settlement" in body
    assert "/reviews/mine/" not in body  # no account page a guest cannot open
    assert "you have an account" not in body and GUEST_FOOTER in body


def test_the_guests_statement_is_in_the_language_of_their_order(story: Story, moderator: User) -> None:
    review = guest_review(story.product, email="camille@example.fr", language="fr")
    services.moderation_reject(review=review, reason="spam", by=moderator)
    email = delivered("review_rejected")
    assert email.to == ["camille@example.fr"]
    assert email.extra_headers["Content-Language"] == "fr"
    assert "pas été publié" in email.subject
    assert str(email.body).startswith("Bonjour Lou")
    assert "/reviews/mine/" not in str(email.body)


def test_an_erased_guest_is_sent_nothing_and_the_desk_says_so(client: Client, story: Story, moderator: User) -> None:
    review = guest_review(story.product, email="gone@example.org")
    customers_erase([Customer.objects.get().pk])

    said = reject_from_the_queue(client, moderator, [review])
    assert said == (
        "1 review rejected. 1 author has no address on file (an erased customer, a closed account): "
        "nothing was emailed to them."
    )
    assert "is emailed" not in said
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.REJECTED
    assert not OutboxMessage.objects.filter(kind="review_rejected").exists()


def test_an_account_and_an_erased_guest_rejected_together_are_counted_apart(
    client: Client, story: Story, moderator: User, make_user: Any
) -> None:
    author = make_user(SHOPPER, language="en", email="sam@example.org")
    account_review = add_review(story.product, rating=4, author=author, status=ReviewStatus.PENDING, title="Mine")
    erased = guest_review(story.product, email="gone@example.org")
    customers_erase([Customer.objects.get().pk])

    said = reject_from_the_queue(client, moderator, [account_review, erased])
    assert said == (
        "2 reviews rejected. 1 author is emailed the statement of reasons. 1 author has no address on file "
        "(an erased customer, a closed account): nothing was emailed to them."
    )
    email = delivered("review_rejected")
    assert email.to == ["sam@example.org"]
    body = str(email.body)
    assert "https://shop.example/reviews/mine/" in body  # an account edits its review
    assert GUEST_SENTENCE not in body and "you have an account on reviewgate" in body


def test_a_guest_erased_after_the_decision_is_sent_nothing_and_their_errors_are_emptied(
    story: Story, moderator: User
) -> None:
    review = guest_review(story.product, email="later@example.org")
    services.moderation_reject(review=review, reason="spam", by=moderator)
    [row] = OutboxMessage.objects.filter(kind="review_rejected")
    row.last_error = "550 <later@example.org>: mailbox full"  # a first attempt failed
    row.attempts = 1
    row.save(update_fields=["last_error", "attempts"])
    DeliveryAttempt.objects.create(message=row, number=1, attempted_at=timezone.now(), error="550 later@example.org")

    customers_erase([Customer.objects.get().pk])

    row.refresh_from_db()
    assert row.last_error == ""
    assert list(DeliveryAttempt.objects.filter(message=row).values_list("error", flat=True)) == [""]
    assert outbox_deliver(message_id=row.pk, now=timezone.now() + timedelta(seconds=1)) == "sent"  # done: nothing
    assert mail.outbox == []


def test_a_guests_reported_review_taken_down_says_it_was_removed(story: Story, moderator: User, shopper: User) -> None:
    review = guest_review(story.product, email="lou@example.org")
    services.moderation_approve(review=review, by=moderator)
    ReviewReport.objects.create(review=review, reporter=shopper, reason="offensive", created_at=timezone.now())
    services.moderation_reject(review=review, reason="offensive", by=moderator)

    email = delivered("review_rejected")
    assert email.to == ["lou@example.org"]
    assert "was removed" in email.subject
    body = str(email.body)
    assert "was removed from the site" in body and "A shopper reported your review" in body
    assert GUEST_SENTENCE in body and "/reviews/mine/" not in body


def test_a_guests_approved_review_sends_the_published_email(client: Client, story: Story, moderator: User) -> None:
    review = guest_review(story.product, email="lou@example.org", title="Roomy")
    client.force_login(moderator)
    response = client.post(
        reverse("desk:moderation"), {"form": "decide", "decision": f"approve:{review.pk}"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["1 review approved."]

    email = delivered("review_published")
    assert email.to == ["lou@example.org"]
    assert "is published" in email.subject
    body = str(email.body)
    assert body.startswith("Hello Lou,") and "“Roomy”" in body
    assert GUEST_FOOTER in body and "you have an account" not in body


def test_an_erased_guests_approval_says_nobody_was_emailed(client: Client, story: Story, moderator: User) -> None:
    review = guest_review(story.product, email="gone@example.org")
    customers_erase([Customer.objects.get().pk])
    client.force_login(moderator)
    response = client.post(
        reverse("desk:moderation"), {"form": "decide", "decision": f"approve:{review.pk}"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "1 review approved. 1 author has no address on file (an erased customer, a closed account): "
        "nothing was emailed to them."
    ]
    assert not OutboxMessage.objects.filter(kind="review_published").exists()


@pytest.mark.parametrize("action", ["release", "reject"])
def test_a_burst_decision_reaches_a_guest(story: Story, moderator: User, action: str) -> None:
    held = guest_review(story.product, email="lou@example.org", title="Burst")
    gone = guest_review(story.product, email="gone@example.org", title="Gone")
    Review.objects.filter(pk__in=[held.pk, gone.pk]).update(status_reason="burst")
    customers_erase([Customer.objects.get(email="gone@example.org").pk])

    result = burst_decide(
        product=story.product,
        action=action,
        reason="fake" if action == "reject" else "",
        statement="These reviews came from one address.",
        by=moderator,
    )
    assert sorted(result.done) == sorted([held.pk, gone.pk])
    assert result.unemailed == [gone.pk]

    email = delivered("review_burst")
    assert email.to == ["lou@example.org"]
    body = str(email.body)
    assert body.startswith("Hello Lou,")
    assert "These reviews came from one address." in body
    assert "/reviews/mine/" not in body and GUEST_FOOTER in body
    if action == "reject":
        assert GUEST_SENTENCE in body and "appeals@shop.example" in body
