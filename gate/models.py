"""The gate's memory: what was decided (events), why (policy), and what people did about it.

The product's current gate state lives on `products.Product` (gate_state, flagged_on,
withdrawal_deadline, withdrawn_on, on_sale, revision) so pages and the API read it
without a join; only gate.services writes those fields.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gate.event_log import EventLogAppendOnly, GateEventQuerySet
from gate.improvement_rows import DESCRIPTION_MAX_LENGTH, IMPROVEMENT_ID_MAX_LENGTH
from gate.policy import EventKind
from products.models import Product

# The kinds are gate.policy's (their one definition); these are their names on the pages.
EVENT_KIND_LABELS = {
    EventKind.FLAGGED: _("Flagged"),
    EventKind.RECOVERED: _("Recovered"),
    EventKind.WITHDRAWN: _("Withdrawn"),
    EventKind.IMPROVED: _("Improved"),
    EventKind.REINSTATED: _("Reinstated"),
}
EVENT_KIND_CHOICES = [(kind.value, EVENT_KIND_LABELS[kind]) for kind in EventKind]


EVALUATION_KINDS = (EventKind.FLAGGED, EventKind.RECOVERED, EventKind.WITHDRAWN)
IMPROVEMENT_KINDS = (EventKind.IMPROVED, EventKind.REINSTATED)


class GateClock(models.Model):
    """A single row: the last day the engine evaluated, and the row the engine locks.

    Days are evaluated in order, each in one transaction that also advances this row, so a
    killed run resumes at the first day not committed and no day is evaluated twice.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_evaluated_day = models.DateField(null=True, blank=True)
    # The policy (GatePolicy.as_dict()) the last day was evaluated under. When the next day
    # runs under another policy, every product with counted reviews is evaluated on it, as
    # on a first day: a product left out could be below under the new rule and never noticed.
    policy = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="gate_gateclock_singleton")]


