"""Issue 15, item 2: the invitation sweep (orders.invitations) and its email, with the clock
injected: due days, the one reminder, the frequency caps, who is never asked, the outbox row
that holds no personal data, and the email the worker builds at delivery."""

from __future__ import annotations

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections

from notifications.delivery import outbox_sweep
from notifications.models import OutboxMessage
from orders.invitations import invitation_settings, invitation_write, invitations_sweep
from orders.links import review_token_line_id, unsubscribe_token_customer_id
from orders.models import Customer, Invitation, Order, OrderLine
from orders.policy import Change
from orders.services import customer_erase, customer_unsubscribe, order_change
from products.models import Product
from tests.factories import product_create
from tests.orders_factories import order_create

pytestmark = pytest.mark.django_db

PURCHASED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DELIVERED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
DAY = timedelta(days=1)
SECOND = timedelta(seconds=1)
INVITE_DUE = DELIVERED + 7 * DAY
REMINDER_DUE = INVITE_DUE + 7 * DAY
SITE = "https://shop.example"
LINK = re.compile(rf"{re.escape(SITE)}/invitations/([^/\s]+)/")
UNSUBSCRIBE = re.compile(rf"{re.escape(SITE)}/unsubscribe/([^/\s]+)/")


@pytest.fixture(autouse=True)
def _invitation_settings(settings: Any) -> None:
    settings.REVIEW_INVITE_DAYS = 7
    settings.REVIEW_REMINDER_DAYS = 7
    settings.REVIEW_INVITE_LATE_DAYS = 30
    settings.REVIEW_INVITE_LINK_DAYS = 60
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def kettle() -> Product:
    return product_create(name="Kettle & Co 1.7 l")


@pytest.fixture
def toaster() -> Product:
    return product_create(name="Toaster Duo")


def order(*products: Product, delivered_at: datetime = DELIVERED, **fields: Any) -> Order:
    purchased_at = min(PURCHASED, delivered_at - DAY)
    return order_create(products=products, purchased_at=purchased_at, delivered_at=delivered_at, **fields)


def invitations(order: Order) -> list[tuple[str, list[int]]]:
    return [
        (invitation.kind, sorted(invitation.lines.values_list("pk", flat=True)))
        for invitation in Invitation.objects.filter(order=order).order_by("sent_at")
    ]


def line_ids(order: Order) -> list[int]:
    return sorted(order.lines.values_list("pk", flat=True))


def review_everything(order: Order, at: datetime) -> None:
    OrderLine.objects.filter(order=order).update(reviewed_at=at)


def sent_to(address: str) -> list[mail.EmailMessage]:
    return [message for message in mail.outbox if message.to == [address]]


# --- When ---------------------------------------------------------------------------------


def test_the_invitation_falls_due_exactly_invite_days_after_delivery(kettle: Product, toaster: Product) -> None:
    bought = order(kettle, toaster)

    assert invitations_sweep(now=INVITE_DUE - SECOND) == 0
    assert Invitation.objects.count() == OutboxMessage.objects.count() == 0

    assert invitations_sweep(now=INVITE_DUE) == 1
    assert invitations(bought) == [("invitation", line_ids(bought))]
    invitation = Invitation.objects.get()
    assert (invitation.sent_at, invitation.customer_id) == (INVITE_DUE, bought.customer_id)
    message = OutboxMessage.objects.get()
    assert (message.dedupe_key, message.kind, message.next_attempt_at) == (
        f"invite:{bought.pk}:invitation",
        "review_invite",
        INVITE_DUE,
    )


def test_a_repeated_sweep_writes_nothing_twice(kettle: Product) -> None:
    bought = order(kettle)
    assert invitations_sweep(now=INVITE_DUE) == 1

    for later in (INVITE_DUE, INVITE_DUE + SECOND, INVITE_DUE + DAY, REMINDER_DUE - SECOND):
        assert invitations_sweep(now=later) == 0
    # A sweep that read the order before the other one committed: the write finds it done.
    assert invitation_write(order_pk=bought.pk, now=INVITE_DUE, rules=invitation_settings()) is False
    assert Invitation.objects.count() == OutboxMessage.objects.count() == 1


