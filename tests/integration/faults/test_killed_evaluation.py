"""Issue 14, item 1 (evaluation half): a worker killed (SIGKILL) in the middle of a day's
evaluation loses nothing and repeats nothing.

A real Celery worker (prefork, as deployed) runs ``gate.tasks.gate_evaluate_task`` from a
private Redis over five months of imported history. It is killed while a day's transaction
holds freshly written events; a new worker then picks the task up again (the Redis message
was never acknowledged). Afterwards the stored events equal ``gate_backtest``'s for the same
data, event for event; each product's state is what those events leave; every day was
committed exactly once; every notice exists once per event and recipient, and was sent once.
"""

from __future__ import annotations

import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from accounts.roles import QUALITY_DIRECTOR
from gate.models import GateClock, GateEvent, WithdrawalNotice
from gate.policy import GatePolicy
from notifications.models import OutboxMessage
from products.models import Product
from tests.factories import user_create
from tests.integration.gate.helpers import backtest_lines, exported_lines, import_history, parsed, write_scenario

from .checks import assert_each_day_once, assert_notices_sent_once, days_committed
from .conftest import policy_env
from .processes import RedisServer, celery_worker_start, child_env, freeze, kill_hard, process_stop, thaw, wait_until
from .report import figures_write

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

HISTORY_DAYS = 150
SLOW_EVENT_SECONDS = 0.05  # inside each day's transaction, so the kill lands mid-day


def _day_in_flight() -> tuple[Any, int] | None:
    """(last committed day, committed events) if another backend sits idle in a transaction
    holding uncommitted event rows (RowExclusiveLock on gate_gateevent): a day half-way,
    waiting for its frozen worker. One statement, one snapshot."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT (SELECT last_evaluated_day FROM gate_gateclock WHERE id = 1),
                   (SELECT count(*) FROM gate_gateevent)
            WHERE EXISTS (
                SELECT 1 FROM pg_locks l
                JOIN pg_class c ON c.oid = l.relation
                JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE c.relname = 'gate_gateevent' AND l.mode = 'RowExclusiveLock' AND l.granted
                  AND a.state = 'idle in transaction' AND l.pid <> pg_backend_pid())
            """
        )
        row = cursor.fetchone()
    return (row[0], row[1]) if row and row[0] is not None else None


def _kill_mid_day(worker: subprocess.Popen[bytes]) -> tuple[Any, int]:
    """Freeze the worker until it is caught half-way through a day, then SIGKILL it there.
    Frozen, it cannot commit: what the database shows at that instant is what it dies with."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        freeze(worker)
        time.sleep(0.05)  # a statement already sent finishes; nothing new is sent
        point = _day_in_flight()
        if point is not None:
            kill_hard(worker)
            return point
        thaw(worker)
        time.sleep(0.03)
    raise AssertionError("the worker was never caught half-way through a day")


def expected_states(events: list[dict[str, Any]], skus: list[str]) -> dict[str, tuple[str, str | None]]:
    """Each product's (state, flagged_on) after ``events``, replayed independently of the
    engine: the last event decides."""
    after = {"flagged": "flagged", "withdrawn": "withdrawn", "recovered": "active", "improved": "active"}
    after["reinstated"] = "active"
    states: dict[str, tuple[str, str | None]] = {sku: ("active", None) for sku in skus}
    for event in events:
        kind = event["event"]
        flagged_on = event["day"] if kind == "flagged" else states[event["product_id"]][1]
        states[event["product_id"]] = (after[kind], flagged_on if after[kind] != "active" else None)
    return {sku: (state, on if state == "flagged" else None) for sku, (state, on) in states.items()}


def _assert_events_and_states(expected: list[str]) -> None:
    """Events exactly the backtest's, in order; states what they leave; a notice per flag."""
    assert exported_lines() == expected
    events = parsed(expected)
    skus = list(Product.objects.values_list("sku", flat=True))
    stored = {
        sku: (state, on.isoformat() if on and state == "flagged" else None)
        for sku, state, on in Product.objects.values_list("sku", "gate_state", "flagged_on")
    }
    assert stored == expected_states(events, skus)
    assert WithdrawalNotice.objects.count() == sum(1 for e in events if e["event"] == "flagged")


