"""GET /api/v1/invitation-figures/: the invitation loop's figures per product, category or
month (desk.invitation_figures defines them), for product managers (the products they
manage, as on the desk) and quality directors (every product); anyone else gets 403."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from apikeys.permissions import ApiKeyScopePermission, IsProductManagerOrQualityDirector
from core.period_query import period_parameters
from desk.api.filters import InvitationFigureQuery
from desk.api.serializers import InvitationFigureSerializer
from desk.kpis import KpiRow, month_key
from desk.selectors.invitations import INVITATION_GROUPS, invitation_facts, invitation_rows
from desk.selectors.scope import desk_policy, desk_today

FIGURES_EXAMPLE = {
    "key": "TENT-0042",
    "label": "Trekking tent 2P",
    "invitations_sent": 120,
    "links_opened": 71,
    "reviews_written": 38,
    "response_rate_percent": 31.7,
    "reminders_sent": 64,
    "reviews": 45,
    "verified_reviews": 40,
    "verified_percent": 88.9,
}


class InvitationFigureViewSet(viewsets.GenericViewSet):
    serializer_class = InvitationFigureSerializer
    permission_classes = [permissions.IsAuthenticated, IsProductManagerOrQualityDirector, ApiKeyScopePermission]
    filter_backends: list[Any] = []

    @extend_schema(
        summary="Review invitation figures per product, category or month",
        description=(
            "For the invitations sent from `from` to `to` (days in the shop's time zone; by default the 90 "
            "days through today), per group: `invitations_sent` (an order line listed in an invitation: one "
            "per product and order; reminders are not new invitations), `links_opened` and `reviews_written` "
            "(of those lines, whenever it happened), `response_rate_percent` (reviews written / invitations "
            "sent; null when nothing was invited), `reminders_sent` (lines listed in a reminder sent in the "
            "period). By month, a line counts in the month its invitation was sent. Beside them, the "
            "counted reviews published in the period and their share of verified purchases, as the desk's "
            "key figures count them. Only groups with an invitation or a review in the period are listed, "
            "products by name, categories by name, months in calendar order. Product managers see the "
            "products they manage, quality directors every product; anyone else gets 403. A key needs the "
            "`read` scope."
        ),
        parameters=period_parameters(INVITATION_GROUPS),
        examples=[OpenApiExample("A product", value=FIGURES_EXAMPLE, response_only=True, status_codes=["200"])],
    )
    def list(self, request: Request) -> Response:
        policy = desk_policy()
        query = InvitationFigureQuery(request.query_params, today=desk_today(policy))
        if not query.is_valid():
            raise serializers.ValidationError(query.field_errors())
        group, first, last = query.cleaned_data["group"], query.cleaned_data["first"], query.cleaned_data["last"]
        facts = invitation_facts(user=request.user, first=first, last=last, group=group, policy=policy)
        rows = invitation_rows(
            facts,
            group=group,
            first=first,
            last=last,
            month_label=month_key,
            no_category=_("(no category)"),
            total_label="",
        )
        groups = [row for row in rows if not row.is_total]
        # DRF's paginators page any sequence; its stubs only say querysets.
        page: list[KpiRow] | None = self.paginate_queryset(groups)  # type: ignore[arg-type]
        if page is None:
            return Response(self.get_serializer(groups, many=True).data)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
