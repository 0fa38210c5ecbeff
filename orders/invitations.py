"""The invitation sweep: every few minutes (Celery beat), the invitations and reminders that
fell due are written, each with its email in the outbox, in one transaction per order.

Idempotent: an Invitation is unique per order and kind and written in the transaction
that puts its email in the outbox (whose dedupe key is unique too), so a repeated,
concurrent or restarted sweep never sends twice. The frequency caps hold across
concurrent sweeps because each order's decision is taken holding its customer's row lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from notifications.outbox import outbox_insert
from orders.emails import invitation_email_row
from orders.models import Customer, Invitation, InvitationKind, Order, OrderLine
from orders.policy import (
    DEFAULT_CAPS,
    InvitationSettings,
    LineFacts,
    OrderFacts,
    OrderTimes,
    cap_allows,
    invitation_owed,
)

__all__ = ["SWEEP_BATCH", "SWEEP_LIMIT", "invitation_settings", "invitation_write", "invitations_sweep"]

# Orders read per query (keyset pages over the orders_order_invitable index).
SWEEP_BATCH = 200
# Emails written per sweep at most; the rest go out with the next sweep, minutes later.
SWEEP_LIMIT = 2_000
# The caps look back this far over a customer's invitations.
_CAPS_LOOKBACK = timedelta(days=max(days for days, _most in DEFAULT_CAPS))


def invitation_settings() -> InvitationSettings:
    return InvitationSettings(
        invite_days=int(settings.REVIEW_INVITE_DAYS),
        reminder_days=int(settings.REVIEW_REMINDER_DAYS),
        late_days=int(settings.REVIEW_INVITE_LATE_DAYS),
    )


def _candidates(*, now: datetime, rules: InvitationSettings) -> QuerySet[Order]:
    """Orders that may owe an email now: a superset of what invitation_owed accepts, narrow
    enough that a sweep reads no order twice a day for nothing (the caps aside)."""
    invite_days, reminder_days, late_days = (
        timedelta(days=rules.invite_days),
        timedelta(days=rules.reminder_days),
        timedelta(days=rules.late_days),
    )
    invitation = Invitation.objects.filter(order=OuterRef("pk"), kind=InvitationKind.INVITATION)
    return (
        Order.objects.filter(
            # The partial index orders_order_invitable, by delivery time.
            delivered_at__isnull=False,
            cancelled_at__isnull=True,
            refunded_at__isnull=True,
            # The latest a reminder can fall due: an invitation sent late_days past its due
            # day, then reminded late_days past the reminder's.
            delivered_at__gte=now - invite_days - reminder_days - 2 * late_days,
            delivered_at__lte=now - invite_days,
            customer__isnull=False,
            customer__erased_at__isnull=True,
            customer__unsubscribed_at__isnull=True,
        )
        .filter(Exists(OrderLine.objects.filter(order=OuterRef("pk"), reviewed_at__isnull=True)))
        .exclude(Exists(Invitation.objects.filter(order=OuterRef("pk"), kind=InvitationKind.REMINDER)))
        .filter(
            Q(~Exists(invitation), delivered_at__gte=now - invite_days - late_days)
            | Q(
                Exists(
                    invitation.filter(sent_at__lte=now - reminder_days, sent_at__gte=now - reminder_days - late_days)
                )
            )
        )
        .order_by("delivered_at", "id")
    )


def invitations_sweep(*, now: datetime, limit: int = SWEEP_LIMIT, batch: int = SWEEP_BATCH) -> int:
    """Write every invitation and reminder due at ``now`` (at most ``limit``), each in its
    own transaction (invitation_write); returns how many emails were written.

    Walks the candidates once, oldest delivery first, in keyset pages: a page of capped
    orders cannot hold the sweep on the same page, and a sweep stopped half-way has
    committed what it wrote (the next one finds only the rest).
    """
    rules = invitation_settings()
    written = 0
    after: tuple[datetime | None, int] | None = None
    while written < limit:
        page = _candidates(now=now, rules=rules)
        if after is not None:
            page = page.filter(Q(delivered_at__gt=after[0]) | Q(delivered_at=after[0], pk__gt=after[1]))
        rows = list(page.values_list("delivered_at", "pk")[:batch])
        for _delivered_at, order_pk in rows:
            if written >= limit:
                break
            if invitation_write(order_pk=order_pk, now=now, rules=rules):
                written += 1
        if len(rows) < batch:
            break
        after = rows[-1]
    return written


def _order_facts(order: Order, customer: Customer) -> OrderFacts:
    sent = dict(order.invitations.values_list("kind", "sent_at"))
    return OrderFacts(
        times=OrderTimes(order.purchased_at, order.delivered_at, order.cancelled_at, order.refunded_at),
        lines=tuple(
            LineFacts(line_id=pk, reviewed=reviewed_at is not None)
            for pk, reviewed_at in order.lines.order_by("id").values_list("pk", "reviewed_at")
        ),
        invitation_sent_at=sent.get(InvitationKind.INVITATION),
        reminder_sent=InvitationKind.REMINDER in sent,
        customer_reachable=bool(customer.email) and customer.erased_at is None and customer.unsubscribed_at is None,
    )


@transaction.atomic
def invitation_write(*, order_pk: int, now: datetime, rules: InvitationSettings) -> bool:
    """The email ``order_pk`` owes now, if any and if the caps allow it: its Invitation row
    (with the products it lists) and its outbox row, in one transaction. True if written.

    1. Lock the customer's row: concurrent sweeps decide for one customer in turn, so two
       of them cannot both see room under a cap and both write.
    2. Read the order and its invitations again, under that lock, and ask the policy.
    3. Check the caps over the customer's invitations (a capped order waits for a later
       sweep).
    4. Write the Invitation (unique per order and kind: if another sweep wrote it first,
       nothing is written) and its email, kicked to a worker when this commits.
    """
    customer_pk = Order.objects.filter(pk=order_pk).values_list("customer_id", flat=True).first()
    if customer_pk is None:
        return False
    customer = Customer.objects.select_for_update().filter(pk=customer_pk).first()
    order = Order.objects.filter(pk=order_pk, customer_id=customer_pk).first()
    if customer is None or order is None:
        return False
    decision = invitation_owed(_order_facts(order, customer), now=now, rules=rules)
    if decision is None:
        return False
    sent_times = Invitation.objects.filter(customer=customer, sent_at__gt=now - _CAPS_LOOKBACK).values_list(
        "sent_at", flat=True
    )
    if not cap_allows(sent_times, now=now):
        return False
    try:
        with transaction.atomic():  # a savepoint: the outer transaction survives a duplicate
            invitation = Invitation.objects.create(
                order=order, kind=decision.owed.value, customer=customer, sent_at=now
            )
    except IntegrityError:  # another sweep wrote this order's invitation of this kind
        return False
    # add(), not set(): the invitation is new, and set() first reads its current lines joined
    # to their orders in OrderLine's ordering, a query PostgreSQL can plan very badly on a
    # large uncommitted demo (minutes per invitation in the demo's test); add() reads only
    # the link table.
    invitation.lines.add(*decision.line_ids)
    return bool(outbox_insert([invitation_email_row(invitation, due=now)]))
