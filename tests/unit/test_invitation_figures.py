"""The invitation figures' arithmetic (desk.invitation_figures), without a database."""

from __future__ import annotations

from datetime import date

import pytest

from desk.invitation_figures import InvitationCounts, InvitationTally


@pytest.mark.parametrize(
    ("invited", "written", "rate"),
    [(0, 0, None), (3, 1, "33.3"), (3, 2, "66.7"), (8, 1, "12.5"), (1000, 1, "0.1"), (2000, 1, "0.0"), (4, 4, "100.0")],
)
def test_the_response_rate_is_written_per_invited_in_percent(invited: int, written: int, rate: str | None) -> None:
    counts = InvitationCounts(invited=invited, written=written)
    assert (None if counts.response_rate is None else str(counts.response_rate)) == rate


def test_tallies_add_up_and_reminders_are_not_invitations() -> None:
    counts = InvitationCounts()
    counts.add(InvitationTally(1, date(2026, 3, 1), invited=2, opened=1, written=1, reminders=1))
    counts.add(InvitationTally(2, date(2026, 3, 1), invited=0, opened=0, written=0, reminders=3))
    assert counts == InvitationCounts(invited=2, opened=1, written=1, reminders=4)
    assert str(counts.response_rate) == "50.0" and not counts.is_empty
    assert InvitationCounts().is_empty and not InvitationCounts(reminders=1).is_empty
