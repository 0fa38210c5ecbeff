"""The query of GET /api/v1/invitation-figures/ (core.period_query: strict, a bad value is a
400 naming the parameter)."""

from __future__ import annotations

from core.period_query import DEFAULT_PERIOD_DAYS, PeriodQuery
from desk.selectors.invitations import INVITATION_GROUPS

__all__ = ["DEFAULT_PERIOD_DAYS", "InvitationFigureQuery"]


class InvitationFigureQuery(PeriodQuery):
    GROUPS = tuple(INVITATION_GROUPS)
