"""Held bursts in the moderation queue: grouped by product with their figures, released or
rejected in bulk (all, or a selection) with a statement emailed to every author; only
moderators see and act, never on a product they manage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import MODERATOR, SHOPPER, user_add_role
from desk.bursts import burst_decide
from desk.models import AuditAction, AuditEntry
from desk.services import moderation_bulk
from notifications.delivery import outbox_deliver
from notifications.models import OutboxMessage
from products.models import Product
from reviews.models import ReasonCode, Review, ReviewStatus
from reviews.services import review_submit
from tests.factories import REVIEW_TEXT
from tests.integration.desk.factories import add_review, make_product

pytestmark = pytest.mark.django_db

STATEMENT = "These reviews arrived within minutes from accounts opened the same day; we checked each one."


@pytest.fixture
def product(manager: User) -> Product:
    """A product with a quiet history (a review every few days) that its manager answers for."""
    product = make_product(managers=[manager])
    for days_ago in range(3, 60, 6):
        add_review(product, rating=4, days_ago=days_ago)
    product.refresh_from_db()
    return product


@pytest.fixture
def burst(product: Product, make_user: Callable[..., User]) -> list[Review]:
    """Six fresh accounts (two of them French) post within a minute: all six held."""
    now = timezone.now() - timedelta(minutes=5)
    reviews = []
    for n, (stars, language) in enumerate([(1, "en"), (1, "fr"), (2, "en"), (1, "fr"), (1, "en"), (5, "en")]):
        author = make_user(SHOPPER, language=language, display_name=f"Fresh {n}", joined_days_ago=0)
        reviews.append(
            review_submit(
                product=product,
                author=author,
                rating=stars,
                title=f"Burst review {n}",
                body=REVIEW_TEXT,
                language=language,
                now=now + timedelta(seconds=n),
            )
        )
    held = Review.objects.filter(product=product, status=ReviewStatus.PENDING, status_reason=ReasonCode.BURST)
    assert held.count() == 6
    return list(held.order_by("created_at"))


def deliver(message: OutboxMessage) -> mail.EmailMessage:
    assert outbox_deliver(message_id=message.pk, now=timezone.now() + timedelta(seconds=1)) == "sent"
    return mail.outbox[-1]


def decide(client: Client, product: Product, **data: object) -> Any:
    return client.post(reverse("desk:moderation_burst_decide", kwargs={"product_id": product.pk}), data)


def test_the_queue_shows_the_burst_by_product_with_its_figures(
    client: Client, moderator: User, product: Product, burst: list[Review]
) -> None:
    client.force_login(moderator)
    page = client.get(reverse("desk:moderation")).content.decode()

    section = page[page.index(f'id="burst-{product.pk}"') :]
    assert product.name in section
    assert '<dd data-figure="held">6</dd>' in section
    assert '<dd data-figure="new-accounts">6</dd>' in section
    stars = {n: section.split(f'<td data-stars="{n}">', 1)[1].split("<", 1)[0] for n in range(1, 6)}
    assert stars == {5: "1", 4: "0", 3: "0", 2: "1", 1: "4"}
    assert all(f'id="burst-select-{review.pk}"' in section for review in burst)
    # Held reviews are decided in their burst, not one by one among the others waiting.
    pending_part = page[page.index('id="pending-heading"') :]
    assert not any(f'id="queue-{review.pk}"' in pending_part for review in burst)


def test_release_all_publishes_them_and_emails_the_statement(
    client: Client, moderator: User, product: Product, burst: list[Review]
) -> None:
    count_before = product.current_count
    client.force_login(moderator)

    response = decide(client, product, decision="release:all", statement=STATEMENT)

    assert response.status_code == 302
    assert set(Review.objects.filter(pk__in=[r.pk for r in burst]).values_list("status", flat=True)) == {
        ReviewStatus.PUBLISHED
    }
    product.refresh_from_db()
    assert product.current_count == count_before + 6
    messages = list(OutboxMessage.objects.filter(kind="review_burst").order_by("pk"))
    assert [m.recipient_id for m in messages] == [r.author_id for r in burst]
    email = deliver(messages[0])
    assert email.to == [burst[0].author.email]  # type: ignore[union-attr]
    assert STATEMENT in email.body
    assert "Burst review 0" in email.body
    assert "published" in email.subject
    assert AuditEntry.objects.filter(action=AuditAction.REVIEW_APPROVED, actor=moderator).count() == 6
    # In the author's language (the statement itself as the moderator wrote it).
    french = deliver(messages[1])
    assert french.body.startswith("Bonjour Fresh 1,")
    assert STATEMENT in french.body


def test_reject_all_needs_a_reason_then_takes_them_out_of_the_queue(
    client: Client, moderator: User, product: Product, burst: list[Review]
) -> None:
    client.force_login(moderator)

    refused = decide(client, product, decision="reject:all", statement=STATEMENT)
    assert refused.status_code == 400
    assert "Choose the reason for rejecting the reviews." in refused.content.decode()
    assert Review.objects.filter(status_reason=ReasonCode.BURST).count() == 6

    response = decide(client, product, decision="reject:all", reason="fake", statement=STATEMENT)

    assert response.status_code == 302
    rejected = Review.objects.filter(pk__in=[r.pk for r in burst])
    assert set(rejected.values_list("status", "status_reason")) == {(ReviewStatus.REJECTED, "fake")}
    page = client.get(reverse("desk:moderation")).content.decode()
    assert f'id="burst-{product.pk}"' not in page
    email = deliver(OutboxMessage.objects.filter(kind="review_burst").order_by("pk").first())  # type: ignore[arg-type]
    assert STATEMENT in email.body
    assert "not published" in email.subject
    assert "fake" in email.body


def test_a_selection_is_decided_and_the_rest_stays_held(
    client: Client, moderator: User, product: Product, burst: list[Review]
) -> None:
    client.force_login(moderator)
    chosen = [burst[0].pk, burst[5].pk]

    response = decide(client, product, decision="release:selected", reviews=chosen, statement=STATEMENT)

    assert response.status_code == 302
    statuses = dict(Review.objects.filter(product=product, pk__in=[r.pk for r in burst]).values_list("pk", "status"))
    assert {pk for pk, status in statuses.items() if status == ReviewStatus.PUBLISHED} == set(chosen)
    assert Review.objects.filter(status_reason=ReasonCode.BURST).count() == 4
    assert OutboxMessage.objects.filter(kind="review_burst").count() == 2


def test_a_statement_is_required(client: Client, moderator: User, product: Product, burst: list[Review]) -> None:
    client.force_login(moderator)

    response = decide(client, product, decision="release:all", statement="  ")

    assert response.status_code == 400
    assert "Write the statement every author will receive." in response.content.decode()
    assert Review.objects.filter(status_reason=ReasonCode.BURST).count() == 6
    assert not OutboxMessage.objects.filter(kind="review_burst").exists()


def test_only_moderators_see_and_decide(client: Client, shopper: User, product: Product, burst: list[Review]) -> None:
    client.force_login(shopper)
    assert client.get(reverse("desk:moderation")).status_code == 403
    assert decide(client, product, decision="release:all", statement=STATEMENT).status_code == 403
    assert Review.objects.filter(status_reason=ReasonCode.BURST).count() == 6


def test_a_moderator_who_manages_the_product_neither_sees_nor_decides_its_burst(
    client: Client, manager: User, product: Product, burst: list[Review]
) -> None:
    user_add_role(manager, MODERATOR)
    client.force_login(manager)
    page = client.get(reverse("desk:moderation")).content.decode()
    assert f'id="burst-{product.pk}"' not in page

    response = decide(client, product, decision="release:all", statement=STATEMENT)

    assert response.status_code == 403
    assert Review.objects.filter(status_reason=ReasonCode.BURST).count() == 6


def test_a_review_decided_meanwhile_is_skipped(moderator: User, product: Product, burst: list[Review]) -> None:
    burst_decide(
        product=product, action="reject", reason="spam", statement=STATEMENT, by=moderator, review_ids=[burst[0].pk]
    )

    result = burst_decide(
        product=product, action="release", statement=STATEMENT, by=moderator, review_ids=[burst[0].pk, burst[1].pk]
    )

    assert result.done == [burst[1].pk]
    assert Review.objects.get(pk=burst[0].pk).status == ReviewStatus.REJECTED
    [(skipped, why)] = result.skipped
    assert skipped == burst[0].pk
    assert why == "This review is no longer held."


def test_the_ordinary_queue_cannot_decide_a_held_burst(burst: list[Review], moderator: User) -> None:
    result = moderation_bulk(review_ids=[review.pk for review in burst], action="approve", by=moderator)

    assert result.done == []
    assert len(result.skipped) == len(burst)
    assert all("held" in message for _pk, message in result.skipped)
    assert Review.objects.filter(pk__in=[review.pk for review in burst], status=ReviewStatus.PUBLISHED).count() == 0


def test_a_burst_form_sent_from_the_queue_is_refused_there_and_its_rejection_says_how_to_contest(
    client: Client, moderator: User, product: Product, burst: list[Review]
) -> None:
    """The queue's burst form posts to the queue itself (desk.views.common.page_with_forms):
    a refusal re-renders at /desk/moderation/ with what was typed; a rejection's email is a
    statement of reasons (the automated hold told apart from the person's decision)."""
    client.force_login(moderator)
    page_url = reverse("desk:moderation")
    refused = client.post(
        page_url, {"form": "burst", "product": product.pk, "decision": "reject:all", "statement": STATEMENT}
    )
    assert refused.status_code == 400 and refused.request["PATH_INFO"] == page_url
    html = refused.content.decode()
    assert "Choose the reason for rejecting the reviews." in html and STATEMENT in html

    response = client.post(
        page_url,
        {"form": "burst", "product": product.pk, "decision": "reject:all", "reason": "fake", "statement": STATEMENT},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page_url
    assert "6 held reviews rejected." in response.content.decode()
    email = deliver(OutboxMessage.objects.filter(kind="review_burst").order_by("pk").first())  # type: ignore[arg-type]
    assert (
        "An automated rule (the burst rule" in email.body
        and "a person (the moderator) took this decision" in email.body
    )
    assert f"write to {django_settings.MODERATION_APPEALS_EMAIL} within six months" in email.body
