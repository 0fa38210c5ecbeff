"""Reviews that wait (issue 13): for their author's email confirmation, and in a burst.

The email confirmation is announced by accounts on ``accounts.email_verified``; these tests
publish that topic themselves (the verification flow is accounts'). The burst rule is
reviews.bursts'; here it is replaced by a stand-in, to test what reviews.services does
with its answer.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.events import EmailVerified, email_verified
from accounts.roles import MODERATOR, SHOPPER
from core.errors import Conflict
from desk.selectors import moderation_pending
from products.models import Product
from reviews import services
from reviews.models import ReasonCode, Review, ReviewStatus, ReviewStatusChange
from reviews.services import email_verified_reviews_release, review_publish, review_submit
from tests.factories import REVIEW_TEXT, product_create, user_create

pytestmark = pytest.mark.django_db

WAITING_LABEL = "Waiting for your email confirmation"


@pytest.fixture(autouse=True)
def _published_at_once(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False


def submit(product: Product, author: Any, rating: int = 2, **extra: Any) -> Review:
    return review_submit(
        product=product, author=author, rating=rating, title="Too soon", body=REVIEW_TEXT, language="en", **extra
    )


def confirm(user: Any, at: Any = None) -> None:
    """What accounts does when an address is proven: mark it, then announce it (one transaction)."""
    at = at or timezone.now()
    with transaction.atomic():
        user.email_verified_at = at
        user.save(update_fields=["email_verified_at"])
        email_verified.publish(EmailVerified(user=user, at=at))


def figures(product: Product) -> tuple[int, int, int]:
    product.refresh_from_db()
    return product.current_count, product.current_sum, product.all_time_count


# --- Waiting for the email confirmation ----------------------------------------------------


def test_reviews_subscribes_to_the_email_confirmation() -> None:
    assert email_verified_reviews_release in email_verified.handlers


def test_an_unverified_authors_review_waits_and_counts_nowhere() -> None:
    product = product_create()
    newcomer = user_create(SHOPPER, email_verified=False)
    review = submit(product, newcomer, 1)
    assert (review.status, review.status_reason) == (ReviewStatus.PENDING, ReasonCode.EMAIL_UNVERIFIED)
    assert review.published_at is None
    assert figures(product) == (0, 0, 0)
    assert list(ReviewStatusChange.objects.filter(review=review).values_list("from_status", "to_status", "reason")) == [
        ("", "pending", "email_unverified")
    ]
    # Not a moderator's to release: not in the queue, and refused if tried.
    moderator = user_create(MODERATOR)
    assert list(moderation_pending(user=moderator)) == []
    with pytest.raises(Conflict) as refused:
        review_publish(review=review, by=moderator)
    assert refused.value.code == "email_unverified"


def test_a_waiting_review_is_shown_to_its_author_only(client: Any) -> None:
    product = product_create(sku="WAIT-1")
    newcomer = user_create(SHOPPER, email_verified=False)
    review = submit(product, newcomer, 1, now=timezone.now())
    page_url = reverse("product_detail", kwargs={"sku": product.sku})
    anonymous_page = client.get(page_url).content.decode()
    assert f'id="review-{review.pk}"' not in anonymous_page
    assert WAITING_LABEL not in anonymous_page
    assert APIClient().get(f"/api/v1/products/{product.sku}/reviews/").json()["results"] == []
    assert APIClient().get(f"/api/v1/reviews/{review.pk}/").status_code == 404

    client.force_login(newcomer)
    own_page = client.get(page_url).content.decode()
    assert WAITING_LABEL in own_page
    assert f'id="review-{review.pk}"' not in own_page  # not among the published ones
    assert WAITING_LABEL in client.get(reverse("review_mine")).content.decode()


def test_confirming_the_email_publishes_the_waiting_reviews() -> None:
    first, second = product_create(), product_create()
    newcomer = user_create(SHOPPER, email_verified=False)
    waiting = [submit(first, newcomer, 4), submit(second, newcomer, 2)]
    at = timezone.now() + timedelta(minutes=5)

    confirm(newcomer, at)

    for review in waiting:
        review.refresh_from_db()
        assert (review.status, review.status_reason, review.published_at) == (ReviewStatus.PUBLISHED, "", at)
    assert figures(first) == (1, 4, 1)
    assert figures(second) == (1, 2, 1)


def test_with_premoderation_a_confirmed_review_waits_for_a_moderator(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = True
    product = product_create()
    newcomer = user_create(SHOPPER, email_verified=False)
    review = submit(product, newcomer)
    moderator = user_create(MODERATOR)
    assert list(moderation_pending(user=moderator)) == []

    confirm(newcomer)

    review.refresh_from_db()
    assert (review.status, review.status_reason) == (ReviewStatus.PENDING, "")
    assert list(moderation_pending(user=moderator)) == [review]
    assert figures(product) == (0, 0, 0)


def test_a_confirmation_rolled_back_releases_nothing() -> None:
    product = product_create()
    newcomer = user_create(SHOPPER, email_verified=False)
    review = submit(product, newcomer)
    with pytest.raises(RuntimeError), transaction.atomic():
        email_verified.publish(EmailVerified(user=newcomer, at=timezone.now()))
        raise RuntimeError("the confirmation failed after the announcement")
    review.refresh_from_db()
    assert (review.status, review.status_reason) == (ReviewStatus.PENDING, ReasonCode.EMAIL_UNVERIFIED)
    assert figures(product) == (0, 0, 0)


def test_a_verified_authors_review_never_waits_for_the_email() -> None:
    review = submit(product_create(), user_create(SHOPPER))
    assert (review.status, review.status_reason) == (ReviewStatus.PUBLISHED, "")


# --- The burst hook ------------------------------------------------------------------------


class BurstStandIn:
    """Replaces reviews.bursts.burst_reviews_to_hold: answers ``held`` and records each call."""

    def __init__(self, held: list[int] | None) -> None:
        self.held = held
        self.calls: list[Review] = []  # asked before the new review's row is written: its pk comes after

    def __call__(self, *, review: Review, now: Any) -> list[int] | None:
        self.calls.append(review)
        return self.held


def test_no_burst_publishes_as_usual(monkeypatch: pytest.MonkeyPatch) -> None:
    stand_in = BurstStandIn(None)
    monkeypatch.setattr(services, "burst_reviews_to_hold", stand_in)
    review = submit(product_create(), user_create(SHOPPER))
    assert [asked.pk for asked in stand_in.calls] == [review.pk]
    assert review.status == ReviewStatus.PUBLISHED


def test_a_burst_holds_the_new_review_and_takes_the_listed_ones_back(monkeypatch: pytest.MonkeyPatch) -> None:
    product = product_create()
    earlier = [submit(product, user_create(SHOPPER), 1) for _ in range(3)]
    untouched = earlier.pop()
    assert figures(product) == (3, 3, 3)
    stand_in = BurstStandIn([review.pk for review in earlier])
    monkeypatch.setattr(services, "burst_reviews_to_hold", stand_in)

    new = submit(product, user_create(SHOPPER), 1)

    assert (new.status, new.status_reason) == (ReviewStatus.PENDING, ReasonCode.BURST)
    for review in earlier:
        review.refresh_from_db()
        assert (review.status, review.status_reason) == (ReviewStatus.PENDING, ReasonCode.BURST)
        assert ReviewStatusChange.objects.filter(
            review=review, from_status="published", to_status="pending", reason="burst"
        ).exists()
    untouched.refresh_from_db()
    assert untouched.status == ReviewStatus.PUBLISHED
    assert figures(product) == (1, 1, 1)


def test_a_burst_on_confirmation_holds_the_waiting_review(monkeypatch: pytest.MonkeyPatch) -> None:
    product = product_create()
    newcomer = user_create(SHOPPER, email_verified=False)
    review = submit(product, newcomer)
    stand_in = BurstStandIn([])
    monkeypatch.setattr(services, "burst_reviews_to_hold", stand_in)

    confirm(newcomer)

    review.refresh_from_db()
    assert [asked.pk for asked in stand_in.calls] == [review.pk]
    assert (review.status, review.status_reason) == (ReviewStatus.PENDING, ReasonCode.BURST)


def test_a_moderators_release_never_asks_the_burst_rule_again(monkeypatch: pytest.MonkeyPatch) -> None:
    product = product_create()
    monkeypatch.setattr(services, "burst_reviews_to_hold", BurstStandIn([]))
    held = submit(product, user_create(SHOPPER), 4)
    assert held.status_reason == ReasonCode.BURST
    asked_again = BurstStandIn([])
    monkeypatch.setattr(services, "burst_reviews_to_hold", asked_again)

    released = review_publish(review=held, by=user_create(MODERATOR))

    assert asked_again.calls == []
    assert (released.status, released.status_reason) == (ReviewStatus.PUBLISHED, "")
    assert figures(product) == (1, 4, 1)


def test_with_premoderation_a_burst_is_still_labelled_as_one(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # The moderator then sees the burst as one (grouped, decided with a statement), not
    # reviews to approve one by one.
    settings.REVIEWS_PREMODERATION = True
    monkeypatch.setattr(services, "burst_reviews_to_hold", BurstStandIn([]))
    held = submit(product_create(), user_create(SHOPPER))
    monkeypatch.setattr(services, "burst_reviews_to_hold", BurstStandIn(None))
    ordinary = submit(product_create(), user_create(SHOPPER))

    assert (held.status, held.status_reason) == (ReviewStatus.PENDING, ReasonCode.BURST)
    assert (ordinary.status, ordinary.status_reason) == (ReviewStatus.PENDING, "")


def test_the_api_says_why_a_new_review_waits(client: Any) -> None:
    product = product_create(sku="WAIT-1")
    client.force_login(user_create(SHOPPER, email_verified=False))

    response = client.post(
        f"/api/v1/products/{product.sku}/reviews/",
        {"rating": 4, "title": "Fine", "body": REVIEW_TEXT, "language": "en"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["status_reason"]) == ("pending", "email_unverified")
