"""Gate endpoints. Events are public (a product's gate state is public too): ERPs poll
them to learn of withdrawals. Notices and improvements belong to product managers (for
the products they manage, exactly like the desk) and quality directors (every product)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from apikeys.permissions import ApiKeyScopePermission, IsProductManagerOrQualityDirector
from core.api_http import positive_pk_or_404
from gate.api.filters import GateEventFilter, WithdrawalNoticeFilter
from gate.api.serializers import (
    GateEventSerializer,
    ImprovementInputSerializer,
    ImprovementSerializer,
    WithdrawalNoticeSerializer,
)
from gate.models import GateEvent, WithdrawalNotice
from gate.selectors import gate_event_list, withdrawal_notice_list
from gate.services import improvement_log
from products.models import Product

EVENT_EXAMPLE = {
    "id": 981,
    "day": "2026-03-31",
    "product": "B000123",
    "kind": "withdrawn",
    "average": 2.6129,
    "count": 31,
    "created_at": "2026-04-01T00:10:03.220000+02:00",
}


@extend_schema_view(
    list=extend_schema(
        summary="Quality-gate events",
        description=(
            "What the gate decided, one row per event of the spec (flagged, recovered, withdrawn, improved, "
            "reinstated); newest day first. To follow withdrawals by polling, pass `after_id` = the largest "
            "`id` you have seen, with `ordering=id`."
        ),
        examples=[OpenApiExample("A withdrawal", value=EVENT_EXAMPLE, response_only=True, status_codes=["200"])],
    ),
    retrieve=extend_schema(summary="One gate event"),
)
class GateEventViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GateEventSerializer
    filterset_class = GateEventFilter

    def get_queryset(self) -> QuerySet[GateEvent]:
        return gate_event_list().select_related(None).select_related("product")

    def get_object(self) -> GateEvent:
        self.kwargs["pk"] = positive_pk_or_404(self.kwargs["pk"])
        return super().get_object()


@extend_schema_view(
    list=extend_schema(
        summary="Withdrawal notices of the products you manage",
        description=(
            "One notice per flag episode, soonest deadline first. Product managers see the notices of the "
            "products they manage, quality directors every notice; anyone else gets 403."
        ),
    ),
    retrieve=extend_schema(summary="One withdrawal notice"),
)
class WithdrawalNoticeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WithdrawalNoticeSerializer
    filterset_class = WithdrawalNoticeFilter
    permission_classes = [permissions.IsAuthenticated, IsProductManagerOrQualityDirector, ApiKeyScopePermission]

    def get_queryset(self) -> QuerySet[WithdrawalNotice]:
        if getattr(self, "swagger_fake_view", False):
            return WithdrawalNotice.objects.none()
        return withdrawal_notice_list(user=self.request.user)

    def get_object(self) -> WithdrawalNotice:
        self.kwargs["pk"] = positive_pk_or_404(self.kwargs["pk"])
        return super().get_object()


class ProductImprovementViewSet(viewsets.GenericViewSet):
    serializer_class = ImprovementSerializer
    permission_classes = [permissions.IsAuthenticated, IsProductManagerOrQualityDirector, ApiKeyScopePermission]
    queryset = Product.objects.none()

    @extend_schema(
        summary="Log an improvement of a product",
        description=(
            "Starts a new product revision now: earlier reviews stop counting (they stay visible, marked as "
            "about the previous version), the product is `improved` (or `reinstated` and back on sale at once "
            "if it was withdrawn). For the product's managers and quality directors; needs a read_write key "
            "when called with a key."
        ),
        parameters=[
            OpenApiParameter("product_sku", OpenApiTypes.STR, OpenApiParameter.PATH, description="The product's SKU.")
        ],
        request=ImprovementInputSerializer,
        responses={201: ImprovementSerializer},
        examples=[
            OpenApiExample(
                "New outsole",
                value={
                    "description": "Outsole compound changed to a harder rubber (supplier ticket 4411).",
                    "public_note": "Since March 2026: a more durable outsole.",
                    "addressed_phrases": ["soles wore out"],
                },
                request_only=True,
            )
        ],
    )
    def create(self, request: Request, product_sku: str) -> Response:
        product = get_object_or_404(Product, sku=product_sku)
        data = ImprovementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        improvement = improvement_log(
            product=product,
            by=request.user,
            description=data.validated_data["description"],
            public_note=data.validated_data["public_note"],
            addressed_phrases=data.validated_data["addressed_phrases"],
        )
        return Response(ImprovementSerializer(improvement).data, status=status.HTTP_201_CREATED)
