"""Issue 15's review from outside (hostile cases): whose review a link writes, and where a
customer's address must never end up.

- an account that merely claims the customer's address (signed up with it, unconfirmed)
  gets nothing from the customer's link: not the review, not a confirmation, not their
  verified purchases; a deactivated account neither; a staff account always (the
  conflict-of-interest rules); the address's own account, signed in, is confirmed by it;
- a name that is an address is refused, and never becomes a review's display name;
- a refused delivery keeps no address in its error, log line or attempt, and an erasure
  clears what a server may have quoted otherwise;
- a product the customer reviewed through one order is not asked about on the next.
"""

from __future__ import annotations

import logging
import re
import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.utils import timezone

from accounts.roles import MODERATOR
from accounts.signup import account_signup
from core.errors import ValidationFailed
from notifications.delivery import outbox_sweep
from notifications.models import DeliveryAttempt, OutboxMessage
from orders.invitation_use import purchase_verified
from orders.invitations import invitations_sweep
from orders.links import review_token
from orders.models import Invitation, InvitationKind, Order, OrderLine
from orders.services import LineInput, OrderInput, customer_erase, order_receive
from products.models import Product
from reviews.models import Review
from reviews.verified import guest_display_name
from tests.factories import PASSWORD, REVIEW_TEXT, product_create, user_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.com"
FORM = {"rating": "5", "title": "Warm and light", "body": REVIEW_TEXT, "language": "en", "author_name": "Vic"}
SITE = "https://shop.example"
LINK = re.compile(rf"{re.escape(SITE)}(/invitations/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> None:
    settings.REVIEWS_PREMODERATION = False
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def invited(*products: Product, email: str = VICTIM, **order: Any) -> tuple[Order, list[str]]:
    """An order delivered and invited: the order and one review link per product."""
    placed = order_create(products=products, email=email, **order)
    assert placed.delivered_at is not None
    invitation = Invitation.objects.create(
        order=placed, kind=InvitationKind.INVITATION, customer=placed.customer, sent_at=placed.delivered_at
    )
    invitation.lines.set(placed.lines.all())
    return placed, [f"/invitations/{review_token(line.pk)}/" for line in placed.lines.order_by("id")]


def test_an_account_claiming_the_address_gets_nothing_from_the_customers_link() -> None:
    claimer = account_signup(username="claimer", email=VICTIM, display_name="Cl", language="en", password=PASSWORD)
    assert claimer is not None and claimer.email_verified_at is None
    tent, stove = product_create(), product_create()
    _order, [tent_link, _stove_link] = invited(tent, stove)

    assert Client().post(tent_link, FORM).status_code == 200  # the real customer, not signed in

    review = Review.objects.get(product=tent)
    assert (review.author_id, review.author_name, review.verified_purchase) == (None, "Vic", True)
    claimer.refresh_from_db()
    assert claimer.email_verified_at is None
    assert not purchase_verified(claimer, stove, at=timezone.now())


def test_the_addresss_own_account_signed_in_writes_its_review_and_is_confirmed() -> None:
    owner = user_create(email=VICTIM, email_verified=False)
    tent = product_create()
    _order, [link] = invited(tent)
    browser = Client()
    assert browser.login(username=owner.username, password=PASSWORD)

    assert browser.post(link, FORM).status_code == 200

    review = Review.objects.get(product=tent)
    owner.refresh_from_db()
    assert (review.author_id, review.verified_purchase, review.status) == (owner.pk, True, "published")
    assert owner.email_verified_at is not None


def test_a_confirmed_account_of_the_address_writes_it_even_signed_out_but_a_deactivated_one_does_not() -> None:
    confirmed = user_create(email=VICTIM)
    tent, stove = product_create(), product_create()
    _order, [tent_link, stove_link] = invited(tent, stove)
    assert Client().post(tent_link, FORM).status_code == 200
    assert Review.objects.get(product=tent).author_id == confirmed.pk

    confirmed.is_active = False
    confirmed.save(update_fields=["is_active"])
    assert Client().post(stove_link, FORM).status_code == 200
    assert Review.objects.get(product=stove).author_id is None


def test_a_staff_account_of_the_address_writes_an_employee_review_even_unconfirmed() -> None:
    staff = user_create(MODERATOR, email=VICTIM, email_verified=False)
    tent = product_create()
    _order, [link] = invited(tent)
    assert Client().post(link, FORM).status_code == 200
    review = Review.objects.get(product=tent)
    assert (review.author_id, review.employee) == (staff.pk, True)


def test_a_name_that_is_an_address_is_refused_and_never_a_display_name() -> None:
    order = OrderInput(
        order_id="SO-AT-1",
        email=VICTIM,
        name="zed@example.com",
        language="en",
        purchased_at=timezone.now() - timedelta(days=3),
        lines=(LineInput(sku=product_create().sku, quantity=1),),
    )
    with pytest.raises(ValidationFailed) as refused:
        order_receive(order)
    assert "name" in refused.value.fields and not Order.objects.exists()
    assert guest_display_name("zed@example.com Martin") == ""
    assert guest_display_name("Zed\u202e Martin") == ""  # the display-name rule holds for a default too
    assert guest_display_name("Zed Martin") == "Zed"


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses the recipient, quoting the address as servers do."""

    def send_messages(self, email_messages: Any) -> int:
        for message in email_messages:
            address = message.to[0].upper()  # quoted in another case: masked all the same
            raise smtplib.SMTPRecipientsRefused({address: (550, f"5.1.1 <{address}>: rejected".encode())})
        return 0


def test_a_refused_delivery_keeps_no_address_and_erasure_clears_what_is_left(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    tent = product_create()
    order_create(products=[tent], email=VICTIM, delivered_at=timezone.now() - timedelta(days=7, minutes=5))
    assert invitations_sweep(now=timezone.now()) == 1
    with caplog.at_level(logging.INFO, logger="notifications.delivery"):
        outbox_sweep(now=timezone.now())
    message = OutboxMessage.objects.get()
    [attempt] = DeliveryAttempt.objects.all()
    assert "SMTPRecipientsRefused" in message.last_error and "<recipient>" in message.last_error
    for text in (message.last_error, attempt.error, caplog.text):
        assert "victim@" not in text.lower()

    # What a server may spell otherwise is cleared when the customer is erased.
    OutboxMessage.objects.update(last_error="quoted victim at example dot com")
    DeliveryAttempt.objects.update(error="quoted victim at example dot com")
    assert customer_erase(email=VICTIM) == 1
    assert list(OutboxMessage.objects.values_list("last_error", flat=True)) == [""]
    assert list(DeliveryAttempt.objects.values_list("error", flat=True)) == [""]


def test_a_product_reviewed_through_one_order_is_not_asked_about_on_the_next() -> None:
    tent, stove = product_create(name="Ridge tent"), product_create(name="Camp stove")
    _first, [tent_link] = invited(tent, email="guest@example.com")
    assert Client().post(tent_link, FORM).status_code == 200

    second = order_create(
        products=[tent, stove], email="guest@example.com", delivered_at=timezone.now() - timedelta(days=8)
    )
    reviewed = {line.product.name: line.reviewed_at is not None for line in second.lines.select_related("product")}
    assert reviewed == {"Camp stove": False, "Ridge tent": True}
    assert invitations_sweep(now=timezone.now()) == 1
    outbox_sweep(now=timezone.now())
    [email] = [m for m in mail.outbox if LINK.search(str(m.body))]  # the tent review's thanks went too
    assert "Camp stove" in email.body and "Ridge tent" not in email.body
    assert len(LINK.findall(str(email.body))) == 1
    assert OrderLine.objects.filter(order=second, reviewed_at__isnull=True).count() == 1
