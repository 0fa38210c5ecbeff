"""Webhook endpoints, managed by quality directors through notifications.webhooks."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apikeys.permissions import ApiKeyScopePermission, IsQualityDirector
from core.api_http import positive_pk_or_404
from notifications.api.serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointInputSerializer,
    WebhookEndpointSerializer,
)
from notifications.models import DeliveryAttempt, OutboxMessage, WebhookEndpoint
from notifications.webhooks import webhook_endpoint_create, webhook_endpoint_revoke

DELIVERIES_SHOWN = 50


@extend_schema_view(
    list=extend_schema(summary="Webhook endpoints (quality directors)"),
    retrieve=extend_schema(summary="One webhook endpoint"),
    create=extend_schema(
        summary="Register a webhook endpoint",
        description=(
            "Deliveries are JSON POSTs signed with `Reviewgate-Signature: sha256=<hex HMAC-SHA256 of "
            '"<Reviewgate-Timestamp>.<body>">`; the answer holds the secret, once. See docs/webhooks.md.'
        ),
        request=WebhookEndpointInputSerializer,
        responses={201: WebhookEndpointCreatedSerializer},
        examples=[
            OpenApiExample(
                "ERP",
                value={
                    "url": "https://erp.example.com/hooks/reviewgate",
                    "events": ["flagged", "withdrawn", "reinstated"],
                    "description": "Stop selling withdrawn products",
                },
                request_only=True,
            )
        ],
    ),
    destroy=extend_schema(summary="Revoke a webhook endpoint (deliveries stop; the record stays)"),
)
class WebhookEndpointViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WebhookEndpointSerializer
    permission_classes = [permissions.IsAuthenticated, IsQualityDirector, ApiKeyScopePermission]
    filterset_class = None

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return WebhookEndpoint.objects.order_by("id")

    def get_object(self) -> WebhookEndpoint:
        self.kwargs["pk"] = positive_pk_or_404(self.kwargs["pk"])
        return super().get_object()

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = WebhookEndpointInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        endpoint, secret = webhook_endpoint_create(
            url=data.validated_data["url"],
            events=data.validated_data["events"],
            description=data.validated_data["description"],
            by=request.user,
        )
        body = WebhookEndpointCreatedSerializer(endpoint).data
        body["secret"] = secret
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        webhook_endpoint_revoke(endpoint=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Recent deliveries to an endpoint, with every attempt",
        responses={200: WebhookDeliverySerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def deliveries(self, request: Request, pk: str) -> Response:
        endpoint = self.get_object()
        messages = (
            OutboxMessage.objects.filter(endpoint=endpoint)
            .prefetch_related(Prefetch("delivery_attempts", queryset=DeliveryAttempt.objects.order_by("number")))
            .order_by("-id")[:DELIVERIES_SHOWN]
        )
        return Response(WebhookDeliverySerializer(messages, many=True).data)