def test_worker_killed_mid_day_gives_the_backtest_events_once(
    tmp_path: Path, fault_policy: GatePolicy, redis_server: RedisServer, broker: Celery
) -> None:
    started = time.monotonic()
    yesterday = fault_policy.day_of(timezone.now()) - timedelta(days=1)
    # The history ends the day before yesterday: some of its rows are written as UTC times
    # near midnight, a last day's past midnight in Paris, and just after midnight yesterday's
    # would lie in the future (refused by the import). Yesterday is evaluated, empty.
    scenario = write_scenario(tmp_path, first_day=yesterday - timedelta(days=HISTORY_DAYS), days=HISTORY_DAYS)
    expected = backtest_lines(scenario, fault_policy, to_day=yesterday)
    import_history(scenario.reviews, scenario.improvements)
    user_create(QUALITY_DIRECTOR)
    day_log, email_dir, worker_log = tmp_path / "days.log", tmp_path / "emails", tmp_path / "worker.log"
    env = child_env(
        broker_url=redis_server.url,
        extra={
            **policy_env(notify_days=HISTORY_DAYS + 1),
            "FAULTS_DAY_LOG": str(day_log),
            "FAULTS_EMAIL_DIR": str(email_dir),
            "FAULTS_SLOW_EVENT_SECONDS": str(SLOW_EVENT_SECONDS),
        },
    )

    # 1. The nightly run, killed once a third of the events are in and a day is half-way.
    worker = celery_worker_start(env, log_path=worker_log)
    broker.send_task("gate.tasks.gate_evaluate_task")
    try:
        wait_until(lambda: GateEvent.objects.count() >= len(expected) // 3, timeout=120, what="a third of the events")
        committed_day, committed_events = _kill_mid_day(worker)
    finally:
        kill_hard(worker)
    killed_at = time.monotonic() - started
    # The day in flight rolled back with the killed connection: the clock did not move.
    assert GateClock.objects.get().last_evaluated_day == committed_day
    assert GateEvent.objects.count() == committed_events < len(expected)

    # 2. A new worker; Redis hands it the unacknowledged task once its visibility timeout
    #    passes (production: an hour, and the next nightly run anyway).
    restarted = time.monotonic()
    worker = celery_worker_start({**env, "FAULTS_VISIBILITY_TIMEOUT": "3"}, log_path=worker_log)
    try:
        wait_until(
            lambda: GateClock.objects.get().last_evaluated_day == yesterday,
            timeout=180,
            what=f"the restarted worker to evaluate through {yesterday} (log: {worker_log})",
        )
        wait_until(
            lambda: not OutboxMessage.objects.exclude(status="sent").exists(),
            timeout=120,
            what="every notice to be sent",
        )
    finally:
        process_stop(worker)
    finished = time.monotonic()

    events = parsed(expected)
    _assert_events_and_states(expected)
    logged = assert_each_day_once(day_log, first_day=scenario.first_day, last_day=yesterday)
    assert len(days_committed(day_log)[1]) == 2  # the killed worker's process, then the new one's
    notices, emails_sent = assert_notices_sent_once(email_dir, notify_days=HISTORY_DAYS + 1, recipients=1)

    figures_write(
        "gate_faults_killed_worker",
        {
            "days evaluated": len(logged),
            "days committed twice": sum(1 for n in logged.values() if n > 1),
            "events expected (gate_backtest)": len(events),
            "events committed before the kill": committed_events,
            "events stored after restart": GateEvent.objects.count(),
            "events differing from the backtest": 0,
            "notices (outbox rows) / duplicates": f"{notices} / 0",
            "emails sent / sent twice": f"{emails_sent} / 0",
            "killed after (s)": round(killed_at, 1),
            "restart to done (s)": round(finished - restarted, 1),
            "test duration (s)": round(time.monotonic() - started, 1),
        },
    )
