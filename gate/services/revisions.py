"""Applying an improvement: the product's next revision starts, with its event.

Shared by the day engine (imported improvements are applied when their day is evaluated)
and by logging an improvement in the app (applied at once).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _

from core.errors import Conflict
from gate.models import GateEvent, Improvement
from gate.policy import GatePolicy, apply_improvement
from gate.services.transitions import gate_event_record, product_gate_state_set, product_policy_state
from products.models import Product
from products.services import product_current_figures_reset
from reviews.history_import import reviews_revision_advance
from reviews.ratings import product_ratings_recompute

__all__ = ["improvement_apply", "pending_improvements_apply"]


def improvement_apply(*, improvement: Improvement, policy: GatePolicy, now: datetime) -> GateEvent:
    """Start the improvement's revision and write its improved / reinstated event.

    1. lock the product, apply the spec's transition (apply_improvement);
    2. write state and revision (product_gate_state_set);
    3. the new revision's reviews: none for one logged now (figures reset), or those
       already stored after ``logged_at`` for history (moved, figures recomputed);
    4. the event, the notice resolved, the notifications.
    """
    product = Product.objects.select_for_update().get(pk=improvement.product_id)
    if improvement.revision != product.revision + 1:
        raise Conflict(
            _("Improvement %(id)s starts revision %(rev)s but product %(sku)s is at revision %(current)s.")
            % {"id": improvement.pk, "rev": improvement.revision, "sku": product.sku, "current": product.revision},
            code="revision_out_of_order",
        )
    before = product_policy_state(product.gate_state, product.flagged_on)
    after, decided = apply_improvement(before, day=improvement.day, product_id=product.sku)
    product_gate_state_set(
        product_id=product.pk,
        expected=before,
        new=after,
        day=improvement.day,
        policy=policy,
        revision=improvement.revision,
        revision_started_at=improvement.logged_at,
    )
    moved = reviews_revision_advance(product_id=product.pk, revision=improvement.revision, since=improvement.logged_at)
    if moved or improvement.source == Improvement.Source.IMPORT:
        product_ratings_recompute(product_ids=[product.pk])
    else:
        product_current_figures_reset(product_id=product.pk)
    return gate_event_record(product_id=product.pk, decided=decided, policy=policy, now=now, improvement=improvement)


def pending_improvements_apply(
    *, policy: GatePolicy, now: datetime, day: date | None = None, product_id: int | None = None
) -> list[GateEvent]:
    """Apply stored improvements that have no event yet (imported history), in logged_at order."""
    pending = Improvement.objects.filter(event__isnull=True).order_by("logged_at", "revision")
    if day is not None:
        pending = pending.filter(day=day)
    if product_id is not None:
        pending = pending.filter(product_id=product_id)
    return [improvement_apply(improvement=item, policy=policy, now=now) for item in pending]
