"""The shape of GET /api/v1/care-figures/: one group's customer care figures and Net
Promoter Score (care.figures defines them). Counts and shares only: no case, customer,
address or single recommend answer is ever in it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


def _share(source: str, help_text: Any) -> serializers.DecimalField:  # Any: a lazy string (its stub type is private)
    # Percents with one decimal, numbers in JSON (not strings), as the invitation figures.
    return serializers.DecimalField(
        source=source, max_digits=4, decimal_places=1, allow_null=True, coerce_to_string=False, help_text=help_text
    )


class CareOutcomesSerializer(serializers.Serializer):
    """Reads the Counter of closed cases per outcome (a missing outcome counts 0). One field
    per care.models.CaseOutcome (a test holds them equal)."""

    solved = serializers.IntegerField(help_text=_("Closed as solved."))
    refunded_replaced = serializers.IntegerField(help_text=_("Closed as refunded or replaced."))
    no_answer = serializers.IntegerField(help_text=_("Closed without an answer from the customer."))
    not_reachable = serializers.IntegerField(help_text=_("Closed because the customer could not be reached."))


class CareFigureSerializer(serializers.Serializer):
    """Reads a care.api.rows.CareFigureRow."""

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
    cases = serializers.IntegerField(source="care.cases", help_text=_("Care cases opened in the period."))
    due = serializers.IntegerField(
        source="care.due",
        help_text=_("Of those, the cases already contacted or whose first-contact target has passed."),
    )
    contacted_in_time = serializers.IntegerField(
        source="care.in_time", help_text=_("Of those, the cases first contacted by their target.")
    )
    in_time_share = _share(
        "care.in_time_share",
        _("Cases contacted by their target per due case, in percent; null without due cases."),
    )
    median_first_contact_hours = serializers.DecimalField(
        source="care.median_first_contact_hours",
        max_digits=7,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("Median hours from opening to the first message, over contacted cases; null without any."),
    )
    outcomes = CareOutcomesSerializer(
        source="care.outcomes", help_text=_("Closed cases per outcome (cases opened in the period).")
    )
    first_contact_resolution_share = _share(
        "care.first_contact_resolution_share",
        _(
            "Cases solved or refunded/replaced after a single message, per closed case that was contacted, "
            "in percent; null without such cases."
        ),
    )
    effort_answers = serializers.IntegerField(
        source="care.effort_answers", help_text=_("Customer effort answers (1 very difficult to 7 very easy).")
    )
    effort_mean = serializers.DecimalField(
        source="care.effort_mean",
        max_digits=3,
        decimal_places=2,
        allow_null=True,
        coerce_to_string=False,
        help_text=_("The mean effort answer, two decimals; null without answers."),
    )
    ratings_raised = serializers.IntegerField(
        source="care.ratings_raised",
        help_text=_("Contacted cases whose review's rating was raised after the first contact."),
    )
    raised_share = _share(
        "care.raised_share", _("Ratings raised per contacted case, in percent; null without contacted cases.")
    )
    nps = serializers.DecimalField(
        source="nps.score",
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=False,
        min_value=-100,
        max_value=100,
        help_text=_(
            "Net Promoter Score of the counted reviews published in the period: the share of recommend answers "
            "9-10 minus the share of 0-6, in points from -100 to 100; null without answers."
        ),
    )
    nps_answers = serializers.IntegerField(source="nps.answers", help_text=_("Recommend answers the score counts."))