class Improvement(models.Model):
    """A product manager's fix: starts a new product revision and ends a withdrawal."""

    class Source(models.TextChoices):
        APP = "app", _("Logged in reviewgate")
        IMPORT = "import", _("Imported history")

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="improvements")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    logged_at = models.DateTimeField(_("logged at"))
    # The calendar day of logged_at in the policy time zone: the day its event belongs to.
    day = models.DateField(_("day"))
    # The revision this improvement starts (the product's revision before it, plus one).
    revision = models.PositiveIntegerField()
    description = models.TextField(_("what was changed (internal)"), max_length=DESCRIPTION_MAX_LENGTH)
    public_note = models.TextField(_("note for shoppers"), max_length=1000, blank=True)
    # Complaint phrases the manager says this addresses (the desk's "closing the loop").
    addressed_phrases = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.APP)
    # An importer's own id (CSV `improvement_id`), one improvement's in the whole database:
    # a re-import of the same row adds nothing. Null (not "") when logged in the app or
    # imported without one: the unique constraint below holds only among the ids given.
    external_id = models.CharField(max_length=IMPROVEMENT_ID_MAX_LENGTH, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["logged_at", "id"]
        indexes = [models.Index(fields=["day"], name="gate_improvement_day")]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="gate_improvement_external_id_unique"),
            models.UniqueConstraint(fields=["product", "revision"], name="gate_improvement_one_per_revision"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="gate_improvement_revision_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} r{self.revision} at {self.logged_at:%Y-%m-%d %H:%M}"


class ImprovementRequest(models.Model):
    """An improvement a product manager logged under GATE_IMPROVEMENT_APPROVAL = "director".

    It changes nothing while it waits: no revision number, no event, the product stays as
    it is. A quality director approves it, which creates the :class:`Improvement` (its
    revision starting at the approval), or rejects it with a reason the manager is shown.
    Kept apart from Improvement so every Improvement is one that took effect (or, imported,
    will): its revision stays non-null and unique per product.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="improvement_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"))
    description = models.TextField(_("what was changed (internal)"), max_length=DESCRIPTION_MAX_LENGTH)
    public_note = models.TextField(_("note for shoppers"), max_length=1000, blank=True)
    addressed_phrases = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for the rejection"), max_length=1000, blank=True)
    # The improvement its approval created (its revision starts at decided_at).
    improvement = models.OneToOneField(
        Improvement, on_delete=models.PROTECT, null=True, blank=True, related_name="request"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "requested_at"], name="gate_imprequest_state_at")]
        constraints = [
            # Two waiting at once would both become "the next revision": one at a time.
            models.UniqueConstraint(
                fields=["product"], condition=Q(state="pending"), name="gate_improvementrequest_one_pending_per_product"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "approved", "rejected"]), name="gate_improvementrequest_state_known"
            ),
            # Only an approved request has an improvement, and an approved one always has.
            models.CheckConstraint(
                condition=Q(state="approved", improvement__isnull=False)
                | (~Q(state="approved") & Q(improvement__isnull=True)),
                name="gate_improvementrequest_improvement_iff_approved",
            ),
            models.CheckConstraint(
                condition=Q(state="pending", decided_at__isnull=True)
                | (~Q(state="pending") & Q(decided_at__isnull=False)),
                name="gate_improvementrequest_decided_iff_not_pending",
            ),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""),
                name="gate_improvementrequest_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} request at {self.requested_at:%Y-%m-%d %H:%M} ({self.state})"


class GateEvent(models.Model):
    """Append-only: one row per event of ../shared/GATE_SPEC.md, never updated or deleted.

    The database refuses a second evaluation event for the same product and day and a
    second event for the same improvement, so a repeated or concurrent run cannot write
    an event twice. It also refuses any UPDATE or DELETE of a row (triggers of migration
    0006), and so does the ORM, before any SQL: see gate/event_log.py.
    """

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="gate_events")
    day = models.DateField()
    kind = models.CharField(max_length=16, choices=EVENT_KIND_CHOICES)
    average = models.DecimalField(max_digits=6, decimal_places=4, null=True, blank=True)
    count = models.PositiveIntegerField()
    improvement = models.OneToOneField(
        Improvement, on_delete=models.PROTECT, null=True, blank=True, related_name="event"
    )
    # The policy in force when the event was decided (GatePolicy.as_dict()).
    policy = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GateEventQuerySet.as_manager()

    class Meta:
        # Spec order is day, product_id as a string, improvements before evaluation: the
        # engine writes in that order within a product and day, so `id` breaks the tie.
        ordering = ["day", "product__sku", "id"]
        indexes = [
            models.Index(fields=["day", "product"], name="gate_gateevent_day_product"),
            models.Index(fields=["product", "day"], name="gate_gateevent_product_day"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "day"],
                condition=Q(kind__in=["flagged", "recovered", "withdrawn"]),
                name="gate_gateevent_one_evaluation_per_day",
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=["improved", "reinstated"]) & Q(improvement__isnull=False))
                | (Q(kind__in=["flagged", "recovered", "withdrawn"]) & Q(improvement__isnull=True)),
                name="gate_gateevent_improvement_iff_improvement_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["flagged", "recovered", "withdrawn", "improved", "reinstated"]),
                name="gate_gateevent_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.product_id} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only the first save (an INSERT) is allowed: a stored event is never rewritten.
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields") is not None:
            raise EventLogAppendOnly("save of a stored event")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise EventLogAppendOnly("delete")


class NoticeState(models.TextChoices):
    OPEN = "open", _("Open: below the threshold")
    RECOVERED = "recovered", _("Recovered")
    WITHDRAWN = "withdrawn", _("Withdrawn from sale")
    RESOLVED = "resolved", _("Resolved by an improvement")


# A notice is live while its episode goes on: below the threshold, or withdrawn from sale.
# A product has at most one live notice (the database's constraint below).
LIVE_NOTICE_STATES = (NoticeState.OPEN, NoticeState.WITHDRAWN)


class WithdrawalNotice(models.Model):
    """One flag episode of a product, from the day it was flagged to how it ended."""

    State = NoticeState

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="withdrawal_notices")
    flag_event = models.OneToOneField(GateEvent, on_delete=models.PROTECT, related_name="notice")
    opened_on = models.DateField()
    deadline = models.DateField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_notices",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        Improvement, on_delete=models.PROTECT, null=True, blank=True, related_name="resolved_notices"
    )

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(state__in=list(LIVE_NOTICE_STATES)),
                name="gate_withdrawalnotice_one_live_per_product",
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("opened_on")), name="gate_withdrawalnotice_deadline_after_open"
            ),
            models.CheckConstraint(
                condition=~Q(state="resolved") | Q(resolved_by__isnull=False),
                name="gate_withdrawalnotice_resolved_names_improvement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} flagged {self.opened_on} ({self.state})"
