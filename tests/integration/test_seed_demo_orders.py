"""`seed_demo`'s orders and invitations: every verified demo review is verified by the rule
of docs/invitations.md, the sweep finds nothing overdue in the demo's history, and a few
orders fall due minutes after seeding (what `make run` shows)."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from devtools.demo.plan import build_plan
from devtools.demo.seed import demo_seed
from gate.services import gate_policy_from_settings
from orders.invitations import invitation_settings, invitations_sweep
from orders.models import Customer, Invitation, Order, OrderLine
from orders.policy import LineFacts, OrderFacts, OrderTimes, cap_allows, invitation_owed
from reviews.models import Review

SMALL = 0.2


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _unproven_verified_reviews() -> list[str]:
    """The rule, written as queries over the stored rows (not the planner's way): a review is
    a verified purchase if it came through an invitation link of its customer's order of that
    product, or its account's confirmed address has a delivered, unrefunded order of the
    product from before it."""
    emailed_line = Invitation.lines.through.objects.filter(
        orderline_id=OuterRef("order_line_id"),
        invitation__order_id=OuterRef("order_line__order_id"),
        invitation__customer_id=OuterRef("order_line__order__customer_id"),
        invitation__sent_at__lt=OuterRef("created_at"),
    )
    through_invitation = (
        Q(order_line__isnull=False, source="invitation")
        & Q(order_line__product_id=F("product_id"))
        & Q(order_line__order__customer__isnull=False, order_line__order__cancelled_at__isnull=True)
        & Q(order_line__link_opened_at__lte=F("created_at"), order_line__reviewed_at=F("created_at"))
        & Q(Exists(emailed_line))
    )
    account_order = OrderLine.objects.filter(
        product_id=OuterRef("product_id"),
        order__customer__email__iexact=OuterRef("author__email"),
        order__delivered_at__lt=OuterRef("created_at"),
        order__refunded_at__isnull=True,
        order__cancelled_at__isnull=True,
    )
    by_account = Q(author__isnull=False, author__email_verified_at__lte=F("created_at")) & Q(Exists(account_order))
    unproven = Review.objects.filter(verified_purchase=True).exclude(through_invitation | by_account)
    return [str(key) for key in unproven.values_list("external_id", flat=True)]


@pytest.mark.django_db
def test_the_demo_proves_every_verified_review_and_leaves_the_sweep_only_the_orders_due_soon() -> None:
    """One small seeding through the command, checked from every side the demo promises."""
    seeded_at = timezone.now()
    out = io.StringIO()
    call_command("seed_demo", scale=str(SMALL), no_gate=True, force=True, stdout=out)
    _assert_every_verified_review_is_proven()
    _assert_the_invitations_look_like_a_real_shops()
    _assert_no_customer_got_more_emails_than_the_caps_allow()
    due_soon = _assert_only_the_orders_due_soon_are_owed(seeded_at)
    # The command says which orders fall due, and when.
    output = out.getvalue()
    assert "response rate" in output
    for order_id in due_soon:
        assert f"  {order_id} " in output
    assert output.count(" due at ") == len(due_soon)


def _assert_every_verified_review_is_proven() -> None:
    assert _unproven_verified_reviews() == []
    verified = Review.objects.filter(verified_purchase=True)
    invited = verified.filter(order_line__isnull=False)
    assert invited.count() >= 100 and invited.filter(author__isnull=True).count() == invited.count()
    assert verified.filter(order_line__isnull=True, author__isnull=False).count() >= 20
    # Nothing else is verified, and a review through a link is always one.
    assert not Review.objects.filter(verified_purchase=False, order_line__isnull=False).exists()
    assert not Review.objects.filter(source="invitation", order_line__isnull=True).exists()


def _assert_the_invitations_look_like_a_real_shops() -> None:
    invited_lines = OrderLine.objects.filter(order__source="demo", invitations__kind="invitation")
    reviewed = invited_lines.filter(reviewed_at__isnull=False).count()
    assert 0.15 <= reviewed / invited_lines.count() <= 0.35
    invitations = Invitation.objects.filter(kind="invitation", order__source="demo")
    answered = invitations.filter(lines__reviewed_at__isnull=False).distinct().count()
    assert 0.15 <= answered / invitations.count() <= 0.45
    assert invited_lines.filter(link_opened_at__isnull=False, reviewed_at__isnull=True).count() >= 20
    assert Invitation.objects.filter(kind="reminder").count() >= 20
    assert Order.objects.filter(refunded_at__isnull=False).count() >= 3
    assert Order.objects.filter(cancelled_at__isnull=False).count() >= 3
    assert Order.objects.filter(delivered_at__isnull=True, cancelled_at__isnull=True).count() >= 3
    assert Customer.objects.filter(unsubscribed_at__isnull=False).count() >= 3
    # Repeat customers, in both languages; all at example.com (RFC 2606: reaches nobody).
    assert Customer.objects.annotate(n=Count("orders")).filter(n__gte=2).count() >= 10
    assert set(Customer.objects.values_list("language", flat=True)) == {"en", "fr"}
    assert not Customer.objects.exclude(email__iendswith="@example.com").exists()
    assert not Order.objects.exclude(source="demo").exists()


def _facts(now: datetime) -> dict[str, OrderFacts]:
    """What the invitation sweep knows of every order at `now`, read straight from the rows."""
    emails: dict[int, dict[str, datetime]] = defaultdict(dict)
    for order_id, kind, sent_at in Invitation.objects.values_list("order_id", "kind", "sent_at"):
        emails[order_id][kind] = sent_at
    lines: dict[int, list[LineFacts]] = defaultdict(list)
    for line in OrderLine.objects.all():
        reviewed = line.reviewed_at is not None and line.reviewed_at <= now
        lines[line.order_id].append(LineFacts(line.pk, reviewed))
    facts = {}
    for order in Order.objects.select_related("customer"):
        customer = order.customer
        unsubscribed = customer is None or (customer.unsubscribed_at is not None and customer.unsubscribed_at <= now)
        facts[order.order_id] = OrderFacts(
            times=OrderTimes(order.purchased_at, order.delivered_at, order.cancelled_at, order.refunded_at),
            lines=tuple(lines[order.pk]),
            invitation_sent_at=emails[order.pk].get("invitation"),
            reminder_sent="reminder" in emails[order.pk],
            customer_reachable=customer is not None and bool(customer.email) and not unsubscribed,
        )
    return facts


def _owed(now: datetime) -> set[str]:
    rules = invitation_settings()
    return {order_id for order_id, facts in _facts(now).items() if invitation_owed(facts, now=now, rules=rules)}


def _assert_only_the_orders_due_soon_are_owed(seeded_at: datetime) -> set[str]:
    """The demo's history holds every email the sweep would have sent: at seeding time it owes
    nothing; ten minutes later it owes the invitations of the orders due soon, in both
    languages, and the real sweep writes them (`make run`'s worker prints them)."""
    assert _owed(seeded_at) == set()
    assert invitations_sweep(now=timezone.now()) == 0
    invite_after = timedelta(days=settings.REVIEW_INVITE_DAYS)
    due_soon = Order.objects.filter(
        delivered_at__gt=seeded_at - invite_after,
        delivered_at__lte=seeded_at - invite_after + timedelta(minutes=10),
        invitations__isnull=True,
    )
    assert 3 <= due_soon.count() <= 5
    assert set(due_soon.values_list("customer__language", flat=True)) == {"en", "fr"}
    due_ids = set(due_soon.values_list("order_id", flat=True))
    assert due_ids <= _owed(seeded_at + timedelta(minutes=10))
    assert invitations_sweep(now=seeded_at + timedelta(minutes=10)) >= len(due_ids)
    assert Invitation.objects.filter(order__order_id__in=due_ids, kind="invitation").count() == len(due_ids)
    return due_ids


def _assert_no_customer_got_more_emails_than_the_caps_allow() -> None:
    sent: dict[int, list[datetime]] = defaultdict(list)
    for customer_id, sent_at in Invitation.objects.order_by("sent_at").values_list("customer_id", "sent_at"):
        assert cap_allows(sent[customer_id], now=sent_at), (customer_id, sent_at)
        sent[customer_id].append(sent_at)
    # Each email is sent after it fell due, about products of its order.
    late = Invitation.objects.filter(kind="invitation", sent_at__lt=F("order__delivered_at") + timedelta(days=7))
    assert not late.exists()
    assert not Invitation.lines.through.objects.exclude(orderline__order_id=F("invitation__order_id")).exists()


def test_the_order_plan_is_the_same_every_time() -> None:
    policy = gate_policy_from_settings()
    today = timezone.localdate()

    def orders_of(plan: Any) -> list[tuple[object, ...]]:
        return [
            (o.order_id, o.customer.key, o.purchased_at, o.delivered_at, [(li.sku, li.reviewed_at) for li in o.lines])
            for o in plan.orders.orders
        ] + [(i.order_id, i.kind, i.sent_at, i.skus) for i in plan.orders.invitations]

    first = build_plan(anchor=today, scale=SMALL, policy=policy)
    assert orders_of(first) == orders_of(build_plan(anchor=today, scale=SMALL, policy=policy))
    assert len({o.order_id for o in first.orders.orders}) == len(first.orders.orders)


@pytest.mark.django_db
def test_a_demo_seeded_before_orders_existed_gets_its_proofs_on_the_next_seeding() -> None:
    """reviews migration 0008 cleared the old flags; the next seeding adds the orders and
    verifies the stored reviews they prove, by the same rule."""
    now, scale = timezone.now(), 0.05
    demo_seed(scale=scale, gate=False, now=now)
    expected = set(Review.objects.filter(verified_purchase=True).values_list("external_id", flat=True))
    Review.objects.update(verified_purchase=False, order_line=None, source="site")
    # Table by table, so that the deletes need no cascade collection.
    Invitation.lines.through.objects.all().delete()
    Invitation.objects.all().delete()
    OrderLine.objects.all().delete()
    Order.objects.all().delete()
    Customer.objects.all().delete()
    result = demo_seed(scale=scale, gate=False, now=now + timedelta(minutes=5))
    assert result.created["reviews"] == 0 and result.created["orders"] > 0
    assert result.created["reviews proven by the new orders"] == len(expected) > 0
    assert set(Review.objects.filter(verified_purchase=True).values_list("external_id", flat=True)) == expected
    assert _unproven_verified_reviews() == []
