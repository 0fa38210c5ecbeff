"""One small world every hostile request meets unchanged, and the callers that send them.

The world: P1 (flagged, with its open notice) managed by the poster, P2
managed by someone else with a held burst, a published review R of P1 by a shopper, the
poster's own review M of P2, an improvement request, a webhook. The poster holds every
role (moderator, product manager of P1, quality director, customer care), P1 has an unhappy
review's care case with a message care wrote, so each form and endpoint reads
its input instead of refusing the caller first. Every request runs in a savepoint rolled
back after it (:func:`sent`), so a hostile value that is accepted changes nothing the
next request sees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.roles import CUSTOMER_CARE, MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from accounts.verification import email_verify_token
from apikeys.models import ApiKeyScope
from apikeys.services import api_key_create
from care.links import reply_token
from care.models import Case
from care.services import case_message_send, case_open_if_owed
from care.thanks import ThanksOwner, ThanksOwnerKind, thanks_unsubscribe_token
from gate.models import GateEvent, ImprovementRequest, WithdrawalNotice
from notifications.models import WebhookEndpoint
from notifications.webhooks import webhook_endpoint_create
from orders.links import review_token, unsubscribe_token
from orders.models import Invitation, InvitationKind, Order
from products.models import Product
from reviews.models import ReasonCode, Review, ReviewStatus
from tests.integration.desk.factories import (
    DESK_SETTINGS,
    add_review,
    flagged_product_notice,
    make_product,
    user_create,
)
from tests.orders_factories import order_create
from topics.models import TopicPhrase


@pytest.fixture(autouse=True)
def _hostile_settings(settings: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)
    cache.clear()
    settings.RATELIMIT_ENABLED = False  # thousands of requests from one caller
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "api_key": "100000/min"},
    }
    settings.API_RATINGS_FEED_SETTLE_SECONDS = 0


# Before the gate's last evaluated day, as the engine would have flagged it.
FLAG_DAY = date.today() - timedelta(days=10)


@dataclass
class World:
    poster: User
    shopper: User
    key: str  # the poster's API key, holding every scope (ApiKeyScope: a scope added later too)
    p1: Product
    p2: Product
    p3: Product  # neither managed nor reviewed by the poster: where the poster writes a review
    notice: WithdrawalNotice
    review: Review  # R: the shopper's, of P1
    own_review: Review  # M: the poster's, of P2
    held: Review  # part of P2's held burst
    improvement_request: ImprovementRequest
    webhook: WebhookEndpoint
    event: GateEvent
    order: Order  # of P3, delivered and invited: the orders API and the invitation pages reach it
    case: Case  # of an unhappy published review of P1
    reply_token: str  # the reply link of care's message on the case

    def object_values(self, route: str) -> dict[str, str]:
        """The id a route's ``pk`` (or ``product_id``) names."""
        values: dict[str, str] = {}
        if route.startswith("desk/care/"):
            values["pk"] = str(self.case.pk)
        elif route.startswith("desk/notices/"):
            values["pk"] = str(self.notice.pk)
        elif route.startswith("desk/improvements/requests/"):
            values["pk"] = str(self.improvement_request.pk)
        elif route.startswith("desk/moderation/bursts/"):
            values["product_id"] = str(self.p2.pk)
        elif route.startswith("desk/moderation/photos/"):
            # The world's reviews have no photo: the takedown page answers its 404 to everyone.
            values["pk"] = str(self.review.pk)
        elif route.startswith("reviews/photos/"):
            # The world's review has no photo: a photo route answers its 404 to every caller.
            values.update(pk=str(self.review.pk), size="thumb")
        elif route.startswith("product-images/"):
            values["pk"] = str(self.p1.pk)  # no image of that id: the route's 404
        elif route.startswith("reviews/") and route.endswith(("/edit/", "/delete/")):
            values["pk"] = str(self.own_review.pk)
        elif route.startswith(("reviews/", "desk/reviews/")):
            values["pk"] = str(self.review.pk)
        elif route.startswith("desk/topics/phrases/"):
            values["pk"] = str(TopicPhrase.objects.order_by("pk").values_list("pk", flat=True).first())
        return values

    def route_values(self, route: str) -> dict[str, str]:
        """The URL arguments of a site route, so it reaches a real object. A route whose
        arguments are not known here fails the test: add its row."""
        values: dict[str, str] = {"sku": self.p3.sku if route.endswith("/review/") else self.p1.sku}
        values.update(self.object_values(route))
        values["token"] = email_verify_token(self.shopper)
        if route.startswith("invitations/"):
            values["token"] = review_token(self.order.lines.get().pk)
        elif route.startswith("unsubscribe/"):
            assert self.order.customer_id is not None
            values["token"] = unsubscribe_token(self.order.customer_id)
        elif route.startswith("care/reply/"):
            values["token"] = self.reply_token
        elif route.startswith("thanks/unsubscribe/"):
            values["token"] = thanks_unsubscribe_token(ThanksOwner(ThanksOwnerKind.USER, self.shopper.pk))
        if "uidb64" in route:
            values["uidb64"] = urlsafe_base64_encode(force_bytes(self.shopper.pk))
            values["token"] = default_token_generator.make_token(self.shopper)
        return values

    def api_path_values(self, path: str) -> dict[str, str]:
        """The path parameters of an API operation, by the collection the id belongs to."""
        ids = {
            "/api/v1/gate/events/": self.event.pk,
            "/api/v1/gate/improvement-requests/": self.improvement_request.pk,
            "/api/v1/gate/notices/": self.notice.pk,
            "/api/v1/reviews/": self.review.pk,
            "/api/v1/webhooks/": self.webhook.pk,
        }
        values = {"sku": self.p1.sku, "product_sku": self.p1.sku}
        if "{order_id}" in path:
            values["order_id"] = self.order.order_id
        if "{id}" in path:
            collection = path.split("{id}")[0]
            if collection not in ids:
                pytest.fail(f"tests/integration/hostile/conftest.py: no object for {path}: add its row")
            values["id"] = str(ids[collection])
        return values


