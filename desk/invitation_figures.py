"""The invitation loop's figures, defined once (the desk's key figures, its CSV, its product
page and ``GET /api/v1/invitation-figures/`` all use these):

* **invitations sent** (``invited``): a product is invited once per order line listed in an
  invitation (``orders.Invitation`` of kind ``invitation``) sent in the period. One email
  about three products is three invitations, one per product. Reminders are not new
  invitations;
* **reminders sent**: counted apart, once per order line listed in a reminder sent in the
  period;
* **links opened**: those invited lines whose link was opened (``OrderLine.link_opened_at``),
  whenever it was;
* **reviews written**: those invited lines that produced a review (``OrderLine.reviewed_at``:
  a review written through the link, or a verified account review that marked the line),
  whenever it was;
* **response rate**: reviews written / invitations sent, in percent, one decimal (rounded
  half to even); undefined (``None``, shown as a dash, empty in the CSV) when nothing was
  invited;
* **month**: the month, in ``TIME_ZONE``, in which the invitation (or the reminder) was
  sent. Opened links and written reviews count in their invitation's month and period (a
  cohort), so a response rate never passes 100%;
* **verified share**: the desk's share of verified purchases among the counted reviews
  published in the period (``desk.kpis.KpiRow.verified_share``; its definition is kept).

A product with several managers counts in each manager's row, once in the total, as the
other key figures do. Pure: the desk's selectors (``desk.selectors.invitations``) sum the
lines in the database, grouped per product (and month), and hand over these tallies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

__all__ = ["InvitationCounts", "InvitationTally"]


@dataclass(frozen=True)
class InvitationTally:
    """The invitation figures of one product in one bucket of the period: a month when
    the figures are per month, else the whole period."""

    product_id: int
    day: date  # the first day of the bucket inside the period, as desk.kpis.ReviewTally's
    invited: int
    opened: int
    written: int
    reminders: int


@dataclass
class InvitationCounts:
    """The invitation figures of a group (a product, category, manager or month)."""

    invited: int = 0
    opened: int = 0
    written: int = 0
    reminders: int = 0

    def add(self, tally: InvitationTally) -> None:
        self.invited += tally.invited
        self.opened += tally.opened
        self.written += tally.written
        self.reminders += tally.reminders

    @property
    def response_rate(self) -> Decimal | None:
        """Reviews written per invitation sent, in percent; None when nothing was invited."""
        if not self.invited:
            return None
        return (Decimal(100 * self.written) / Decimal(self.invited)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)

    @property
    def is_empty(self) -> bool:
        return not (self.invited or self.reminders)