def test_the_reminder_lists_only_the_products_not_reviewed(kettle: Product, toaster: Product) -> None:
    bought = order(kettle, toaster)
    assert invitations_sweep(now=INVITE_DUE) == 1
    kettle_line = bought.lines.get(product=kettle)
    kettle_line.reviewed_at = INVITE_DUE + DAY
    kettle_line.save()

    assert invitations_sweep(now=REMINDER_DUE - SECOND) == 0
    assert invitations_sweep(now=REMINDER_DUE) == 1
    assert invitations(bought) == [
        ("invitation", line_ids(bought)),
        ("reminder", [bought.lines.get(product=toaster).pk]),
    ]
    assert outbox_sweep(now=REMINDER_DUE) == 2
    _invitation_email, reminder = mail.outbox
    assert "Toaster Duo" in str(reminder.body) and "Kettle" not in str(reminder.body)
    assert len(LINK.findall(str(reminder.body))) == 1
    assert "This is our only reminder" in str(reminder.body)
    # One reminder, ever.
    assert invitations_sweep(now=REMINDER_DUE + 20 * DAY) == 0


def test_no_reminder_once_every_product_is_reviewed(kettle: Product, toaster: Product) -> None:
    bought = order(kettle, toaster)
    assert invitations_sweep(now=INVITE_DUE) == 1
    review_everything(bought, INVITE_DUE + DAY)

    assert invitations_sweep(now=REMINDER_DUE) == 0
    assert invitations_sweep(now=REMINDER_DUE + 10 * DAY) == 0
    assert invitations(bought) == [("invitation", line_ids(bought))]


# --- The caps -----------------------------------------------------------------------------


def test_one_email_a_customer_in_seven_days_the_capped_order_goes_out_later(kettle: Product) -> None:
    first = order(kettle, email="same@example.com")
    second = order(kettle, email="same@example.com", delivered_at=DELIVERED + 2 * DAY)
    assert first.customer_id == second.customer_id

    both_due = INVITE_DUE + 2 * DAY
    assert invitations_sweep(now=both_due) == 1  # the first only
    assert invitations(first) and not invitations(second)
    review_everything(first, both_due + DAY)  # no reminder to take the next slot
    assert invitations_sweep(now=both_due + 7 * DAY - SECOND) == 0  # capped
    assert invitations_sweep(now=both_due + 7 * DAY) == 1
    assert invitations(second) == [("invitation", line_ids(second))]


def test_three_emails_a_customer_in_thirty_days(kettle: Product) -> None:
    """Weekly orders: the 4th invitation, due 21 days after the 1st, waits until the 1st
    is 30 days old."""
    orders = [order(kettle, email="weekly@example.com", delivered_at=DELIVERED + 7 * n * DAY) for n in range(4)]
    for n, bought in enumerate(orders[:3]):
        assert invitations_sweep(now=INVITE_DUE + 7 * n * DAY) == 1
        review_everything(bought, INVITE_DUE + 7 * n * DAY + SECOND)
    assert invitations_sweep(now=INVITE_DUE + 21 * DAY) == 0
    assert invitations_sweep(now=INVITE_DUE + 30 * DAY - SECOND) == 0
    assert not invitations(orders[3])
    assert invitations_sweep(now=INVITE_DUE + 30 * DAY) == 1
    assert invitations(orders[3]) == [("invitation", line_ids(orders[3]))]


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_keep_the_caps(kettle: Product) -> None:
    """Three due orders of one customer, decided at the same instant by six sweeps: the
    customer's row lock makes them decide in turn, so one email, not three."""
    if connection.vendor != "postgresql":
        pytest.skip("a real race needs concurrent connections: run with DATABASE_URL=postgres://...")
    orders = [order(kettle, email="racing@example.com") for _ in range(3)]
    rules = invitation_settings()
    start = threading.Barrier(6)

    def sweep(n: int) -> bool:
        try:
            start.wait()
            return invitation_write(order_pk=orders[n % 3].pk, now=INVITE_DUE, rules=rules)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(6) as pool:
        written = list(pool.map(sweep, range(6)))

    assert written.count(True) == 1
    assert Invitation.objects.count() == OutboxMessage.objects.count() == 1


