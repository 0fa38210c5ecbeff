"""Issue 15, item 7: a repeated sweep sends nothing twice, with a real worker on Redis.

One prefork worker with two processes takes the invitation sweep task several times at
once (as beat does when a sweep outlasts its interval, or two beats run), then again once
everything is delivered: the due order gets exactly one Invitation, one outbox row and
one email, sent to the customer's address. Concurrent sweeps decide one customer in turn
(the customer's row lock); the unique Invitation per order and kind is the backstop.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery import Celery
from django.utils import timezone

from notifications.models import OutboxMessage
from orders.models import Invitation
from tests.conftest import REPO_ROOT
from tests.factories import product_create
from tests.orders_factories import order_create

from .checks import emails_in
from .processes import RedisServer, celery_worker_start, child_env, process_stop, wait_until
from .report import figures_write

SWEEP_TASK = "orders.tasks.invitations_sweep_task"
SWEEPS_AT_ONCE = 4
SWEEP_DONE = re.compile(r"orders\.tasks\.invitations_sweep_task\[[^\]]+\] succeeded in [\d.]+s: (\d+)")
# The worker's settings: the fault tests' own, with the site's address for the links.
WORKER_SETTINGS = """\
from tests.integration.faults.worker_settings import *  # noqa: F403

SITE_URL = "https://shop.example"
"""


def _sweeps_done(log: Path) -> list[int]:
    return [int(written) for written in SWEEP_DONE.findall(log.read_text(errors="replace"))]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_repeated_and_concurrent_sweeps_send_one_invitation(
    tmp_path: Path, redis_server: RedisServer, broker: Celery
) -> None:
    started = time.monotonic()
    delivered_at = timezone.now() - timedelta(days=8)
    order = order_create(
        products=[product_create(), product_create()],
        email="buyer@example.com",
        purchased_at=delivered_at - timedelta(days=1),
        delivered_at=delivered_at,
    )
    (tmp_path / "sweep_worker_settings.py").write_text(WORKER_SETTINGS)
    email_dir, worker_log = tmp_path / "emails", tmp_path / "worker.log"
    env = child_env(
        broker_url=redis_server.url,
        extra={
            "FAULTS_EMAIL_DIR": str(email_dir),
            "DJANGO_SETTINGS_MODULE": "sweep_worker_settings",
            "PYTHONPATH": f"{REPO_ROOT}:{tmp_path}",
        },
    )
    worker = celery_worker_start(env, log_path=worker_log, concurrency=2)
    try:
        for _ in range(SWEEPS_AT_ONCE):
            broker.send_task(SWEEP_TASK)
        wait_until(lambda: len(_sweeps_done(worker_log)) == SWEEPS_AT_ONCE, timeout=30, what="the sweeps")
        wait_until(lambda: OutboxMessage.objects.filter(status="sent").exists(), timeout=30, what="the invitation sent")
        # Once it is out: sweeps again, the restarted sweep of a new day.
        for _ in range(2):
            broker.send_task(SWEEP_TASK)
        wait_until(lambda: len(_sweeps_done(worker_log)) == SWEEPS_AT_ONCE + 2, timeout=30, what="the repeats")
    finally:
        process_stop(worker)

    assert sorted(_sweeps_done(worker_log)) == [0] * (SWEEPS_AT_ONCE + 1) + [1]
    invitation = Invitation.objects.get()
    assert (invitation.order_id, invitation.kind, invitation.lines.count()) == (order.pk, "invitation", 2)
    message = OutboxMessage.objects.get()
    assert (message.dedupe_key, message.status) == (f"invite:{order.pk}:invitation", "sent")
    emails = emails_in(email_dir)
    assert [to for to, _message_id in emails] == ["buyer@example.com"]
    assert list(emails.values()) == [1]
    took = time.monotonic() - started
    figures_write(
        "invitations_sweep_worker",
        {
            "sweeps (4 at once on 2 processes, then 2)": SWEEPS_AT_ONCE + 2,
            "invitations / outbox rows / emails": "1 / 1 / 1",
            "run (s)": round(took, 1),
        },
    )
