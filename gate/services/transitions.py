"""The one writer of a product's gate state, and the event row every change appends.

``product_gate_state_set`` holds the spec's table of legal moves and writes with a
compare-and-swap; ``gate_event_record`` appends the event, follows it up on the product's
withdrawal notice and hands it to the gate's notifications, in the caller's transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict
from gate.models import LIVE_NOTICE_STATES, GateEvent, Improvement, WithdrawalNotice
from gate.notify import NotifyAudience, gate_event_notify
from gate.policy import EventKind, GatePolicy, GateState, ProductGateState
from gate.policy import GateEvent as DecidedEvent
from products.models import Product
from products.page_version import page_version_raised

__all__ = ["LEGAL_MOVES", "gate_event_record", "product_gate_state_set", "product_policy_state"]


def product_policy_state(gate_state: str, flagged_on: date | None) -> ProductGateState:
    """A product's stored state as the policy sees it."""
    # A withdrawn product keeps its flagged_on as history; the policy's state has none.
    return ProductGateState(GateState(gate_state), flagged_on if gate_state == GateState.FLAGGED else None)


# The moves of the spec's two tables; a move between equal states is no move.
LEGAL_MOVES = frozenset(
    {
        (GateState.ACTIVE, GateState.FLAGGED),
        (GateState.FLAGGED, GateState.ACTIVE),
        (GateState.FLAGGED, GateState.WITHDRAWN),
        (GateState.WITHDRAWN, GateState.ACTIVE),
    }
)


def product_gate_state_set(
    *,
    product_id: int,
    expected: ProductGateState,
    new: ProductGateState,
    day: date,
    policy: GatePolicy,
    revision: int | None = None,
    revision_started_at: datetime | None = None,
) -> bool:
    """Move a product from ``expected`` to ``new`` (and, for an improvement, to ``revision``).

    The only code that writes Product.gate_state, flagged_on, withdrawal_deadline,
    withdrawn_on, on_sale, revision and revision_started_at. It is a compare-and-swap:
    the UPDATE matches only a row still in ``expected`` (and at ``revision - 1``), and a
    row count other than one means someone else moved the product first: Conflict, and
    the caller's transaction rolls back. Illegal moves are refused; no change is a no-op.
    Returns whether a row was written.

    * flagged: ``flagged_on = day``, the withdrawal date from the policy;
    * withdrawn: ``withdrawn_on = day`` and off sale at once (flagged_on and the
      withdrawal date stay as the record of the episode);
    * active (recovered, improved, reinstated): flags cleared and back on sale.
    """
    moved = new != expected
    if not moved and revision is None:
        return False
    if moved and (expected.state, new.state) not in LEGAL_MOVES:
        raise Conflict(
            _("A product cannot go from %(old)s to %(new)s.") % {"old": expected.state.value, "new": new.state.value},
            code="illegal_gate_move",
        )
    if revision is not None and new.state is not GateState.ACTIVE:
        raise Conflict(_("An improvement always leaves the product active."), code="illegal_gate_move")
    # The product page shows the state: its version rises in the same UPDATE (products.page_version).
    changes: dict[str, Any] = {"gate_state": new.state.value, "updated_at": timezone.now(), **page_version_raised()}
    if new.state is GateState.ACTIVE:
        changes.update(flagged_on=None, withdrawal_deadline=None, withdrawn_on=None, on_sale=True)
    elif new.state is GateState.FLAGGED:
        assert new.flagged_on is not None  # ProductGateState guarantees it
        changes.update(
            flagged_on=new.flagged_on,
            withdrawal_deadline=policy.withdrawal_date(new.flagged_on),
            withdrawn_on=None,
            on_sale=True,
        )
    else:
        changes.update(withdrawn_on=day, on_sale=False)
    if revision is not None:
        changes.update(revision=revision, revision_started_at=revision_started_at)
    match = Product.objects.filter(pk=product_id, gate_state=expected.state.value)
    if expected.state is GateState.FLAGGED:
        match = match.filter(flagged_on=expected.flagged_on)
    if revision is not None:
        match = match.filter(revision=revision - 1)
    if match.update(**changes) != 1:
        raise Conflict(
            _("The gate state of product %(id)s changed while it was being updated; nothing was written.")
            % {"id": product_id},
            code="gate_state_changed",
        )
    return True


# --- Events and notices -------------------------------------------------------------------


def gate_event_record(
    *,
    product_id: int,
    decided: DecidedEvent,
    policy: GatePolicy,
    now: datetime,
    improvement: Improvement | None = None,
    audience: NotifyAudience | None = None,
) -> GateEvent:
    """Append the event, follow it up on the product's notice, then hand it to notifications.

    All in the caller's transaction: the notice and the outbox rows exist exactly when the
    event does. ``audience``: the day's recipients of every event, read once.
    """
    event = GateEvent.objects.create(
        product_id=product_id,
        day=decided.day,
        kind=decided.kind.value,
        average=decided.average,
        count=decided.count,
        improvement=improvement,
        policy=policy.as_dict(),
    )
    _notice_follow(event=event, policy=policy, now=now, improvement=improvement)
    gate_event_notify(event=event, now=now, audience=audience)
    return event


def _notice_follow(*, event: GateEvent, policy: GatePolicy, now: datetime, improvement: Improvement | None) -> None:
    """One notice per flag episode: opened by flagged, closed by how the episode ends."""
    live = WithdrawalNotice.objects.filter(product_id=event.product_id)
    if event.kind == EventKind.FLAGGED:
        WithdrawalNotice.objects.create(
            product_id=event.product_id,
            flag_event=event,
            opened_on=event.day,
            deadline=policy.withdrawal_date(event.day),
            state=WithdrawalNotice.State.OPEN,
        )
    elif event.kind == EventKind.RECOVERED:
        # Closed when the day that cleared it ended (or now, if that is earlier).
        closed_at = min(now, policy.start_of_day(event.day + timedelta(days=1)))
        live.filter(state=WithdrawalNotice.State.OPEN).update(
            state=WithdrawalNotice.State.RECOVERED, closed_at=closed_at
        )
    elif event.kind == EventKind.WITHDRAWN:
        # Still live: a withdrawn product's notice ends only with an improvement.
        live.filter(state=WithdrawalNotice.State.OPEN).update(state=WithdrawalNotice.State.WITHDRAWN)
    elif improvement is not None:
        live.filter(state__in=LIVE_NOTICE_STATES).update(
            state=WithdrawalNotice.State.RESOLVED, resolved_by=improvement, closed_at=improvement.logged_at
        )
