"""core.db_unavailable.until_the_database_answers: what it retries, and when it gives up."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, OperationalError

from core.db_unavailable import DATABASE_WAIT_PAUSES, until_the_database_answers


class Flaky:
    """Fails with ``error`` ``times`` times, then answers "done"."""

    def __init__(self, error: Exception, times: int) -> None:
        self.error, self.left, self.calls = error, times, 0

    def __call__(self) -> str:
        self.calls += 1
        if self.left:
            self.left -= 1
            raise self.error
        return "done"


def test_a_restart_is_waited_out_with_growing_pauses() -> None:
    pauses: list[float] = []
    call = Flaky(OperationalError("the database system is starting up"), times=3)
    assert until_the_database_answers(call, within=60, what="a test", pause=pauses.append) == "done"
    assert call.calls == 4
    assert pauses == list(DATABASE_WAIT_PAUSES[:3])


def test_it_gives_up_once_the_next_pause_would_pass_its_patience() -> None:
    pauses: list[float] = []
    call = Flaky(OperationalError("connection refused"), times=100)
    with pytest.raises(OperationalError):
        until_the_database_answers(call, within=4, what="a test", pause=pauses.append)
    assert pauses == [0.5, 1.0, 2.0]  # 3.5 s waited: a further 4 s would pass 4
    assert call.calls == 4


def test_it_gives_up_after_its_last_pause_whatever_its_patience() -> None:
    pauses: list[float] = []
    call = Flaky(OperationalError("connection refused"), times=100)
    with pytest.raises(OperationalError):
        until_the_database_answers(call, within=10_000, what="a test", pause=pauses.append)
    assert pauses == list(DATABASE_WAIT_PAUSES)


def test_any_other_error_is_raised_at_once() -> None:
    pauses: list[float] = []
    call = Flaky(IntegrityError("duplicate key"), times=1)
    with pytest.raises(IntegrityError):
        until_the_database_answers(call, within=60, what="a test", pause=pauses.append)
    assert (call.calls, pauses) == (1, [])


@pytest.mark.django_db
def test_inside_a_transaction_the_first_error_is_raised() -> None:
    # The suite's test runs inside a transaction: a broken connection there cannot be replaced.
    pauses: list[float] = []
    call = Flaky(OperationalError("connection refused"), times=1)
    with pytest.raises(OperationalError):
        until_the_database_answers(call, within=60, what="a test", pause=pauses.append)
    assert (call.calls, pauses) == (1, [])
