"""The cluster test's verdicts (devtools/cluster/checks.py): the recount comparison, the
outbox's sent-once check and the receiver's de-duplication by event id."""

from __future__ import annotations

import pytest

from devtools.cluster.checks import (
    Figures,
    OutboxRow,
    Verdicts,
    figure_mismatches,
    outbox_problems,
    repeated_event_ids,
    unseen_event_ids,
)


def test_figures_equal_to_the_recount_are_no_problem():
    assert figure_mismatches({"A": Figures(3, 12), "B": Figures(0, 0)}, {"A": Figures(3, 12)}) == []


@pytest.mark.parametrize(
    ("stored", "recounted", "problem"),
    [
        ({"A": Figures(3, 12)}, {"A": Figures(4, 12)}, "A: stored count 3 sum 12, recount 4 sum 12"),
        ({"A": Figures(3, 12)}, {"A": Figures(3, 13)}, "A: stored count 3 sum 12, recount 3 sum 13"),
        # A product whose reviews all stopped counting must show zero.
        ({"A": Figures(1, 5)}, {}, "A: stored count 1 sum 5, recount 0 sum 0"),
        ({}, {"Z": Figures(1, 5)}, "Z: reviews counted but no product row"),
    ],
)
def test_every_figure_that_drifted_is_named(stored, recounted, problem):
    assert figure_mismatches(stored, recounted) == [problem]


def _row(key: str, status: str = "sent", channel: str = "webhook", event_id: str | None = "1") -> OutboxRow:
    return OutboxRow(dedupe_key=key, channel=channel, status=status, event_id=event_id)


def test_outbox_all_sent_once_is_no_problem():
    assert outbox_problems([_row("webhook:1:1"), _row("email:1:7", channel="email", event_id=None)]) == []


def test_outbox_message_left_pending_or_failed_is_a_problem():
    problems = outbox_problems([_row("webhook:1:1", status="pending"), _row("email:2:7", status="failed")])
    assert problems == ["webhook:1:1: pending", "email:2:7: failed"]


def test_outbox_message_delivered_twice_or_never_is_a_problem():
    twice = OutboxRow("webhook:1:1", "webhook", "sent", "1", succeeded_attempts=2)
    never = OutboxRow("email:2:7", "email", "sent", None, succeeded_attempts=0)
    assert outbox_problems([twice, never]) == [
        "webhook:1:1: 2 successful attempts",
        "email:2:7: 0 successful attempts",
    ]


def test_outbox_key_twice_is_a_problem():
    assert outbox_problems([_row("webhook:1:1"), _row("webhook:1:1")]) == ["webhook:1:1: 2 rows"]


def test_receiver_deduplicates_by_event_id():
    rows = [_row("webhook:1:1", event_id="1"), _row("webhook:2:1", event_id="2")]
    # Event 1 delivered twice (at least once), event 2 once: every event seen.
    assert unseen_event_ids(rows, ["1", "2", "1"]) == []
    assert repeated_event_ids(["1", "2", "1"]) == {"1": 2}


def test_an_event_never_received_is_named():
    rows = [
        _row("webhook:1:1", event_id="1"),
        _row("webhook:10:1", event_id="10"),
        _row("e", channel="email", event_id=None),
    ]
    assert unseen_event_ids(rows, ["1"]) == ["10"]


def test_verdicts_remember_the_failed_checks():
    verdicts = Verdicts()
    assert verdicts.check("one", True)
    assert not verdicts.check("two", False, "why")
    assert verdicts.failed == ["two"]
