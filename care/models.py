"""A follow-up case per unhappy reviewer, and the messages exchanged through the platform.

States move only through care.services (the rules are care.policy's); the database holds
what must never be false whatever writes: one case per review, a closed case has its
outcome and date, a contacted one its first contact, one answer per message's link.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from products.models import Product
from reviews.models import Review

MESSAGE_MAX_LENGTH = 5000
EFFORT_MIN, EFFORT_MAX = 1, 7


class CaseState(models.TextChoices):
    OPEN = "open", _("Open")
    CONTACTED = "contacted", _("Contacted")
    CLOSED = "closed", _("Closed")


class CaseOutcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    REFUNDED_REPLACED = "refunded_replaced", _("Refunded or replaced")
    NO_ANSWER = "no_answer", _("No answer")
    NOT_REACHABLE = "not_reachable", _("Not reachable")


class CaseReason(models.TextChoices):
    LOW_RATING = "low_rating", _("Rated 1 or 2 stars")
    LOW_RECOMMEND = "low_recommend", _("Would not recommend it (0 to 6 of 10)")


class Case(models.Model):
    """The follow-up of one unhappy review: who has it, the clock, the outcome."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="care_case")
    # The review's product, kept here so a product's cases and figures need no join.
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="care_cases")
    reason = models.CharField(_("reason"), max_length=16, choices=CaseReason.choices)
    state = models.CharField(_("state"), max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    outcome = models.CharField(_("outcome"), max_length=24, choices=CaseOutcome.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_cases",
        verbose_name=_("handled by"),
    )
    opened_at = models.DateTimeField(_("opened at"))
    # The first-contact target as it was when the case opened (CARE_FIRST_CONTACT_HOURS
    # later): changing the setting moves no deadline already promised.
    due_at = models.DateTimeField(_("first contact due"))
    first_contact_at = models.DateTimeField(_("first contacted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The review's rating and recommend answer when the case opened, and its rating now
    # (an edit by the customer updates it, with its date: "raised after follow-up").
    rating_at_open = models.PositiveSmallIntegerField(_("rating when opened"))
    recommend_at_open = models.PositiveSmallIntegerField(_("recommend answer when opened"), null=True, blank=True)
    rating_now = models.PositiveSmallIntegerField(_("rating now"))
    rating_changed_at = models.DateTimeField(_("rating changed at"), null=True, blank=True)
    # "How easy was it to get your problem solved?" 1 (very difficult) to 7 (very easy),
    # answered by the customer after the case closed.
    effort_score = models.PositiveSmallIntegerField(_("customer effort answer"), null=True, blank=True)
    effort_answered_at = models.DateTimeField(_("effort answered at"), null=True, blank=True)

    class Meta:
        ordering = ["opened_at", "id"]
        verbose_name = _("care case")
        verbose_name_plural = _("care cases")
        permissions = [("handle_case", "Can take, assign, write to the customer and close care cases")]
        indexes = [
            models.Index(fields=["state", "opened_at"], name="care_case_state_opened"),
            models.Index(fields=["product", "opened_at"], name="care_case_product_opened"),
            models.Index(fields=["opened_at"], name="care_case_opened"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(state="closed") & ~Q(outcome="") & Q(closed_at__isnull=False))
                | (~Q(state="closed") & Q(outcome="") & Q(closed_at__isnull=True)),
                name="care_case_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(state="contacted") | Q(first_contact_at__isnull=False),
                name="care_case_contacted_has_first_contact",
            ),
            models.CheckConstraint(
                condition=Q(effort_score__isnull=True)
                | (Q(effort_score__gte=EFFORT_MIN) & Q(effort_score__lte=EFFORT_MAX) & Q(state="closed")),
                name="care_case_effort_1_to_7_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(rating_at_open__gte=1)
                & Q(rating_at_open__lte=5)
                & Q(rating_now__gte=1)
                & Q(rating_now__lte=5),
                name="care_case_ratings_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"case #{self.pk} ({self.get_state_display()})"


class MessageDirection(models.TextChoices):
    TO_CUSTOMER = "to_customer", _("To the customer")
    FROM_CUSTOMER = "from_customer", _("From the customer")


class MessageKind(models.TextChoices):
    MESSAGE = "message", _("Message")
    # Sent when the case closes: the outcome, and the effort question on the reply page.
    CLOSING = "closing", _("Closing message")


class CaseMessage(models.Model):
    """One message of a case: care's (sent by email with a single-use reply link) or the
    customer's answer (through that link's page, ``reply_to`` the message it answers)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=16, choices=MessageDirection.choices)
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH, blank=True)
    written_at = models.DateTimeField(_("written at"))
    reply_to = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="reply", editable=False
    )

    class Meta:
        ordering = ["written_at", "id"]
        constraints = [
            # A customer's answer answers one of care's messages; care's answer nothing.
            models.CheckConstraint(
                condition=(Q(direction="from_customer") & Q(reply_to__isnull=False) & Q(author__isnull=True))
                | (Q(direction="to_customer") & Q(reply_to__isnull=True)),
                name="care_message_reply_shape",
            ),
            models.CheckConstraint(
                condition=~Q(direction="to_customer") | ~Q(kind="message") | ~Q(body=""),
                name="care_message_staff_body_present",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MESSAGE_MAX_LENGTH), name="care_message_body_max_length"
            ),
        ]
        indexes = [models.Index(fields=["case", "written_at"], name="care_message_case_written")]

    def __str__(self) -> str:
        return f"message #{self.pk} of case #{self.case_id}"