@pytest.fixture
def world(db: None) -> World:
    poster = user_create(MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, CUSTOMER_CARE, username="poster")
    shopper = user_create(SHOPPER, username="shopper")
    other_manager = user_create(PRODUCT_MANAGER, username="other_manager")
    # The notice as the gate opens it, without a gate run: the world is built for every test.
    notice = flagged_product_notice(managers=[poster], flagged_on=FLAG_DAY, average="2.5")
    p1, event = notice.product, notice.flag_event
    p2 = make_product(managers=[other_manager])
    review = add_review(p1, rating=4, author=shopper, text="The shopper's own words about it.")
    own_review = add_review(p2, rating=3, author=poster, text="The poster's own words about P2.")
    held = add_review(p2, rating=1, status=ReviewStatus.PENDING, title="Held in a burst")
    Review.objects.filter(pk=held.pk).update(status_reason=ReasonCode.BURST)
    improvement_request = ImprovementRequest.objects.create(
        product=p1,
        requested_by=poster,
        requested_at=timezone.now(),
        description="Changed the zip supplier.",
    )
    webhook, _secret = webhook_endpoint_create(
        url="https://erp.example.com/hooks/reviewgate", events=["withdrawn"], by=poster
    )
    p3 = make_product()
    unhappy = add_review(p1, rating=1, author=user_create(SHOPPER, username="unhappy"), text="It tore on night one.")
    case = case_open_if_owed(unhappy, now=timezone.now())  # written straight in: no event opened it
    assert case is not None
    care_message = case_message_send(case=case, by=poster, body="Sorry: which size was it?")
    return World(
        poster=poster,
        shopper=shopper,
        key=api_key_create(name="hostile", owner=poster, scopes=list(ApiKeyScope.values)).plaintext,
        p1=p1,
        p2=p2,
        p3=p3,
        notice=notice,
        review=review,
        own_review=own_review,
        held=held,
        improvement_request=improvement_request,
        webhook=webhook,
        event=event,
        order=_invited_order(p3),
        case=case,
        reply_token=reply_token(care_message.pk),
    )


def _invited_order(product: Product) -> Order:
    placed = order_create(products=[product], email="hostile.customer@example.com")
    assert placed.delivered_at is not None
    invitation = Invitation.objects.create(
        order=placed, kind=InvitationKind.INVITATION, customer=placed.customer, sent_at=placed.delivered_at
    )
    invitation.lines.set(placed.lines.all())
    return placed


def sent(send: Callable[[], Any]) -> Any:
    """One request in a savepoint rolled back after it: the world stays as it was."""
    with transaction.atomic():
        response = send()
        transaction.set_rollback(True)
    return response


@pytest.fixture
def poster_client(world: World) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(world.poster)
    return client
