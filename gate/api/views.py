"""Gate endpoints. Events are public (a product's gate state is public too): ERPs poll
them to learn of withdrawals. Notices and improvements belong to product managers (for
the products they manage, exactly like the desk) and quality directors (every product);
under GATE_IMPROVEMENT_APPROVAL = "director" only quality directors approve or reject a
manager's improvement."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apikeys.permissions import ApiKeyScopePermission, IsProductManagerOrQualityDirector
from core.api_http import positive_pk_or_404
from gate.api.filters import GateEventFilter, ImprovementRequestFilter, WithdrawalNoticeFilter
from gate.api.serializers import (
    GateEventSerializer,
    ImprovementInputSerializer,
    ImprovementRejectSerializer,
    ImprovementRequestSerializer,
    ImprovementSerializer,
    WithdrawalNoticeSerializer,
)
from gate.models import GateEvent, ImprovementRequest, WithdrawalNotice
from gate.selectors import gate_event_list, withdrawal_notice_list
from gate.services.approvals import (
    improvement_request_approve,
    improvement_request_reject,
    improvement_requests_visible,
    improvement_submit,
)
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
            "if it was withdrawn): 201 with the improvement. For the product's managers and quality directors; "
            "needs a key holding `write` when called with a key.\n\n"
            "When the shop sets `GATE_IMPROVEMENT_APPROVAL = director`, a product manager's improvement is "
            "instead stored as a request waiting for a quality director (202 with the request): nothing "
            "changes until it is approved (`/gate/improvement-requests/{id}/approve/`), and its revision "
            "then starts at the approval. 409 `approval_pending` while another request of the product waits. "
            "A quality director's own improvement always takes effect at once."
        ),
        parameters=[
            OpenApiParameter("product_sku", OpenApiTypes.STR, OpenApiParameter.PATH, description="The product's SKU.")
        ],
        request=ImprovementInputSerializer,
        responses={201: ImprovementSerializer, 202: ImprovementRequestSerializer},
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
        logged = improvement_submit(
            product=product,
            by=request.user,
            description=data.validated_data["description"],
            public_note=data.validated_data["public_note"],
            addressed_phrases=data.validated_data["addressed_phrases"],
        )
        if isinstance(logged, ImprovementRequest):
            return Response(ImprovementRequestSerializer(logged).data, status=status.HTTP_202_ACCEPTED)
        return Response(ImprovementSerializer(logged).data, status=status.HTTP_201_CREATED)


REQUEST_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The request's id.")


@extend_schema_view(
    list=extend_schema(
        summary="Improvements waiting for a quality director's approval, and decided ones",
        description=(
            "Under `GATE_IMPROVEMENT_APPROVAL = director` a product manager's improvement waits here "
            "(`state` = `pending`) until a quality director approves or rejects it; newest first. Product "
            "managers see the requests of the products they manage, quality directors every request. "
            "Filter with `state`."
        ),
    ),
    retrieve=extend_schema(summary="One improvement request", parameters=[REQUEST_ID]),
)
class ImprovementRequestViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ImprovementRequestSerializer
    filterset_class = ImprovementRequestFilter
    permission_classes = [permissions.IsAuthenticated, IsProductManagerOrQualityDirector, ApiKeyScopePermission]

    def get_queryset(self) -> QuerySet[ImprovementRequest]:
        if getattr(self, "swagger_fake_view", False):
            return ImprovementRequest.objects.none()
        return improvement_requests_visible(user=self.request.user).select_related("improvement__event")

    def get_object(self) -> ImprovementRequest:
        self.kwargs["pk"] = positive_pk_or_404(self.kwargs["pk"])
        return super().get_object()

    @extend_schema(
        summary="Approve an improvement (quality directors)",
        description=(
            "The improvement takes effect now: the days not yet evaluated are evaluated first, then the "
            "product's new revision starts at this moment and its `improved` or `reinstated` event is dated "
            "today (a withdrawn product is back on sale). Its author is emailed. 403 for anyone but a quality "
            "director; 409 `already_decided` for a request already approved or rejected."
        ),
        parameters=[REQUEST_ID],
        request=None,
        responses={200: ImprovementRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        approved = improvement_request_approve(improvement_request=self.get_object(), by=request.user)
        return Response(ImprovementRequestSerializer(approved).data)

    @extend_schema(
        summary="Reject an improvement (quality directors)",
        description=(
            "Nothing changes on the product; the reason is shown to the product's managers and emailed to "
            "the request's author. 403 for anyone but a quality director; 409 `already_decided`."
        ),
        parameters=[REQUEST_ID],
        request=ImprovementRejectSerializer,
        responses={200: ImprovementRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        data = ImprovementRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rejected = improvement_request_reject(
            improvement_request=self.get_object(), by=request.user, reason=data.validated_data["reason"]
        )
        return Response(ImprovementRequestSerializer(rejected).data)