def test_the_caps_count_per_customer(kettle: Product) -> None:
    order(kettle, email="one@example.com")
    order(kettle, email="two@example.com")
    assert invitations_sweep(now=INVITE_DUE) == 2


# --- Never asked --------------------------------------------------------------------------


def test_cancelled_and_refunded_orders_are_not_invited(kettle: Product) -> None:
    cancelled = order_create(products=[kettle], purchased_at=PURCHASED, cancelled_at=PURCHASED + DAY)
    refunded = order(kettle, refunded_at=DELIVERED + DAY)
    refunded_later = order(kettle)
    order_change(order_id=refunded_later.order_id, changes={Change.REFUNDED: INVITE_DUE - DAY})

    assert invitations_sweep(now=INVITE_DUE) == 0
    assert invitations_sweep(now=INVITE_DUE + 15 * DAY) == 0
    assert not Invitation.objects.filter(order__in=[cancelled, refunded, refunded_later]).exists()
    assert OutboxMessage.objects.count() == 0


def test_unsubscribed_and_erased_customers_are_not_invited(kettle: Product) -> None:
    unsubscribed = order(kettle)
    erased = order(kettle, email="forget.me@example.com")
    assert unsubscribed.customer is not None
    customer_unsubscribe(customer_id=unsubscribed.customer.pk, now=DELIVERED + DAY)
    customer_erase(email="forget.me@example.com", now=DELIVERED + DAY)

    assert invitations_sweep(now=INVITE_DUE) == 0
    assert Invitation.objects.count() == OutboxMessage.objects.count() == 0
    assert Order.objects.get(pk=erased.pk).customer is None


@pytest.mark.parametrize("meanwhile", ["unsubscribed", "erased", "refunded"])
def test_an_email_already_queued_sends_nothing_after_an_unsubscribe_erasure_or_refund(
    kettle: Product, meanwhile: str
) -> None:
    bought = order(kettle, email="queued@example.com")
    assert invitations_sweep(now=INVITE_DUE) == 1
    customer = Customer.objects.get(orders=bought)
    if meanwhile == "unsubscribed":
        customer_unsubscribe(customer_id=customer.pk, now=INVITE_DUE)
    elif meanwhile == "erased":
        customer_erase(email="queued@example.com", now=INVITE_DUE)
    else:
        order_change(order_id=bought.order_id, changes={Change.REFUNDED: INVITE_DUE})

    assert outbox_sweep(now=INVITE_DUE + SECOND) == 1  # done with: "sent", as nothing
    assert mail.outbox == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert invitations_sweep(now=REMINDER_DUE) == 0


def test_an_order_delivered_long_ago_is_never_invited(kettle: Product) -> None:
    year_old = order(kettle, delivered_at=DELIVERED - 365 * DAY)
    assert invitations_sweep(now=INVITE_DUE) == 0
    # The boundary: REVIEW_INVITE_LATE_DAYS past due is still sent, a second more is not.
    late = order(kettle, delivered_at=DELIVERED - 30 * DAY)
    too_late = order(kettle, delivered_at=DELIVERED - 30 * DAY - SECOND)
    assert invitations_sweep(now=INVITE_DUE) == 1
    assert invitations(late) and not invitations(too_late) and not invitations(year_old)


def test_a_sweep_reads_on_past_pages_of_capped_orders(kettle: Product) -> None:
    for _ in range(3):
        order(kettle, email="capped@example.com")
    others = [order(kettle, delivered_at=DELIVERED + SECOND) for _ in range(2)]
    assert invitations_sweep(now=INVITE_DUE + SECOND, limit=1) == 1  # the capped customer's first

    # Pages of two: the first holds only capped orders, the next the two others.
    assert invitations_sweep(now=INVITE_DUE + SECOND, batch=2) == 2
    assert all(invitations(other) for other in others)
    assert Invitation.objects.filter(customer__email="capped@example.com").count() == 1


# --- The row and the email ------------------------------------------------------------------


