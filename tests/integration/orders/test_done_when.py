"""Issue 15's "done when", end to end in one process: an order posted to the API produces,
on its due day, an email whose link lets the customer post a verified review, and the desk
shows the response rate. Each step goes through what production runs: the API with a key
holding `orders`, the sweep, the outbox's delivery, the link's page, the desk's figures."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR
from apikeys.services import api_key_create
from notifications.delivery import outbox_sweep
from orders.invitations import invitations_sweep
from reviews.models import Review
from tests.factories import PASSWORD, product_create, user_create

pytestmark = pytest.mark.django_db

SITE = "https://shop.example"
LINK = re.compile(rf"{re.escape(SITE)}(/invitations/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> None:
    settings.REVIEW_INVITE_DAYS = 7
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_an_order_posted_to_the_api_ends_as_a_verified_review_and_a_response_rate() -> None:
    manager = user_create(PRODUCT_MANAGER)
    tent = product_create(name="Trail tent 2", managers=[manager])
    shop = APIClient()
    key = api_key_create(name="shop", owner=user_create(), scopes=["orders"])
    shop.credentials(HTTP_AUTHORIZATION=f"Api-Key {key.plaintext}")
    delivered = timezone.now() - timedelta(days=7, minutes=5)
    posted = shop.post(
        "/api/v1/orders/",
        {
            "order_id": "SO-1001",
            "customer": {"email": "Camille@Example.com", "name": "Camille Martin", "language": "en"},
            "purchased_at": (delivered - timedelta(days=2)).isoformat(),
            "delivered_at": delivered.isoformat(),
            "lines": [{"sku": tent.sku, "quantity": 1}],
        },
        format="json",
    )
    assert posted.status_code == 201, posted.content

    # The due day: not a minute before, then one email, once.
    due = delivered + timedelta(days=7)
    assert invitations_sweep(now=due - timedelta(minutes=1)) == 0
    assert invitations_sweep(now=due) == 1
    assert invitations_sweep(now=due + timedelta(minutes=5)) == 0
    assert outbox_sweep(now=timezone.now()) == 1
    [email] = mail.outbox
    assert email.to == ["Camille@Example.com"]
    [link] = LINK.findall(str(email.body))

    # The customer, with no account, follows the link and writes a review.
    customer = Client()
    assert customer.get(link).status_code == 200
    written = customer.post(
        link,
        {
            "rating": "4",
            "title": "Dry after a stormy night",
            "body": "Pitched it in the rain twice: no leak at all.",
            "language": "en",
            "author_name": "Camille",
        },
    )
    assert written.status_code in (200, 302), written.content
    review = Review.objects.get(product=tent)
    assert (review.verified_purchase, review.author_id, review.source, review.status) == (
        True,
        None,
        "invitation",
        "published",
    )
    # The link is used now.
    assert customer.get(link).status_code == 410

    # The desk: the product's manager reads a 100 % response rate.
    desk = Client()
    assert desk.login(username=manager.username, password=PASSWORD)
    figures = desk.get("/api/v1/invitation-figures/?group=product")
    assert figures.status_code == 200, figures.content
    [row] = figures.json()["results"]
    assert (row["key"], row["invitations_sent"], row["links_opened"], row["reviews_written"]) == (tent.sku, 1, 1, 1)
    assert float(row["response_rate_percent"]) == 100.0
    assert float(row["verified_percent"]) == 100.0
    page = desk.get(f"/desk/products/{tent.sku}/reviews/")
    assert page.status_code == 200
    assert b"100.0" in page.content

    # And the quality director reads it too.
    director = Client()
    assert director.login(username=user_create(QUALITY_DIRECTOR).username, password=PASSWORD)
    assert director.get("/api/v1/invitation-figures/?group=product").json()["results"][0]["reviews_written"] == 1
