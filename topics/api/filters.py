"""The query of GET /api/v1/topic-figures/: the period (core.period_query: strict, a bad value
is a 400 naming the parameter), and two filters: ``product`` (a SKU) and ``category`` (an id).
A filter matching none of the key's products is no error: its months have no tagged review."""

from __future__ import annotations

from typing import Any

from django import forms

from core.period_query import PeriodQuery
from core.skus import SKU_MAX_LENGTH
from core.strict_numbers import StrictIntegerFormField

__all__ = ["FILTERS", "TopicFigureQuery"]

FILTERS = ("product", "category")


class TopicFigureQuery(PeriodQuery):
    # Months only: the parameter is not offered (every answer is per month).
    GROUPS = ("month",)
    DEFAULT_GROUP = "month"

    product = forms.CharField(required=False, max_length=SKU_MAX_LENGTH)
    category = StrictIntegerFormField(required=False, min_value=1)

    def __init__(self, data: Any, *, today: Any) -> None:
        super().__init__({name: data.get(name) for name in ("from", "to") if name in data}, today=today)
        self.data = {**self.data, **{name: data.get(name) for name in FILTERS}}
        # Sent empty is refused, as the period's parameters (PeriodQuery.clean says so).
        self.sent_empty += [name for name in FILTERS if name in data and data.get(name) == ""]
