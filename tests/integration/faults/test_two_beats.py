"""Issue 14, item 2: two beat schedulers running at once evaluate each day once and send
each message once.

Two real ``celery beat`` processes (each with its own schedule file, as two hosts that both
believe they are the scheduler) send the gate run and the outbox sweeps every two seconds
and the deadline reminders (CELERY_BEAT_FAST_SCHEDULE_SECONDS, config/celery_app.py) to one prefork worker with two
processes, so gate runs and sweeps really overlap, for at least 15 seconds. Days are
serialised by the gate clock's row lock; messages by the outbox's claim.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.utils import timezone

from accounts.roles import QUALITY_DIRECTOR
from gate.models import GateClock, GateEvent
from gate.policy import GatePolicy
from notifications.models import OutboxMessage
from tests.conftest import REPO_ROOT
from tests.factories import user_create
from tests.integration.gate.helpers import backtest_lines, exported_lines, import_history, write_scenario

from .checks import assert_each_day_once, assert_notices_sent_once
from .conftest import FAULT_POLICY, policy_env
from .processes import RedisServer, celery_beat_start, celery_worker_start, child_env, process_stop, wait_until
from .report import figures_write

HISTORY_DAYS = 60
DIRECTORS = 3
TICK_SECONDS = 2
RUN_SECONDS = 15
GATE_RUN = re.compile(r"gate\.tasks\.gate_evaluate_task\[[^\]]+\] succeeded in [\d.]+s: .*'days': (\d+)")
SENT_BY_BEAT = "Sending due task {entry} "


def _beat_sends(log: Path, entry: str) -> int:
    return log.read_text(errors="replace").count(SENT_BY_BEAT.format(entry=entry))


def _reminder_due_today(reviews: Path, *, flagged_on: date) -> None:
    """One more product, flagged the day before yesterday and still flagged: its deadline
    (grace 3 days) is tomorrow, so its 1-day reminder is due today, for every beat's run."""
    with reviews.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for n in range(FAULT_POLICY.min_reviews):
            writer.writerow([f"remind-{n}", "REMIND-1", 1, f"{flagged_on.isoformat()}T12:00:00", "Broke", "someone"])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_beats_evaluate_each_day_once_and_send_each_message_once(
    tmp_path: Path, fault_policy: GatePolicy, redis_server: RedisServer, broker: Celery
) -> None:
    yesterday = fault_policy.day_of(timezone.now()) - timedelta(days=1)
    scenario = write_scenario(
        tmp_path, first_day=yesterday - timedelta(days=HISTORY_DAYS - 1), days=HISTORY_DAYS, with_improvements=False
    )
    _reminder_due_today(scenario.reviews, flagged_on=yesterday - timedelta(days=1))
    expected = backtest_lines(scenario, fault_policy, to_day=yesterday)
    import_history(scenario.reviews, None)
    for _ in range(DIRECTORS):
        user_create(QUALITY_DIRECTOR)
    day_log, email_dir, worker_log = tmp_path / "days.log", tmp_path / "emails", tmp_path / "worker.log"
    env = child_env(
        broker_url=redis_server.url,
        extra={
            **policy_env(notify_days=HISTORY_DAYS),
            "CELERY_BEAT_FAST_SCHEDULE_SECONDS": str(TICK_SECONDS),
            "FAULTS_DAY_LOG": str(day_log),
            "FAULTS_EMAIL_DIR": str(email_dir),
            "FAULTS_SLOW_EVENT_SECONDS": "0.05",
        },
    )
    beat_logs = [tmp_path / "beat-a.log", tmp_path / "beat-b.log"]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(celery_worker_start(env, log_path=worker_log, concurrency=2))
        started = time.monotonic()
        for log in beat_logs:
            processes.append(celery_beat_start(env, log_path=log, schedule_path=log.with_suffix(".schedule")))
        wait_until(
            lambda: GateClock.objects.filter(last_evaluated_day=yesterday).exists(),
            timeout=120,
            what=f"the gate to be evaluated through {yesterday}",
        )
        wait_until(lambda: time.monotonic() - started >= RUN_SECONDS, timeout=RUN_SECONDS + 1, what="the run")
        wait_until(
            lambda: not OutboxMessage.objects.exclude(status="sent").exists(), timeout=60, what="every message sent"
        )
    finally:
        for process in reversed(processes):
            process_stop(process)  # beats first, then the worker finishes what it holds
    ran_for = time.monotonic() - started

    assert exported_lines() == expected
    logged = assert_each_day_once(day_log, first_day=scenario.first_day, last_day=yesterday)
    messages, emails = assert_notices_sent_once(email_dir, notify_days=HISTORY_DAYS, recipients=DIRECTORS)
    # Both schedulers did send, over and over, and the worker ran what they sent.
    gate_sends = [_beat_sends(log, "gate-evaluate-daily") for log in beat_logs]
    # Each channel's sweep: the email sweep delivers the notices, the webhook sweep finds none.
    sweep_sends = [
        min(_beat_sends(log, "outbox-email-sweep"), _beat_sends(log, "outbox-webhook-sweep")) for log in beat_logs
    ]
    reminder_sends = [_beat_sends(log, "notice-reminders-daily") for log in beat_logs]
    assert min(gate_sends) >= 3
    assert min(sweep_sends) >= 3
    assert min(reminder_sends) >= 3
    assert OutboxMessage.objects.filter(kind="reminder").count() == DIRECTORS  # one notice, its reminder once each
    runs = [int(days) for days in GATE_RUN.findall(worker_log.read_text(errors="replace"))]
    # The runs' own counts agree with the day log: no day in two runs.
    assert sum(runs) == len(logged)
    # The race happened: more than one run evaluated days (the clock lock took them in turn).
    assert sum(1 for days in runs if days) >= 2

    figures_write(
        "gate_faults_two_beats",
        {
            "run (s)": round(ran_for, 1),
            "gate runs sent by beat A / B": " / ".join(map(str, gate_sends)),
            "outbox sweeps sent by beat A / B": " / ".join(map(str, sweep_sends)),
            "reminder runs sent by beat A / B": " / ".join(map(str, reminder_sends)),
            "reminders written (in the messages below)": OutboxMessage.objects.filter(kind="reminder").count(),
            "gate runs executed before the stop": len(runs),
            "gate runs that evaluated days": sum(1 for days in runs if days),
            "days evaluated / evaluated twice": f"{len(logged)} / 0",
            "events (equal to gate_backtest)": GateEvent.objects.count(),
            "messages / sent twice": f"{messages} / 0",
            "emails written / twice": f"{emails} / 0",
        },
    )


