"""What a shopper is told after sending a review that waits: why it waits (their email
confirmation, a burst on the product, or a moderator's check), never a reason that is not so."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import SHOPPER
from reviews import services
from reviews.models import ReasonCode, Review, ReviewStatus
from tests.factories import product_create, user_create

pytestmark = pytest.mark.django_db

GOOD = {"rating": "4", "title": "Warm and light", "body": "Kept me warm at two degrees, packs small.", "language": "en"}
EMAIL = "Your review will be published once you confirm your email address: we sent you a link."
BURST = "Your review is waiting for a moderator: this product is receiving an unusual number of reviews."
MODERATOR = "will be published once a moderator has checked it"


@pytest.fixture(autouse=True)
def _published_at_once(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False


def send(client: Client, **user: Any) -> tuple[Review, str]:
    client.force_login(user_create(SHOPPER, display_name="Sam", **user))
    product = product_create()
    response = client.post(reverse("review_create", kwargs={"sku": product.sku}), GOOD, follow=True)
    assert response.status_code == 200
    return Review.objects.get(), response.content.decode()


def test_a_review_waiting_for_the_email_confirmation_says_so(client: Client) -> None:
    review, html = send(client, email_verified=False)
    assert (review.status, review.status_reason) == (ReviewStatus.PENDING, ReasonCode.EMAIL_UNVERIFIED)
    assert EMAIL in html
    assert MODERATOR not in html and BURST not in html


def test_a_review_held_in_a_burst_says_so(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "burst_reviews_to_hold", lambda *, review, now: [])
    review, html = send(client)
    assert (review.status, review.status_reason) == (ReviewStatus.PENDING, ReasonCode.BURST)
    assert BURST in html
    assert MODERATOR not in html and EMAIL not in html


def test_a_premoderated_review_still_waits_for_a_moderator(client: Client, settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = True
    review, html = send(client)
    assert (review.status, review.status_reason) == (ReviewStatus.PENDING, "")
    assert f"Thank you! Your review {MODERATOR}. We will email you the outcome." in html
    assert EMAIL not in html and BURST not in html


def test_an_edit_waiting_for_the_email_confirmation_says_so(client: Client) -> None:
    review, _html = send(client, email_verified=False)
    response = client.post(
        reverse("review_edit", kwargs={"pk": review.pk}), {**GOOD, "title": "Warm, light, small"}, follow=True
    )
    review.refresh_from_db()
    assert (review.title, review.status_reason) == ("Warm, light, small", ReasonCode.EMAIL_UNVERIFIED)
    html = response.content.decode()
    assert "Your changes will be published once you confirm your email address: we sent you a link." in html
    assert "once a moderator has checked them" not in html
