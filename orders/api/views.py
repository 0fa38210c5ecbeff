"""The shop's orders: received (POST), read, and changed by delivery, cancellation or refund
(PATCH), by an API key holding the `orders` scope, through orders.services.

No answer holds a customer's email address (orders.api.serializers)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from apikeys.models import ApiKeyScope
from apikeys.permissions import requires_key_scope
from orders.api.filters import OrderFilter
from orders.api.selectors import order_list_api
from orders.api.serializers import OrderChangeInputSerializer, OrderInputSerializer, OrderSerializer
from orders.models import Order, OrderSource
from orders.services import ORDER_ID_PATTERN, LineInput, OrderInput, order_change, order_receive

ORDER_ID_PARAMETER = OpenApiParameter(
    "order_id",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The shop's order id, as it was posted.",
    pattern=f"^{ORDER_ID_PATTERN}$",
)
ORDER_EXAMPLE = {
    "order_id": "SO-2026-004211",
    "status": "delivered",
    "customer": {"name": "Camille Martin", "language": "fr", "unsubscribed": False},
    "purchased_at": "2026-03-02T10:15:00+01:00",
    "delivered_at": "2026-03-04T16:40:00+01:00",
    "cancelled_at": None,
    "refunded_at": None,
    "anonymised_at": None,
    "source": "api",
    "lines": [{"sku": "B000123", "quantity": 1, "reviewed": False}],
    "invitation": {"invited_at": "2026-03-11T09:00:00+01:00", "reminded_at": None},
    "received_at": "2026-03-02T10:15:02+01:00",
    "updated_at": "2026-03-04T16:41:00+01:00",
}
ORDER_INPUT_EXAMPLE = {
    "order_id": "SO-2026-004211",
    "customer": {"email": "camille@example.com", "name": "Camille Martin", "language": "fr"},
    "purchased_at": "2026-03-02T10:15:00+01:00",
    "delivered_at": "2026-03-04T16:40:00+01:00",
    "lines": [{"sku": "B000123", "quantity": 1}],
}
ACCESS = (
    "Needs an API key holding the `orders` scope (401 without credentials; 403 for a signed-in "
    "session or a key without the scope). The customer's email address is never in an answer."
)


@extend_schema_view(
    list=extend_schema(
        summary="The orders the shop sent",
        description=f"Newest purchase first; filter by status and purchase time. {ACCESS}",
        examples=[OpenApiExample("An order", value=ORDER_EXAMPLE, response_only=True, status_codes=["200"])],
    ),
    retrieve=extend_schema(
        summary="One order, by the shop's order id",
        description=ACCESS,
        parameters=[ORDER_ID_PARAMETER],
        examples=[OpenApiExample("An order", value=ORDER_EXAMPLE, response_only=True, status_codes=["200"])],
    ),
    create=extend_schema(
        summary="Tell reviewgate about an order",
        description=(
            "Idempotent by `order_id`: the first post stores the order (201, with `Location`); the same "
            "order posted again changes nothing and answers 200 with the same representation (the same moments "
            "in another offset are the same); the same id with other customer, times or lines is a 409 "
            "`order_exists` (record delivery, cancellation or refund with PATCH). Date-times are ISO 8601 with "
            "their offset. What the schema refuses is a 400 naming the field; a well-formed order that a rule "
            "refuses is a 409 naming it: `illegal_order_change` (times out of order: delivered before purchase, "
            "cancelled and delivered, refunded but not delivered), `duplicate_product` (one product on two "
            "lines), `unknown_product` (a SKU reviewgate does not know yet: retry once the catalogue has it). "
            "The customer is one per address (case-insensitive); a new order updates their name and language. "
            f"The invitation is sent REVIEW_INVITE_DAYS after delivery. {ACCESS}"
        ),
        request=OrderInputSerializer,
        responses={200: OrderSerializer, 201: OrderSerializer},
        examples=[
            OpenApiExample("A delivered order", value=ORDER_INPUT_EXAMPLE, request_only=True),
            OpenApiExample("Stored", value=ORDER_EXAMPLE, response_only=True, status_codes=["201", "200"]),
        ],
    ),
    partial_update=extend_schema(
        summary="Record an order's delivery, cancellation or refund",
        description=(
            "Each time is set once: the same time again, or an empty body, changes nothing (200); another time, "
            "a cancellation "
            "after delivery, a refund before it, or any time before the purchase is a 409 "
            f"`illegal_order_change` naming the field. A cancelled or refunded order is not invited. {ACCESS}"
        ),
        parameters=[ORDER_ID_PARAMETER],
        request=OrderChangeInputSerializer,
        responses={200: OrderSerializer},
        examples=[
            OpenApiExample("Delivered", value={"delivered_at": "2026-03-04T16:40:00+01:00"}, request_only=True),
            OpenApiExample("Refunded", value={"refunded_at": "2026-03-20T11:00:00+01:00"}, request_only=True),
        ],
    ),
)
class OrderViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    # Keys holding `orders` only, whatever the method (not the API's read/write default).
    permission_classes = [requires_key_scope(ApiKeyScope.ORDERS)]
    lookup_field = "order_id"
    # An id outside the rule never reaches the database: the route does not match (404).
    lookup_value_regex = ORDER_ID_PATTERN
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Order]:
        return order_list_api()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = OrderInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        received = order_receive(
            OrderInput(
                order_id=fields["order_id"],
                email=fields["customer"]["email"],
                name=fields["customer"]["name"],
                language=fields["customer"]["language"],
                purchased_at=fields["purchased_at"],
                delivered_at=fields.get("delivered_at"),
                cancelled_at=fields.get("cancelled_at"),
                refunded_at=fields.get("refunded_at"),
                lines=tuple(LineInput(sku=line["sku"], quantity=line["quantity"]) for line in fields["lines"]),
                source=OrderSource.API,
            )
        )
        order = self.get_queryset().get(pk=received.order.pk)
        body = OrderSerializer(order).data
        if not received.created:
            return Response(body, status=status.HTTP_200_OK)
        location = reverse("order-detail", kwargs={"order_id": order.order_id}, request=request)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        order = self.get_object()  # 404 for an unknown id, before the body is read
        data = OrderChangeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order_change(order_id=order.order_id, changes=data.changes())
        return Response(OrderSerializer(self.get_queryset().get(pk=order.pk)).data)
