"""A little data for fuzzing the API (.ci/schemathesis.sh), on a throwaway database.

Not the demo seed: just enough rows that every endpoint has something to return (products
in each gate state, reviews with a brand reply, gate events, a notice, a webhook endpoint,
improvement requests waiting for a quality director, orders delivered and not yet).
Prints one JSON object for the fuzzer: a quality director's API key holding every scope
(`read`, `write`, `orders`: one key reaches every operation), and the SKUs, ids and order
ids that exist, so that path parameters hit real rows as well as random ones.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER, user_add_role
from apikeys.models import ApiKeyScope
from apikeys.services import api_key_create
from core.commands import OperatorCommand, bad_input
from gate.configured import gate_policy_from_settings
from gate.models import GateEvent, ImprovementRequest, WithdrawalNotice
from gate.policy import EventKind, GateState
from gate.services import improvement_log
from gate.services.approvals import improvement_request_submit
from notifications.models import WebhookEndpoint
from notifications.webhooks import webhook_endpoint_create
from orders.models import Order
from orders.services import LineInput, OrderInput, order_receive
from products.models import Category, Product
from reviews.models import Review
from reviews.reactions import brand_reply_post
from reviews.services import review_submit

REVIEW_BODY = "Worn for a month of weekend hikes; the details are in the title."


class Command(OperatorCommand):
    help = "Seeds a throwaway database for API fuzzing and prints a quality director's API key with every scope."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="seed even though the database already holds products")

    def handle(self, *args: Any, **options: Any) -> None:
        if Product.objects.exists() and not options["force"]:
            raise bad_input("this database already holds products: the fuzz fixture is for a throwaway database")
        with transaction.atomic():
            key = self._seed()
        ids = {
            *Review.objects.values_list("id", flat=True),
            *GateEvent.objects.values_list("id", flat=True),
            *WithdrawalNotice.objects.values_list("id", flat=True),
            *WebhookEndpoint.objects.values_list("id", flat=True),
            *ImprovementRequest.objects.values_list("id", flat=True),
        }
        skus = list(Product.objects.order_by("sku").values_list("sku", flat=True))
        order_ids = list(Order.objects.order_by("order_id").values_list("order_id", flat=True))
        self.stdout.write(json.dumps({"api_key": key, "skus": skus, "ids": sorted(ids), "order_ids": order_ids}))

    def _user(self, username: str, role: str) -> User:
        # Real accounts as issue 13 makes them: a confirmed address (else their reviews
        # would wait, and the API would have less to return) and a display name of their own.
        user = User.objects.create_user(
            username=username,
            email=f"{username}@example.com",
            display_name=username.replace("_", " ").title(),
            email_verified_at=timezone.now(),
        )
        user_add_role(user, role)
        return User.objects.get(pk=user.pk)

    def _seed(self) -> str:
        director = self._user("fuzz_director", QUALITY_DIRECTOR)
        manager = self._user("fuzz_manager", PRODUCT_MANAGER)
        shoppers = [self._user(f"fuzz_shopper{n}", SHOPPER) for n in range(4)]
        shoes = Category.objects.create(name="Shoes", slug="shoes")
        tents = Category.objects.create(name="Tents", slug="tents")
        products = [
            Product.objects.create(sku=f"FUZZ-{n}", name=f"Fuzz product {n}", slug=f"fuzz-{n}", category=category)
            for n, category in enumerate([shoes, shoes, tents, tents])
        ]
        for product in products:
            product.managers.add(manager)
        for n, (product, ratings) in enumerate(zip(products, [(5, 4, 4), (1, 2, 2), (3,), ()], strict=True)):
            for shopper, rating in zip(shoppers, ratings, strict=False):
                review = review_submit(
                    product=product,
                    author=shopper,
                    rating=rating,
                    title=f"Review {n}.{rating}",
                    body=REVIEW_BODY,
                    language="en" if rating % 2 else "fr",
                )
        brand_reply_post(review=review, author=manager, body="Thank you for the detailed review.")
        today = timezone.localdate()
        flagged_on = today - timedelta(days=3)
        policy = gate_policy_from_settings()
        deadline = policy.withdrawal_date(flagged_on)
        # The gate's history, as the engine would have written it.
        event = GateEvent.objects.create(
            product=products[1],
            day=flagged_on,
            kind=EventKind.FLAGGED,
            average="1.6667",
            count=3,
            policy=policy.as_dict(),
        )
        WithdrawalNotice.objects.create(product=products[1], flag_event=event, opened_on=flagged_on, deadline=deadline)
        Product.objects.filter(pk=products[1].pk).update(
            gate_state=GateState.FLAGGED, flagged_on=flagged_on, withdrawal_deadline=deadline
        )
        improvement_log(product=products[2], by=manager, description="Stronger poles", public_note="New poles.")
        # Requests for the approve and reject operations (one may wait per product).
        for product in (products[0], products[3]):
            improvement_request_submit(product=product, by=manager, description="Harder outsole compound")
        webhook_endpoint_create(url="http://127.0.0.1:9/hook", events=["withdrawn"], by=director)
        self._orders(products)
        return api_key_create(name="fuzz", owner=director, scopes=ApiKeyScope.values).plaintext

    def _orders(self, products: list[Product]) -> None:
        """One order delivered (a refund may follow), one not yet (its delivery may follow)."""
        now = timezone.now()
        for n, delivered_at in enumerate((now - timedelta(days=2), None)):
            order_receive(
                OrderInput(
                    order_id=f"FUZZ-ORDER-{n}",
                    email=f"fuzz.customer{n}@example.com",
                    name=f"Fuzz Customer{n}",
                    language="en",
                    purchased_at=now - timedelta(days=3),
                    delivered_at=delivered_at,
                    lines=(LineInput(sku=products[n].sku, quantity=1),),
                )
            )
