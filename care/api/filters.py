"""The query of GET /api/v1/care-figures/ (core.period_query: strict, a bad value is a 400
naming the parameter), as the invitation figures' query."""

from __future__ import annotations

from core.period_query import DEFAULT_PERIOD_DAYS, PeriodQuery

__all__ = ["CARE_FIGURE_GROUPS", "DEFAULT_PERIOD_DAYS", "CareFigureQuery"]

CARE_FIGURE_GROUPS = ("product", "category", "month")


class CareFigureQuery(PeriodQuery):
    GROUPS = CARE_FIGURE_GROUPS
