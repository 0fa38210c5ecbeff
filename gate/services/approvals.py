"""Improvement sign-off: GATE_IMPROVEMENT_APPROVAL = "director" (docs/gate-production.md).

The spec's rule ("none", the default) is that logging an improvement reinstates at once.
Under "director", a product manager's improvement is stored as an ImprovementRequest that
changes nothing (no revision, no event, the product as it was) until a quality director
approves it: the new revision then starts at the approval, exactly as if the improvement
had been logged at that moment (gate.services.improvements.improvement_start), so history
already evaluated is never rewritten. A rejection changes nothing and tells the manager why.
A quality director's own improvement takes effect at once. The backtest and
``import_improvements`` take improvements as approved.

Every decision is a compare-and-swap from ``pending``: two directors deciding at once, or
a double click, decide once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import user_is_quality_director
from core.errors import Conflict, NotAllowed, ValidationFailed
from core.local_formats import number_text
from gate.models import Improvement, ImprovementRequest
from gate.notify import improvement_request_notify
from gate.services.improvements import (
    ImprovementText,
    improvement_log,
    improvement_log_allowed,
    improvement_needs_approval,
    improvement_start,
    improvement_text_clean,
)
from products.access import products_managed_by
from products.models import Product

__all__ = [
    "REJECTION_REASON_MAX_LENGTH",
    "improvement_request_approve",
    "improvement_request_reject",
    "improvement_request_submit",
    "improvement_requests_of_product",
    "improvement_requests_visible",
    "improvement_submit",
]

REJECTION_REASON_MAX_LENGTH = ImprovementRequest._meta.get_field("rejection_reason").max_length or 0

Pending = ImprovementRequest.State.PENDING


# --- Writes -------------------------------------------------------------------------------


def improvement_submit(
    *,
    product: Product,
    by: User | AnonymousUser,
    description: str,
    public_note: str = "",
    addressed_phrases: Iterable[str] = (),
    now: datetime | None = None,
) -> Improvement | ImprovementRequest:
    """What the desk and the API call when someone logs an improvement: the improvement
    itself (:func:`improvement_log`, at once), or, when it needs a quality director's
    approval, the request waiting for it (:func:`improvement_request_submit`)."""
    if improvement_needs_approval(by):
        return improvement_request_submit(
            product=product,
            by=by,
            description=description,
            public_note=public_note,
            addressed_phrases=addressed_phrases,
            now=now,
        )
    return improvement_log(
        product=product,
        by=by,
        description=description,
        public_note=public_note,
        addressed_phrases=addressed_phrases,
        now=now,
    )


def improvement_request_submit(
    *,
    product: Product,
    by: User | AnonymousUser,
    description: str,
    public_note: str = "",
    addressed_phrases: Iterable[str] = (),
    now: datetime | None = None,
) -> ImprovementRequest:
    """A product manager's improvement, stored to wait for a quality director's approval.

    1. the same checks as :func:`improvement_log` (who, and the fields);
    2. refused (Conflict) while another request of the product waits: approving both
       would start two revisions for one change (the database holds one pending per product);
    3. stored, and the quality directors are emailed; nothing else changes.
    """
    now = now or timezone.now()
    user = improvement_log_allowed(product=product, by=by)
    text = improvement_text_clean(description=description, public_note=public_note, addressed_phrases=addressed_phrases)
    waiting = Conflict(
        _("An improvement of this product is already waiting for a quality director's approval."),
        code="approval_pending",
    )
    try:
        with transaction.atomic():
            # The product's row serialises two managers submitting at once.
            Product.objects.select_for_update().filter(pk=product.pk).first()
            if ImprovementRequest.objects.filter(product_id=product.pk, state=Pending).exists():
                raise waiting
            improvement_request = ImprovementRequest.objects.create(
                product_id=product.pk,
                requested_by=user,
                requested_at=now,
                description=text.description,
                public_note=text.public_note,
                addressed_phrases=text.addressed_phrases,
            )
            improvement_request_notify(improvement_request=improvement_request, now=now)
    except IntegrityError as exc:  # the constraint, had the lock not been enough
        raise waiting from exc
    return improvement_request


def _director_required(by: User | AnonymousUser) -> User:
    if not isinstance(by, User) or not user_is_quality_director(by):
        raise NotAllowed(_("Only a quality director can approve or reject an improvement."), code="not_director")
    return by


def _pending_required(improvement_request: ImprovementRequest) -> None:
    state = ImprovementRequest.objects.filter(pk=improvement_request.pk).values_list("state", flat=True).first()
    if state != Pending:
        raise Conflict(_("This improvement has already been approved or rejected."), code="already_decided")


def _decided(improvement_request: ImprovementRequest, **fields: object) -> None:
    """The compare-and-swap from pending; a row count other than one: someone decided first."""
    updated = ImprovementRequest.objects.filter(pk=improvement_request.pk, state=Pending).update(**fields)
    if updated != 1:
        raise Conflict(_("This improvement has already been approved or rejected."), code="already_decided")


def improvement_request_approve(
    *, improvement_request: ImprovementRequest, by: User | AnonymousUser, now: datetime | None = None
) -> ImprovementRequest:
    """A quality director approves: the improvement takes effect now.

    1. only quality directors (NotAllowed), only a pending request (Conflict);
    2. :func:`improvement_start` at ``now``, the approval moment: the days not yet evaluated
       are evaluated first, the new revision starts now and its event is dated today
       (refused if today was somehow evaluated already: history is never rewritten); the
       improvement is logged by the manager who asked;
    3. in the same transaction the request becomes ``approved`` (compare-and-swap) and its
       author is emailed.
    """
    now = now or timezone.now()
    director = _director_required(by)
    _pending_required(improvement_request)

    def record(improvement: Improvement) -> None:
        _decided(
            improvement_request,
            state=ImprovementRequest.State.APPROVED,
            decided_by=director,
            decided_at=now,
            improvement=improvement,
        )
        improvement_request.refresh_from_db()
        improvement_request_notify(improvement_request=improvement_request, now=now)

    improvement_start(
        product=improvement_request.product,
        logged_by=improvement_request.requested_by,
        text=ImprovementText(
            improvement_request.description,
            improvement_request.public_note,
            list(improvement_request.addressed_phrases),
        ),
        now=now,
        in_same_transaction=record,
    )
    return improvement_request


def improvement_request_reject(
    *,
    improvement_request: ImprovementRequest,
    by: User | AnonymousUser,
    reason: str,
    now: datetime | None = None,
) -> ImprovementRequest:
    """A quality director rejects, saying why: nothing else changes; the manager is shown
    the reason on the notice and emailed it. Only quality directors; only a pending request."""
    now = now or timezone.now()
    director = _director_required(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why the improvement is rejected: the manager is shown it."),
            fields={"reason": _("Say why the improvement is rejected.")},
        )
    if len(reason) > REJECTION_REASON_MAX_LENGTH:
        raise ValidationFailed(
            _("The reason is too long."),
            fields={"reason": _("At most %(max)s characters.") % {"max": number_text(REJECTION_REASON_MAX_LENGTH)}},
        )
    _pending_required(improvement_request)
    with transaction.atomic():
        _decided(
            improvement_request,
            state=ImprovementRequest.State.REJECTED,
            decided_by=director,
            decided_at=now,
            rejection_reason=reason,
        )
        improvement_request.refresh_from_db()
        improvement_request_notify(improvement_request=improvement_request, now=now)
    return improvement_request


# --- Reads --------------------------------------------------------------------------------


def improvement_requests_visible(*, user: User | AnonymousUser) -> QuerySet[ImprovementRequest]:
    """The requests ``user`` may see: those of the products they may act on (a quality
    director: every product), newest first."""
    return ImprovementRequest.objects.filter(product__in=products_managed_by(user)).select_related(
        "product", "requested_by", "decided_by", "improvement"
    )


def improvement_requests_of_product(*, product: Product, since: datetime | None = None) -> QuerySet[ImprovementRequest]:
    """A product's requests, newest first (``since``: requested at or after it)."""
    requests = ImprovementRequest.objects.filter(product=product).select_related(
        "requested_by", "decided_by", "improvement"
    )
    return requests if since is None else requests.filter(requested_at__gte=since)
