"""Webhook endpoints' shapes. The signing secret appears once, in the creation answer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from notifications.models import WEBHOOK_EVENT_KINDS, DeliveryAttempt, OutboxMessage, WebhookEndpoint
from notifications.webhooks import DESCRIPTION_MAX_LENGTH, URL_MAX_LENGTH

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


@extend_schema_field({"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": URL_MAX_LENGTH})
class HttpUrlField(serializers.CharField):
    """Checked by notifications.webhooks (http or https, no credentials); typed for the schema."""


class WebhookEndpointInputSerializer(serializers.Serializer):
    url = HttpUrlField(max_length=URL_MAX_LENGTH, help_text=_("Your receiver's http:// or https:// address."))
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_CHOICES),
        min_length=1,
        max_length=len(WEBHOOK_EVENT_KINDS),
        help_text=_("The gate events to receive."),
    )
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True, default="")


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["number", "attempted_at", "succeeded", "http_status", "error", "duration_ms"]
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
