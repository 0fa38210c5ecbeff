"""The shape of GET /api/v1/invitation-figures/: one group's figures
(desk.invitation_figures defines them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class InvitationFigureSerializer(serializers.Serializer):
    """Reads a desk.kpis.KpiRow."""

    key = serializers.CharField(
        help_text=_(
            "The group: a product's SKU (group=product), a category's id or `none` for products without one "
            "(group=category), a month as YYYY-MM (group=month)."
        )
    )
    # A declared field, not Field.label: DRF's metaclass takes it out of the class.
    label = serializers.CharField(  # type: ignore[assignment]
        help_text=_("The product's or category's name, or the month as YYYY-MM.")
    )
    invitations_sent = serializers.IntegerField(
        source="invitations.invited",
        help_text=_("Order lines of this group listed in an invitation sent in the period (not reminders)."),
    )
    links_opened = serializers.IntegerField(
        source="invitations.opened", help_text=_("Of those lines, the ones whose link was opened.")
    )
    reviews_written = serializers.IntegerField(
        source="invitations.written", help_text=_("Of those lines, the ones that produced a review.")
    )
    response_rate_percent = serializers.DecimalField(
        source="invitations.response_rate",
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("Reviews written per invitation sent, in percent; null when nothing was invited."),
    )
    reminders_sent = serializers.IntegerField(
        source="invitations.reminders", help_text=_("Order lines listed in a reminder sent in the period.")
    )
    reviews = serializers.IntegerField(help_text=_("Counted reviews published in the period."))
    verified_reviews = serializers.IntegerField(
        source="verified", help_text=_("Of those reviews, the verified purchases.")
    )
    verified_percent = serializers.DecimalField(
        source="verified_share",
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("Share of verified purchases among those reviews, in percent; null without reviews."),
    )
