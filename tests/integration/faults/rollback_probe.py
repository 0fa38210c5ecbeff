"""A process that evaluates the gate inside an outer transaction, then commits it or
raises: ``python -m tests.integration.faults.rollback_probe commit|rollback``.

The day engine writes events, notices and outbox rows, and asks for a delivery task per
row on commit. Rolled back, none of it may reach the broker. Run by test_rollback_never_queues.py
with the fault tests' environment (processes.child_env)."""

from __future__ import annotations

import sys
from datetime import timedelta


class ProbeRollback(Exception):
    """Raised on purpose after the work, inside the transaction."""


def main(mode: str) -> int:
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from gate.configured import gate_policy_from_settings
    from gate.services import gate_evaluate_through

    policy = gate_policy_from_settings()
    yesterday = policy.day_of(timezone.now()) - timedelta(days=1)
    try:
        with transaction.atomic():
            summary = gate_evaluate_through(through=yesterday, policy=policy)
            print(f"evaluated {summary.days} days, events {dict(summary.events)}", flush=True)
            if mode == "rollback":
                raise ProbeRollback
    except ProbeRollback:
        print("rolled back", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
