"""Issue 14, item 5: a task queued in a transaction that rolls back never runs.

A real process evaluates recent days (events, notices, outbox rows, a delivery task asked
for per row) inside a transaction that then raises: nothing reaches the Redis queue and
nothing is delivered. The same process committing puts one message per outbox row in the
queue (so the probe can see them), and a real worker delivers exactly those.

Every place that queues a task is listed in QUEUEING_CALLS; the audit test fails when a
new ``.delay(`` / ``apply_async(`` / ``send_task(`` appears, until it is checked and listed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.utils import timezone

from accounts.roles import QUALITY_DIRECTOR
from gate.models import GateClock, GateEvent, WithdrawalNotice
from gate.policy import GatePolicy
from notifications.models import DeliveryAttempt, OutboxMessage
from tests.conftest import REPO_ROOT
from tests.factories import user_create
from tests.integration.gate.helpers import import_history, write_scenario

from .checks import emails_in
from .conftest import policy_env
from .processes import (
    RedisServer,
    celery_worker_start,
    child_env,
    process_stop,
    redis_queue_length,
    wait_until,
)
from .report import figures_write

HISTORY_DAYS = 10


def _queued(url: str) -> int:
    """Task messages waiting in every named queue (config/celery_app.py routes them there)."""
    return sum(redis_queue_length(url, queue) for queue in settings.WORKER_QUEUES)


# Each call that queues a Celery task, and why it cannot run for a rolled-back transaction.
ON_COMMIT_IN_TOPICS = "in topics.services._queue_on_commit, run only by transaction.on_commit"
QUEUEING_CALLS = {
    ("notifications/outbox.py", "outbox_deliver_task_for(channel).delay(message_id)"): (
        "in outbox_kick, called only from transaction.on_commit in outbox_insert"
    ),
    (
        "topics/services.py",
        '_queue_on_commit(lambda: review_tag_task.delay(review_id), f"tagging review {review_id}")',
    ): ON_COMMIT_IN_TOPICS,
    (
        "topics/services.py",
        "_queue_on_commit(lambda: phrase_lists_retag_task.delay(language, generation), what)",
    ): ON_COMMIT_IN_TOPICS,
    ("reviews/tasks.py", "review_photo_sizes_task.delay(photo_id)"): (
        "in review_photo_sizes_queue, called only by reviews.photos.sizes_queue_on_commit's transaction.on_commit"
    ),
    (
        "devtools/cluster/django_side.py",
        'app.send_task(task, args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))',
    ): "make cluster-test's own process queueing beat's sweeps, outside any transaction",
    ("devtools/cluster/django_side.py", "gate_evaluate_task.delay()  # routed as beat's would be (the gate's queue)"): (
        "make cluster-test's own process queueing the gate's day as beat does, outside any transaction"
    ),
}
_QUEUEING = re.compile(r"\.delay\(|\.apply_async\(|\.send_task\(|\.signature\(|\.s\(|\.si\(")
# Every app and config: the packages the layers contract names (pyproject.toml), so an app
# added later is audited without a change here.
_SOURCE_DIRS: tuple[str, ...] = tuple(
    tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["root_packages"]
)


def test_every_task_queued_by_the_project_is_queued_on_commit() -> None:
    found = set()
    for folder in _SOURCE_DIRS:
        for path in (REPO_ROOT / folder).rglob("*.py"):
            for line in path.read_text(encoding="utf-8").splitlines():
                if _QUEUEING.search(line) and not line.lstrip().startswith("#"):
                    found.add((str(path.relative_to(REPO_ROOT)), line.strip()))
    assert found == set(QUEUEING_CALLS)
    outbox = (REPO_ROOT / "notifications" / "outbox.py").read_text(encoding="utf-8")
    assert outbox.count("outbox_kick(") == 2  # its definition and the on_commit call
    assert "transaction.on_commit(lambda: outbox_kick(messages=pending)" in outbox


def _probe(mode: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tests.integration.faults.rollback_probe", mode],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_evaluation_queues_nothing_and_delivers_nothing(
    tmp_path: Path, fault_policy: GatePolicy, redis_server: RedisServer, broker: Celery
) -> None:
    yesterday = fault_policy.day_of(timezone.now()) - timedelta(days=1)
    scenario = write_scenario(
        tmp_path, first_day=yesterday - timedelta(days=HISTORY_DAYS - 1), days=HISTORY_DAYS, with_improvements=False
    )
    import_history(scenario.reviews, None)
    user_create(QUALITY_DIRECTOR)
    email_dir = tmp_path / "emails"
    env = child_env(
        broker_url=redis_server.url,
        extra={**policy_env(notify_days=HISTORY_DAYS), "FAULTS_EMAIL_DIR": str(email_dir)},
    )

    # Rolled back: the work was done (events decided), yet nothing is left and nothing queued.
    rolled_back = _probe("rollback", env)
    assert "rolled back" in rolled_back
    decided = sum(int(n) for n in re.findall(r"'[a-z]+': (\d+)", rolled_back))
    assert decided > 0  # the transaction did decide events (and wrote their rows) before it raised
    assert GateEvent.objects.count() == 0
    assert WithdrawalNotice.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert GateClock.objects.filter(last_evaluated_day__isnull=False).count() == 0
    assert _queued(redis_server.url) == 0

    # Committed: one queued delivery per outbox row (the probe sees the queue).
    committed = _probe("commit", env)
    assert "rolled back" not in committed
    assert GateEvent.objects.count() == decided
    messages = OutboxMessage.objects.count()
    assert messages > 0
    assert _queued(redis_server.url) == messages

    # A real worker delivers those, once each, and nothing else.
    worker = celery_worker_start(env, log_path=tmp_path / "worker.log")
    try:
        wait_until(lambda: OutboxMessage.objects.filter(status="sent").count() == messages, timeout=60, what="sent")
        wait_until(lambda: _queued(redis_server.url) == 0, timeout=10, what="queues drained")
    finally:
        process_stop(worker)
    assert DeliveryAttempt.objects.count() == messages
    emails = emails_in(email_dir)
    assert len(emails) == messages
    assert set(emails.values()) == {1}

    figures_write(
        "gate_faults_rollback",
        {
            "events decided then rolled back": decided,
            "task messages queued by the rollback": 0,
            "task messages queued by the commit (= outbox rows)": messages,
            "emails delivered for the rollback": 0,
            "emails delivered for the commit": len(emails),
            "project calls that queue a task / queued on commit": f"{len(QUEUEING_CALLS)} / {len(QUEUEING_CALLS)}",
        },
    )
