"""core.db_unavailable.until_the_database_answers: what it retries, and when it gives up."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, OperationalError

from core.db_unavailable import DATABASE_WAIT_PAUSES, until_the_database_answers


class Clock:
    """A monotonic clock that the pauses (and each try, by ``try_seconds``) move on."""

    def __init__(self, try_seconds: float = 0.0) -> None:
        self.now, self.try_seconds, self.pauses = 100.0, try_seconds, list[float]()

    def __call__(self) -> float:
        return self.now

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


class Flaky:
    """Fails with ``error`` ``times`` times, then answers "done"; each try takes the
    clock's ``try_seconds`` (a connection attempt that times out)."""

    def __init__(self, error: Exception, times: int, clock: Clock) -> None:
        self.error, self.left, self.calls, self.clock = error, times, 0, clock

    def __call__(self) -> str:
        self.calls += 1
        self.clock.now += self.clock.try_seconds
        if self.left:
            self.left -= 1
            raise self.error
        return "done"


def wait(call: Flaky, clock: Clock, *, within: float) -> str:
    return until_the_database_answers(call, deadline=clock.now + within, what="a test", pause=clock.pause, clock=clock)


def test_a_restart_is_waited_out_with_growing_pauses() -> None:
    clock = Clock()
    call = Flaky(OperationalError("the database system is starting up"), times=3, clock=clock)
    assert wait(call, clock, within=60) == "done"
    assert call.calls == 4
    assert clock.pauses == list(DATABASE_WAIT_PAUSES[:3])


def test_it_gives_up_rather_than_pause_past_its_deadline() -> None:
    clock = Clock()
    call = Flaky(OperationalError("connection refused"), times=100, clock=clock)
    with pytest.raises(OperationalError):
        wait(call, clock, within=4)
    assert clock.pauses == [0.5, 1.0, 2.0]  # 3.5 s waited: a further 4 s would pass 4
    assert call.calls == 4


def test_the_tries_own_time_counts_against_the_deadline() -> None:
    # Each try a connection attempt that times out after 3 s: 10 s allow two pauses, not five.
    clock = Clock(try_seconds=3.0)
    call = Flaky(OperationalError("connection timeout expired"), times=100, clock=clock)
    with pytest.raises(OperationalError):
        wait(call, clock, within=10)
    assert clock.pauses == [0.5, 1.0]
    assert clock.now - 100.0 == 3 * 3.0 + 1.5


def test_it_gives_up_after_its_last_pause_whatever_its_deadline() -> None:
    clock = Clock()
    call = Flaky(OperationalError("connection refused"), times=100, clock=clock)
    with pytest.raises(OperationalError):
        wait(call, clock, within=10_000)
    assert clock.pauses == list(DATABASE_WAIT_PAUSES)


def test_any_other_error_is_raised_at_once() -> None:
    clock = Clock()
    call = Flaky(IntegrityError("duplicate key"), times=1, clock=clock)
    with pytest.raises(IntegrityError):
        wait(call, clock, within=60)
    assert (call.calls, clock.pauses) == (1, [])


@pytest.mark.django_db
def test_inside_a_transaction_the_first_error_is_raised() -> None:
    # The suite's test runs inside a transaction: a broken connection there cannot be replaced.
    clock = Clock()
    call = Flaky(OperationalError("connection refused"), times=1, clock=clock)
    with pytest.raises(OperationalError):
        wait(call, clock, within=60)
    assert (call.calls, clock.pauses) == (1, [])
