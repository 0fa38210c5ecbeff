"""Order endpoints' shapes: input serializers check JSON types, lengths and formats only;
every rule (an order's lifecycle, known SKUs, a valid address) is orders.services'.

The representation never holds the customer's email address: it is personal data that
no answer of the API shows, to anyone (orders.models).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api_fields import StrictCharField, StrictIntegerField
from core.skus import SKU_MAX_LENGTH, SKU_URL_PATTERN
from orders.models import CUSTOMER_NAME_MAX_LENGTH, EMAIL_MAX_LENGTH, ORDER_ID_MAX_LENGTH, Order, OrderLine
from orders.policy import Change
from orders.services import (
    EMAIL_PATTERN,
    MAX_LINES,
    MAX_QUANTITY,
    MOMENT_PATTERN,
    NAME_NOT_AN_ADDRESS,
    NAME_PATTERN,
    ORDER_ID_PATTERN,
    offset_moment,
)


@extend_schema_field({"type": "string", "format": "date-time", "pattern": f"^{MOMENT_PATTERN}$"})
class OffsetDateTimeField(serializers.Field):
    """A JSON string holding an ISO 8601 date-time with its UTC offset, given on in UTC
    (PostgreSQL refuses offsets beyond 15:59, which ISO 8601 allows up to 23:59)."""

    default_error_messages = {
        "invalid": _("Enter a date-time in ISO 8601 with its offset, e.g. 2026-03-31T14:05:00+02:00."),
    }

    def to_internal_value(self, data: Any) -> datetime:
        moment = offset_moment(data) if isinstance(data, str) else None
        if moment is None:
            self.fail("invalid")
        return moment

    def to_representation(self, value: datetime) -> str:
        return serializers.DateTimeField().to_representation(value)  # type: ignore[no-any-return]


@extend_schema_field({"type": "string", "format": "email", "pattern": EMAIL_PATTERN, "maxLength": EMAIL_MAX_LENGTH})
class EmailAddressField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [RegexValidator(EMAIL_PATTERN, _("Enter a valid email address."))])
        super().__init__(max_length=EMAIL_MAX_LENGTH, **kwargs)


@extend_schema_field({"type": "string", "pattern": f"^{ORDER_ID_PATTERN}$", "maxLength": ORDER_ID_MAX_LENGTH})
class OrderIdField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        message = _("1 to 100 characters: ASCII letters, digits, “.”, “_” and “-”, starting with a letter or digit.")
        kwargs.setdefault("validators", [RegexValidator(rf"^{ORDER_ID_PATTERN}$", message)])
        super().__init__(max_length=ORDER_ID_MAX_LENGTH, **kwargs)


@extend_schema_field({"type": "string", "pattern": f"^{SKU_URL_PATTERN}$", "maxLength": SKU_MAX_LENGTH})
class SkuField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validators", [RegexValidator(rf"^{SKU_URL_PATTERN}$", _("Enter a product SKU."))])
        super().__init__(max_length=SKU_MAX_LENGTH, **kwargs)


class CustomerInputSerializer(serializers.Serializer):
    email = EmailAddressField(
        help_text=_("Stored once, to send the invitation; never shown in any answer (personal data)."),
    )
    name = StrictCharField(
        max_length=CUSTOMER_NAME_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        validators=[RegexValidator(NAME_PATTERN, message=NAME_NOT_AN_ADDRESS)],
        help_text=_("How the invitation greets the customer (never an address: no “@”)."),
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, help_text=_("The invitation's language."))


class OrderLineInputSerializer(serializers.Serializer):
    sku = SkuField(
        help_text=_("A product's SKU (known to reviewgate)."),
    )
    quantity = StrictIntegerField(min_value=1, max_value=MAX_QUANTITY)


class UniqueLinesField(serializers.ListField):
    """An order's lines, no two identical (the schema's `uniqueItems`, a 400). One product
    on two different lines is a rule of orders.services (409 `duplicate_product`)."""

    def to_internal_value(self, data: Any) -> list[Any]:
        if isinstance(data, list):
            seen = [json.dumps(item, sort_keys=True) for item in data]
            if len(set(seen)) != len(seen):
                raise serializers.ValidationError(_("Each product appears on one line: add the quantities up."))
        lines: list[Any] = super().to_internal_value(data)
        return lines


class UniqueLinesFieldSchema(OpenApiSerializerFieldExtension):
    target_class = UniqueLinesField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        schema["uniqueItems"] = True
        return schema


def _moment(*, required: bool, help_text: Any, allow_null: bool = False) -> OffsetDateTimeField:
    return OffsetDateTimeField(required=required, allow_null=allow_null, help_text=help_text)


class OrderInputSerializer(serializers.Serializer):
    order_id = OrderIdField(
        help_text=_(
            "The shop's order id: 1 to 100 ASCII letters, digits, “.”, “_” and “-”, starting with a letter or digit."
        ),
    )
    customer = CustomerInputSerializer()
    purchased_at = _moment(required=True, help_text=_("When the order was placed (ISO 8601, with its offset)."))
    delivered_at = _moment(required=False, allow_null=True, help_text=_("When it was delivered, if it was."))
    cancelled_at = _moment(
        required=False, allow_null=True, help_text=_("When it was cancelled, if it was (never after delivery).")
    )
    refunded_at = _moment(
        required=False, allow_null=True, help_text=_("When it was refunded, if it was (only after delivery).")
    )
    lines = UniqueLinesField(
        child=OrderLineInputSerializer(),
        min_length=1,
        max_length=MAX_LINES,
        help_text=_("One line per product (add the quantities up)."),
    )


class OrderChangeInputSerializer(serializers.Serializer):
    """Any of the three times; none at all changes nothing (200), like a time sent again."""

    delivered_at = _moment(required=False, help_text=_("Record the delivery."))
    cancelled_at = _moment(required=False, help_text=_("Record a cancellation (before delivery)."))
    refunded_at = _moment(required=False, help_text=_("Record a refund (after delivery)."))

    def changes(self) -> dict[Change, datetime]:
        return {Change(name): moment for name, moment in self.validated_data.items()}


# --- The representation -------------------------------------------------------------------
class OrderCustomerSerializer(serializers.Serializer):
    """Who bought, without their address."""

    name = serializers.CharField(help_text=_("As the shop sent it."))
    language = serializers.CharField()
    unsubscribed = serializers.BooleanField(help_text=_("The customer asked for no more invitations."))


class OrderLineSerializer(serializers.ModelSerializer):
    sku = serializers.CharField(source="product.sku", help_text=_("The product's SKU."))
    reviewed = serializers.SerializerMethodField(help_text=_("A review was written through the invitation link."))

    class Meta:
        model = OrderLine
        fields = ["sku", "quantity", "reviewed"]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_reviewed(self, line: OrderLine) -> bool:
        return line.reviewed_at is not None


class InvitationStateSerializer(serializers.Serializer):
    invited_at = serializers.DateTimeField(allow_null=True, help_text=_("When the invitation was sent."))
    reminded_at = serializers.DateTimeField(allow_null=True, help_text=_("When the one reminder was sent."))


class OrderSerializer(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=["placed", "delivered", "cancelled", "refunded"],
        read_only=True,
        help_text=_("From the times: cancelled, refunded, delivered, else placed."),
    )
    customer = serializers.SerializerMethodField(
        help_text=_("Null once the customer was erased or the order anonymised (ORDER_RETENTION_DAYS).")
    )
    lines = OrderLineSerializer(many=True, read_only=True)
    invitation = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "order_id",
            "status",
            "customer",
            "purchased_at",
            "delivered_at",
            "cancelled_at",
            "refunded_at",
            "anonymised_at",
            "source",
            "lines",
            "invitation",
            "received_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OrderCustomerSerializer(allow_null=True))
    def get_customer(self, order: Order) -> dict[str, Any] | None:
        customer = order.customer
        if customer is None:
            return None
        # Built field by field: the address never reaches the answer, whatever a later
        # change to the serializer's fields.
        return {
            "name": customer.name,
            "language": customer.language,
            "unsubscribed": customer.unsubscribed_at is not None,
        }

    @extend_schema_field(InvitationStateSerializer)
    def get_invitation(self, order: Order) -> dict[str, Any]:
        sent = {invitation.kind: invitation.sent_at for invitation in order.invitations.all()}
        return InvitationStateSerializer(
            {"invited_at": sent.get("invitation"), "reminded_at": sent.get("reminder")}
        ).data
