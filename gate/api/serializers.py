"""Gate endpoints' shapes: events (public), notices (managers) and improvements."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api_fields import StrictCharField
from gate.models import GateEvent, Improvement, ImprovementRequest, WithdrawalNotice
from gate.services import (
    ADDRESSED_PHRASE_MAX_LENGTH,
    ADDRESSED_PHRASES_MAX,
    PUBLIC_NOTE_MAX_LENGTH,
)
from gate.services.approvals import REJECTION_REASON_MAX_LENGTH
from gate.services.improvements import ImprovementDescriptionValidator
from products.models import Product

AVERAGE_HELP = _("Average of the evaluation that caused the event, 4 decimals; null for improvements.")


class GateEventSerializer(serializers.ModelSerializer):
    product: serializers.SlugRelatedField[Product] = serializers.SlugRelatedField(
        slug_field="sku", read_only=True, help_text=_("The product's SKU.")
    )
    average = serializers.DecimalField(
        max_digits=6, decimal_places=4, allow_null=True, coerce_to_string=False, help_text=AVERAGE_HELP
    )

    class Meta:
        model = GateEvent
        fields = ["id", "day", "product", "kind", "average", "count", "created_at"]
        read_only_fields = fields


class FlagEventSerializer(serializers.ModelSerializer):
    average = serializers.DecimalField(max_digits=6, decimal_places=4, allow_null=True, coerce_to_string=False)

    class Meta:
        model = GateEvent
        fields = ["id", "day", "average", "count"]
        read_only_fields = fields


class WithdrawalNoticeSerializer(serializers.ModelSerializer):
    product: serializers.SlugRelatedField[Product] = serializers.SlugRelatedField(
        slug_field="sku", read_only=True, help_text=_("The product's SKU.")
    )
    product_name = serializers.CharField(source="product.name", read_only=True)
    flag_event = FlagEventSerializer(read_only=True)
    assigned_to: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    resolved_by: serializers.PrimaryKeyRelatedField[Improvement] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("Id of the improvement that resolved it.")
    )

    class Meta:
        model = WithdrawalNotice
        fields = [
            "id",
            "product",
            "product_name",
            "state",
            "opened_on",
            "deadline",
            "flag_event",
            "acknowledged_at",
            "assigned_to",
            "closed_at",
            "resolved_by",
        ]
        read_only_fields = fields


class ImprovementInputSerializer(serializers.Serializer):
    description = StrictCharField(
        validators=[ImprovementDescriptionValidator()],
        help_text=_("What was changed (internal, not shown to shoppers)."),
    )
    public_note = StrictCharField(
        max_length=PUBLIC_NOTE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Shown to shoppers on the product page."),
    )
    addressed_phrases = serializers.ListField(
        child=StrictCharField(max_length=ADDRESSED_PHRASE_MAX_LENGTH),
        max_length=ADDRESSED_PHRASES_MAX,
        required=False,
        default=list,
        help_text=_("Complaint phrases from the reviews that this improvement addresses."),
    )


class ImprovementSerializer(serializers.ModelSerializer):
    product: serializers.SlugRelatedField[Product] = serializers.SlugRelatedField(slug_field="sku", read_only=True)
    addressed_phrases = serializers.ListField(child=serializers.CharField(), read_only=True)
    event = serializers.SerializerMethodField(help_text=_("The `improved` or `reinstated` event it caused."))
    approved_by = serializers.SerializerMethodField(
        help_text=_(
            "Username of the quality director who approved it (GATE_IMPROVEMENT_APPROVAL = director); "
            "null when it took effect as logged."
        )
    )

    class Meta:
        model = Improvement
        fields = [
            "id",
            "product",
            "revision",
            "logged_at",
            "day",
            "description",
            "public_note",
            "addressed_phrases",
            "event",
            "approved_by",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_approved_by(self, improvement: Improvement) -> str | None:
        try:
            request = improvement.request
        except ImprovementRequest.DoesNotExist:
            return None
        return request.decided_by.username if request.decided_by is not None else None

    @extend_schema_field(GateEventSerializer(allow_null=True))
    def get_event(self, improvement: Improvement) -> dict[str, Any] | None:
        try:
            event = improvement.event
        except GateEvent.DoesNotExist:
            return None
        return GateEventSerializer(event).data


class ImprovementRequestSerializer(serializers.ModelSerializer):
    """An improvement waiting for a quality director's approval, or decided."""

    product: serializers.SlugRelatedField[Product] = serializers.SlugRelatedField(slug_field="sku", read_only=True)
    requested_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    decided_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    addressed_phrases = serializers.ListField(child=serializers.CharField(), read_only=True)
    improvement = ImprovementSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("The improvement its approval created: its revision started at `decided_at`."),
    )

    class Meta:
        model = ImprovementRequest
        fields = [
            "id",
            "product",
            "state",
            "requested_by",
            "requested_at",
            "description",
            "public_note",
            "addressed_phrases",
            "decided_by",
            "decided_at",
            "rejection_reason",
            "improvement",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "state": {"help_text": _("pending (nothing changed yet), approved or rejected.")},
            "rejection_reason": {"help_text": _("Why a quality director rejected it; empty otherwise.")},
        }


class ImprovementRejectSerializer(serializers.Serializer):
    reason = StrictCharField(
        max_length=REJECTION_REASON_MAX_LENGTH, help_text=_("Why it is rejected: shown and emailed to its author.")
    )
