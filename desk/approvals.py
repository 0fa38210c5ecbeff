"""Improvement sign-off taken from the desk (GATE_IMPROVEMENT_APPROVAL = "director"), with
its audit rows.

gate.services.approvals does the gate's part (who may act, the compare-and-swap from
``pending``, the new revision on approval, the emails); each function here calls it and,
in the same transaction, appends the AuditEntry, so a decision and its audit row exist
together or not at all. The audit lives here and not in the gate because the gate sits
below the desk and must not import it (the API's sign-off is the gate's own record: the
request row keeps who decided and when).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import MANAGE_ALL_PRODUCTS, MANAGE_OWN_PRODUCTS
from desk.models import AuditAction
from desk.services import audit_record
from gate.configured import ImprovementApproval, improvement_approval_from_settings
from gate.models import ImprovementRequest, WithdrawalNotice
from gate.services.approvals import (
    improvement_request_approve,
    improvement_request_reject,
    improvement_request_submit,
    improvement_requests_visible,
)

__all__ = [
    "desk_improvement_request_approve",
    "desk_improvement_request_reject",
    "desk_improvement_request_submit",
    "improvement_requests_waiting",
]


def desk_improvement_request_submit(
    *,
    notice: WithdrawalNotice,
    by: User,
    description: str,
    public_note: str = "",
    addressed_phrases: Iterable[str] = (),
    now: datetime | None = None,
) -> ImprovementRequest:
    """A manager sends the improvement answering ``notice`` for a quality director's
    approval (nothing changes on the product until then); audited as requested."""
    now = now or timezone.now()
    with transaction.atomic():
        improvement_request = improvement_request_submit(
            product=notice.product,
            by=by,
            description=description,
            public_note=public_note,
            addressed_phrases=addressed_phrases,
            now=now,
        )
        audit_record(
            actor=by,
            action=AuditAction.IMPROVEMENT_REQUESTED,
            now=now,
            product=notice.product,
            target=improvement_request,
            details={"notice_id": notice.pk, "addressed_phrases": improvement_request.addressed_phrases},
        )
    return improvement_request


def desk_improvement_request_approve(
    *, improvement_request: ImprovementRequest, by: User, now: datetime | None = None
) -> ImprovementRequest:
    """A quality director approves: the new revision starts now; audited with the revision
    it started and the product's gate state before and after."""
    now = now or timezone.now()
    product = improvement_request.product
    state_before = product.gate_state
    with transaction.atomic():
        approved = improvement_request_approve(improvement_request=improvement_request, by=by, now=now)
        product.refresh_from_db()
        improvement = approved.improvement
        audit_record(
            actor=by,
            action=AuditAction.IMPROVEMENT_APPROVED,
            now=now,
            product=product,
            target=approved,
            details={
                "requested_by_id": approved.requested_by_id,
                "improvement_id": approved.improvement_id,
                "revision": improvement.revision if improvement is not None else None,
                "state_before": state_before,
                "state_after": product.gate_state,
            },
        )
    return approved


def desk_improvement_request_reject(
    *, improvement_request: ImprovementRequest, by: User, reason: str, now: datetime | None = None
) -> ImprovementRequest:
    """A quality director rejects, saying why: nothing changes on the product; audited with
    the reason (as the manager is shown it)."""
    now = now or timezone.now()
    with transaction.atomic():
        rejected = improvement_request_reject(improvement_request=improvement_request, by=by, reason=reason, now=now)
        audit_record(
            actor=by,
            action=AuditAction.IMPROVEMENT_REJECTED,
            now=now,
            product=rejected.product,
            target=rejected,
            details={"requested_by_id": rejected.requested_by_id, "reason": rejected.rejection_reason},
        )
    return rejected


def improvement_requests_waiting(*, user: User | AnonymousUser) -> int | None:
    """How many improvements wait for approval among the products ``user`` may act on, for
    the desk's navigation. ``None`` (no link) for whoever does not manage products (a
    moderator), and when sign-off is off and nothing is left waiting from when it was on.
    One COUNT query."""
    if not (user.has_perm(MANAGE_OWN_PRODUCTS) or user.has_perm(MANAGE_ALL_PRODUCTS)):
        return None
    waiting = improvement_requests_visible(user=user).filter(state=ImprovementRequest.State.PENDING).count()
    if waiting == 0 and improvement_approval_from_settings() is not ImprovementApproval.DIRECTOR:
        return None
    return waiting
