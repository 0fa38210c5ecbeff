"""Rejecting a review sends its author a statement of reasons (EU Digital Services Act,
Art. 17): the decision, the facts, the reason code and its rule, the moderator's note,
whether automated means were used, and how to contest it; in the author's language. The
reason "other" needs a note (docs/desk.md)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import SHOPPER
from core.errors import ValidationFailed
from desk import services
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from reviews.models import Review, ReviewReport, ReviewStatus, ReviewStatusChange
from reviews.services import review_reject
from tests.integration.desk.factories import Story, add_review

pytestmark = pytest.mark.django_db


def _statement() -> mail.EmailMessage:
    message = OutboxMessage.objects.get(kind="review_rejected")
    assert outbox_deliver(message_id=message.pk, now=timezone.now() + timedelta(seconds=1)) == "sent"
    return mail.outbox[-1]


def test_a_rejection_emails_the_whole_statement_of_reasons(
    client: Client, story: Story, moderator: User, make_user: object, settings: object
) -> None:
    settings.MODERATION_APPEALS_EMAIL = "appeals@shop.example"  # type: ignore[attr-defined]
    author = make_user(SHOPPER, language="en", display_name="Sam")  # type: ignore[operator]
    pending = add_review(story.product, rating=4, author=author, status=ReviewStatus.PENDING, title="Call me")
    client.force_login(moderator)
    response = client.post(
        reverse("desk:moderation"),
        {
            "form": "decide",
            "decision": f"reject:{pending.pk}",
            f"reason_{pending.pk}": "personal_data",
            f"note_{pending.pk}": "Your review gives your phone number.",
        },
    )
    assert response.status_code == 302
    body = _statement().body
    assert "Statement of reasons" in body
    assert "“Call me”" in body and "was not published" in body  # the decision
    assert "before publishing it" in body  # the facts: it waited for a first check
    assert "Contains personal data" in body and "“personal_data”" in body  # the ground
    assert "Names, email addresses, phone numbers" in body  # the published rule
    assert "Your review gives your phone number." in body  # the moderator's note
    assert "A person (a moderator) took this decision" in body  # automated means: none
    assert "appeals@shop.example" in body and "out-of-court dispute settlement" in body  # how to contest
    assert "https://shop.example/reviews/mine/" in body
    [change] = ReviewStatusChange.objects.filter(review=pending, to_status=ReviewStatus.REJECTED)
    assert change.note == "Your review gives your phone number."


def test_a_reported_review_taken_down_says_it_was_reported_and_removed(
    story: Story, moderator: User, shopper: User, make_user: object
) -> None:
    author = make_user(SHOPPER, language="en")  # type: ignore[operator]
    review = add_review(story.product, rating=1, author=author, title="Rude")
    ReviewReport.objects.create(review=review, reporter=shopper, reason="offensive", created_at=timezone.now())
    services.moderation_reject(review=review, reason="offensive", by=moderator)
    email = _statement()
    body = email.body
    assert "was removed" in email.subject
    assert "was removed from the site" in body
    assert "A shopper reported your review" in body


def test_the_statement_is_in_the_authors_language(story: Story, moderator: User, make_user: object) -> None:
    author = make_user(SHOPPER, language="fr")  # type: ignore[operator]
    pending = add_review(story.product, rating=2, author=author, status=ReviewStatus.PENDING, language="fr")
    services.moderation_reject(review=pending, reason="spam", by=moderator)
    email = _statement()
    assert "n’a pas été publié" in email.subject or "pas été publié" in email.subject
    assert "Bonjour" in email.body


def test_other_without_a_note_is_refused_on_the_queue_and_changes_nothing(
    client: Client, story: Story, moderator: User, shopper: User
) -> None:
    pending = add_review(story.product, rating=3, author=shopper, status=ReviewStatus.PENDING)
    client.force_login(moderator)
    response = client.post(
        reverse("desk:moderation"),
        {
            "form": "decide",
            "decision": f"reject:{pending.pk}",
            f"reason_{pending.pk}": "other",
            f"note_{pending.pk}": " ",
        },
    )
    assert response.status_code == 400
    assert "With the reason “Other”, write what the review breaks" in response.content.decode()
    assert Review.objects.get(pk=pending.pk).status == ReviewStatus.PENDING
    assert not OutboxMessage.objects.filter(kind="review_rejected").exists()

    response = client.post(
        reverse("desk:moderation"),
        {"form": "decide", "decision": "reject:selected", "reviews": [pending.pk], "reason_selected": "other"},
    )
    assert response.status_code == 400
    assert Review.objects.get(pk=pending.pk).status == ReviewStatus.PENDING

    response = client.post(
        reverse("desk:moderation"),
        {
            "form": "decide",
            "decision": "reject:selected",
            "reviews": [pending.pk],
            "reason_selected": "other",
            "note_selected": "It quotes a whole article from a newspaper.",
        },
    )
    assert response.status_code == 302
    assert "It quotes a whole article from a newspaper." in _statement().body


def test_the_services_refuse_other_without_a_note(story: Story, moderator: User) -> None:
    pending = add_review(story.product, rating=3, status=ReviewStatus.PENDING)
    with pytest.raises(ValidationFailed) as refused:
        services.moderation_reject(review=pending, reason="other", by=moderator)
    assert "note" in refused.value.fields
    with pytest.raises(ValidationFailed):
        services.moderation_bulk(review_ids=[pending.pk], action="reject", reason="other", by=moderator)
    with pytest.raises(ValidationFailed):
        review_reject(review=pending, reason="other", note="", by=moderator)
    assert Review.objects.get(pk=pending.pk).status == ReviewStatus.PENDING


def test_a_note_past_its_limit_is_refused(story: Story, moderator: User) -> None:
    pending = add_review(story.product, rating=3, status=ReviewStatus.PENDING)
    with pytest.raises(ValidationFailed):
        services.moderation_reject(review=pending, reason="other", note="x" * 2001, by=moderator)


@pytest.mark.parametrize("note", ["Zip\x00broke", "Open \u202e override"])
def test_a_note_with_a_null_or_an_unclosed_direction_control_is_refused_on_the_queue(
    client: Client, story: Story, moderator: User, note: str
) -> None:
    pending = add_review(story.product, rating=3, status=ReviewStatus.PENDING)
    client.force_login(moderator)
    response = client.post(
        reverse("desk:moderation"),
        {
            "form": "decide",
            "decision": f"reject:{pending.pk}",
            f"reason_{pending.pk}": "other",
            f"note_{pending.pk}": note,
        },
    )
    assert response.status_code == 400
    assert Review.objects.get(pk=pending.pk).status == ReviewStatus.PENDING