def test_the_outbox_row_holds_no_address_name_or_token(kettle: Product) -> None:
    bought = order(kettle, email="Private.Person@example.com", name="Private Person")
    assert invitations_sweep(now=INVITE_DUE) == 1

    message = OutboxMessage.objects.get()
    invitation = Invitation.objects.get()
    assert message.payload == {
        "invitation": invitation.pk,
        "email_builder": "review_invitation",
        "email_template": "review_invitation",
    }
    assert message.recipient is None
    stored = json.dumps(message.payload).lower()
    assert "private" not in stored and "@" not in stored and bought.order_id.lower() not in stored


def test_the_email_goes_to_the_address_with_working_links(kettle: Product, toaster: Product) -> None:
    bought = order(kettle, toaster, email="buyer@example.com")
    assert invitations_sweep(now=INVITE_DUE) == 1
    assert outbox_sweep(now=INVITE_DUE) == 1

    [email] = mail.outbox
    assert email.to == ["buyer@example.com"]
    assert email.subject == "How did your order go? Tell other customers"
    assert email.extra_headers["Content-Language"] == "en"
    assert email.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "whether it went well or not" in email.body.lower()
    assert "Kettle & Co 1.7 l" in email.body  # plain text: not escaped
    tokens = LINK.findall(str(email.body))
    assert sorted(review_token_line_id(token) for token in tokens) == line_ids(bought)
    [unsubscribe] = UNSUBSCRIBE.findall(str(email.body))
    assert unsubscribe_token_customer_id(unsubscribe) == bought.customer_id
    assert email.extra_headers["List-Unsubscribe"] == f"<{SITE}/unsubscribe/{unsubscribe}/>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_email_is_in_the_customers_language(kettle: Product) -> None:
    order(kettle, email="anne@example.fr", language="fr")
    order(kettle, email="ann@example.com", language="en")
    assert invitations_sweep(now=INVITE_DUE) == 2
    assert outbox_sweep(now=INVITE_DUE) == 2

    [french], [english] = sent_to("anne@example.fr"), sent_to("ann@example.com")
    assert french.extra_headers["Content-Language"] == "fr"
    assert french.subject == "Votre commande s’est-elle bien passée\u202f? Dites-le aux autres clients"
    assert "Bonjour," in french.body and "que cela se soit bien passé ou non" in french.body.lower()
    assert "60 jours" in french.body
    assert english.extra_headers["Content-Language"] == "en"
    assert "Hello," in english.body and "works for 60 days" in english.body


def test_the_text_is_the_same_whatever_the_customer_or_product(kettle: Product, toaster: Product) -> None:
    order(kettle, email="a@example.com", name="Alice")
    order(toaster, email="b@example.com", name="Bob")
    invitations_sweep(now=INVITE_DUE)
    outbox_sweep(now=INVITE_DUE)

    def text(address: str, product: Product) -> str:
        [email] = sent_to(address)
        body = UNSUBSCRIBE.sub("UNSUBSCRIBE", LINK.sub("LINK", str(email.body)))
        return email.subject + "\n" + body.replace(product.name, "PRODUCT")

    assert text("a@example.com", kettle) == text("b@example.com", toaster)
    offered = re.compile(r"voucher|coupon|discount|gift|reward|prize|free", re.IGNORECASE)
    assert not offered.search(text("a@example.com", kettle))


def test_the_email_names_each_product_in_the_customers_language(kettle: Product) -> None:
    """docs/i18n.md: the product's French name for a French customer, the English one
    (the fallback too) for the others."""
    Product.objects.filter(pk=kettle.pk).update(name_fr="Bouilloire & Cie 1,7 l")
    order(kettle, email="anne@example.fr", language="fr")
    order(kettle, email="ann@example.com", language="en")
    assert invitations_sweep(now=INVITE_DUE) == 2
    assert outbox_sweep(now=INVITE_DUE) == 2

    [french], [english] = sent_to("anne@example.fr"), sent_to("ann@example.com")
    assert "Bouilloire & Cie 1,7 l" in french.body and "Kettle & Co" not in french.body
    assert "Kettle & Co 1.7 l" in english.body and "Bouilloire" not in english.body
