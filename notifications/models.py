"""The outbox: every email and webhook an app owes somebody, written in the same
transaction as the change that causes it, then delivered (and retried) by Celery tasks.

The outbox knows users, endpoints and messages, not what a message is about: the app that
writes a row builds its email context or webhook body (notifications.outbox), and its
dedupe key names what it is about (the gate's: `email:<event>:<user>`...).

A row's `dedupe_key` is unique in the database, so the same event can never produce the
same message twice however often the code that writes it runs; every delivery attempt
leaves a `DeliveryAttempt` row, so an operator can see why a message is late or dead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gate.policy import EventKind

# What an integrator may subscribe to: the gate's events, read from their one definition
# (gate.policy, pure, the one module above this layer that may be imported from below).
WEBHOOK_EVENT_KINDS: tuple[str, ...] = tuple(kind.value for kind in EventKind)


# The payload key naming an email's templates: emails/<name>_subject.txt and _body.txt.
EMAIL_TEMPLATE_KEY = "email_template"
# The webhook body's key holding the id receivers de-duplicate by (Reviewgate-Event-Id).
WEBHOOK_EVENT_ID_KEY = "id"


class WebhookEndpoint(models.Model):
    """An integrator's URL that receives signed JSON deliveries of chosen gate events.

    The secret is kept (not hashed) because every delivery is signed with it (HMAC); it is
    shown in full once, when the endpoint is created, and masked everywhere after.
    """

    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=128, editable=False)
    events = models.JSONField(_("events"), default=list, help_text=_("The gate events sent to this URL."))
    description = models.CharField(_("description"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="notifications_webhookendpoint_url_http",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | Q(active=False),
                name="notifications_webhookendpoint_revoked_inactive",
            ),
            models.CheckConstraint(
                condition=~Q(secret=""),
                name="notifications_webhookendpoint_secret_set",
            ),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def secret_hint(self) -> str:
        """Enough of the secret to tell two apart, never enough to forge a signature."""
        return f"{self.secret[:6]}…" if self.secret else ""


class OutboxMessage(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        WEBHOOK = "webhook", _("Webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (gave up)")

    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # What the message is about, in its writer's words: a gate event kind, "reminder",
    # "password_changed"...
    kind = models.CharField(_("kind"), max_length=16)
    # Unique, and names what the message is about: `email:<event>:<user>`,
    # `webhook:<event>:<endpoint>`, `reminder7:<notice>:<user>`, `user:<...>`.
    dedupe_key = models.CharField(_("de-duplication key"), max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox_messages"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    # Email: the template's name and context (rendered at delivery, in the recipient's
    # language then; typed values tagged, see notifications.context).
    # Webhook: the JSON body, fixed at write time so every retry sends the same document.
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Due time of the next attempt; a worker that claims the row pushes it forward by a
    # lease, so no other worker picks it up while it is being sent.
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="notif_outbox_pending_due",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key"], name="notifications_outboxmessage_dedupe_key_unique"),
            models.CheckConstraint(
                # An email without a recipient names a builder (notifications.builders): the
                # twin of a request for an unknown address, which the worker sends as nothing.
                condition=(
                    Q(channel="email")
                    & (Q(recipient__isnull=False) | Q(payload__has_key="email_builder"))
                    & Q(endpoint__isnull=True)
                )
                | (Q(channel="webhook") & Q(endpoint__isnull=False) & Q(recipient__isnull=True)),
                name="notifications_outboxmessage_channel_target",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed"]),
                name="notifications_outboxmessage_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notifications_outboxmessage_sent_has_sent_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.dedupe_key} ({self.status})"

    @property
    def webhook_event_id(self) -> str | None:
        """A webhook's ``Reviewgate-Event-Id``: its body's ``"id"``, the value receivers
        de-duplicate by (delivery is at least once). None for an email."""
        if self.channel != self.Channel.WEBHOOK or WEBHOOK_EVENT_ID_KEY not in self.payload:
            return None
        return str(self.payload[WEBHOOK_EVENT_ID_KEY])


class DeliveryAttempt(models.Model):
    """One try at delivering a message (email or webhook).

    Written when a worker claims the message, in the claim's transaction, with no outcome;
    completed once when the send ends (succeeded, status, error, duration, finished_at).
    An attempt never completed, whose lease has passed, is one whose worker stopped
    mid-send (killed, or the machine died): the message was then sent again.
    """

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        IN_PROGRESS = "in_progress", _("in progress")
        WORKER_STOPPED = "worker_stopped", _("no outcome: the worker stopped")

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    number = models.PositiveIntegerField(_("attempt number"))
    attempted_at = models.DateTimeField(_("attempted at"))
    # Null until the attempt ends (and for ever when its worker stopped mid-send).
    succeeded = models.BooleanField(_("succeeded"), null=True, blank=True)
    # The receiver's HTTP status (webhooks); null for email or when no response came back.
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["message", "number"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="notifications_deliveryattempt_one_per_number"),
            # An outcome comes whole, with the time it ended, or not at all.
            models.CheckConstraint(
                condition=Q(finished_at__isnull=True, succeeded__isnull=True, duration_ms__isnull=True)
                | Q(finished_at__isnull=False, succeeded__isnull=False, duration_ms__isnull=False),
                name="notifications_deliveryattempt_outcome_when_finished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.number} {self.get_outcome_display()}"

    def outcome_at(self, now: datetime) -> str:
        """This attempt's Outcome at ``now``. An unfinished attempt is in progress while its
        claim's lease runs; after it, or once a later attempt exists, its worker stopped."""
        if self.finished_at is not None:
            return self.Outcome.SUCCEEDED if self.succeeded else self.Outcome.FAILED
        lease = timedelta(seconds=settings.OUTBOX_CLAIM_LEASE_SECONDS)
        if now >= self.attempted_at + lease or self.message.attempts > self.number:
            return self.Outcome.WORKER_STOPPED
        return self.Outcome.IN_PROGRESS

    @property
    def outcome(self) -> str:
        return self.outcome_at(timezone.now())

    def get_outcome_display(self) -> str:
        return str(self.Outcome(self.outcome).label)