def test_the_fast_schedule_exists_only_when_asked_for() -> None:
    """CELERY_BEAT_FAST_SCHEDULE_SECONDS (tests only) speeds every entry up; unset, the
    schedule is production's: nightly gate run, morning reminders, sweep every minute."""
    probe = (
        "from config.celery_app import app; print({k: str(v['schedule']) for k, v in app.conf.beat_schedule.items()})"
    )

    def schedule(extra: dict[str, str]) -> str:
        env = {k: v for k, v in os.environ.items() if k != "CELERY_BEAT_FAST_SCHEDULE_SECONDS"} | extra
        done = subprocess.run([sys.executable, "-c", probe], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert schedule({}) == (
        "{'gate-evaluate-daily': '<crontab: 10 0 * * * (m/h/dM/MY/d)>', "
        "'notice-reminders-daily': '<crontab: 0 8 * * * (m/h/dM/MY/d)>', 'outbox-email-sweep': '60.0', "
        "'outbox-webhook-sweep': '60.0', "
        "'invitations-sweep': '300.0', 'orders-anonymise-daily': '<crontab: 30 3 * * * (m/h/dM/MY/d)>', "
        "'care-digest-daily': '<crontab: 0 8 * * * (m/h/dM/MY/d)>', 'review-photo-sizes-sweep': '300.0', "
        "'review-photos-expired-delete-daily': '<crontab: 10 4 * * * (m/h/dM/MY/d)>', "
        "'topics-digest-daily': '<crontab: 0 8 * * * (m/h/dM/MY/d)>'}"
    )
    assert schedule({"CELERY_BEAT_FAST_SCHEDULE_SECONDS": "2"}) == (
        "{'gate-evaluate-daily': '2.0', 'notice-reminders-daily': '2.0', 'outbox-email-sweep': '2.0', "
        "'outbox-webhook-sweep': '2.0', "
        "'invitations-sweep': '2.0', 'orders-anonymise-daily': '2.0', 'care-digest-daily': '2.0', "
        "'review-photo-sizes-sweep': '2.0', 'review-photos-expired-delete-daily': '2.0', 'topics-digest-daily': '2.0'}"
    )
