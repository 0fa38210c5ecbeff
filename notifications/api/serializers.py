"""Webhook endpoints' shapes. The signing secret appears once, in the creation answer."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api_fields import StrictCharField
from notifications.models import WEBHOOK_EVENT_KINDS, DeliveryAttempt, OutboxMessage, WebhookEndpoint
from notifications.webhooks import (
    DESCRIPTION_MAX_LENGTH,
    URL_MAX_LENGTH,
    WEBHOOK_URL_NOT_URI,
    WEBHOOK_URL_PATTERN,
    webhook_url_is_uri,
)

EVENT_CHOICES = [(kind, kind) for kind in WEBHOOK_EVENT_KINDS]


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENT_CHOICES), read_only=True)
    secret_hint = serializers.CharField(read_only=True, help_text=_("The secret's first characters, to tell it apart."))

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "description", "active", "secret_hint", "created_at", "revoked_at"]
        read_only_fields = fields


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=_("The signing secret (HMAC-SHA256). Shown only in this answer: store it now."),
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


def validate_webhook_url(value: str) -> None:
    if not webhook_url_is_uri(value):
        raise serializers.ValidationError(WEBHOOK_URL_NOT_URI)


@extend_schema_field({"type": "string", "format": "uri", "pattern": WEBHOOK_URL_PATTERN, "maxLength": URL_MAX_LENGTH})
class HttpUrlField(StrictCharField):
    """A receiver's address as WEBHOOK_URL_PATTERN says; notifications.webhooks checks it again
    (http or https, no credentials) when it registers the endpoint."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [validate_webhook_url])
        super().__init__(**kwargs)


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = HttpUrlField(max_length=URL_MAX_LENGTH, help_text=_("Your receiver's http:// or https:// address."))
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES),
        min_length=1,
        max_length=len(WEBHOOK_EVENT_KINDS),
        help_text=_("The gate events to receive."),
    )
    description = StrictCharField(max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True, default="")


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    # An attempt is logged when a worker claims the message; its outcome fields stay null
    # until the send ends (for ever when the worker stopped mid-send: see "outcome").
    outcome = serializers.ChoiceField(
        choices=DeliveryAttempt.Outcome.choices,
        read_only=True,
        help_text=_(
            "succeeded, failed, in_progress (the send has not ended yet) or worker_stopped (the "
            "worker stopped mid-send; the message was sent again in a later attempt)."
        ),
    )

    class Meta:
        model = DeliveryAttempt
        fields = [
            "number",
            "attempted_at",
            "outcome",
            "succeeded",
            "http_status",
            "error",
            "duration_ms",
            "finished_at",
        ]
        read_only_fields = fields


class WebhookDeliverySerializer(serializers.ModelSerializer):
    # The body's "id" sent as Reviewgate-Event-Id (the gate's event id, an integer).
    event_id = serializers.IntegerField(source="webhook_event_id", allow_null=True, read_only=True)
    attempts_log = DeliveryAttemptSerializer(source="delivery_attempts", many=True, read_only=True)

    class Meta:
        model = OutboxMessage
        fields = [
            "id",
            "kind",
            "event_id",
            "status",
            "attempts",
            "next_attempt_at",
            "sent_at",
            "created_at",
            "attempts_log",
        ]
        read_only_fields = fields
