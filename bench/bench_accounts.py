#!/usr/bin/env python
"""Benchmark: do password reset and sign-up answer in the same time whether or not an
address has an account? (Issue 13: a known address used to answer a reset in 301 ms, an
unknown one in 49 ms, so the timing told who has an account.)

Creates a throwaway SQLite database in a temporary directory (the Celery broker's files
go there too: the filesystem transport, so queueing a delivery is real work), migrates
it, and creates one account, ``known@example.com``. Then, through Django's test client
(the whole middleware stack, templates included), it times four requests:

* POST the password-reset form with the known address, and with an unknown one;
* POST the sign-up form with a new address, and with the known (already used) one.

Each round sends the four once, in an order rotated every round (so none always runs
first or last), each from a fresh client with new usernames; after ``--warmup`` rounds
not counted, ``--rounds`` rounds (default 40) are timed and the median of each is
printed in ms, with the ratio known / unknown (and used / new), whose target is noise,
about 0.8-1.25. It also prints the number of SQL statements each request ran (the same
on both sides is the design: accounts.services and accounts.signup). Rate limits are
switched off (RATELIMIT_ENABLED=0): every request must do the full work, not be refused.
Passwords are hashed with the configured hasher (production's), as a real sign-up is.

    .venv/bin/python bench/bench_accounts.py [--rounds 40] [--warmup 3]
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

KNOWN = "known@example.com"
PASSWORD = "a-very-long-passphrase-7"  # noqa: S105 (a throwaway account)
# The target of the ratio: within this band the difference is noise on a shared machine.
NOISE_BAND = (0.8, 1.25)


@dataclass
class Case:
    label: str
    send: Callable[[int], Any]  # round number -> response
    expected_status: int
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    outbox_rows: int = 0
    tasks_queued: int = 0


def _environment(directory: Path) -> None:
    """Settings for a throwaway run: set before Django reads them."""
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{directory / 'accounts.sqlite3'}",
            "DATABASE_CONN_MAX_AGE": "0",
            "REVIEWGATE_VAR_DIR": str(directory),
            "CELERY_BROKER_URL": "filesystem://localhost//",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "RATELIMIT_ENABLED": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SITE_URL": "https://shop.example",
        }
    )
    os.environ.pop("REDIS_URL", None)  # the database cache of the throwaway file


def _cases() -> list[Case]:
    from django.test import Client
    from django.urls import reverse

    reset_url, signup_url = reverse("password_reset"), reverse("signup")

    def reset(address: str) -> Callable[[int], Any]:
        return lambda number: Client().post(reset_url, {"email": address})

    def signup(kind: str, address: str | None) -> Callable[[int], Any]:
        def send(number: int) -> Any:
            form = {
                "username": f"{kind}{number}",
                "email": address or f"{kind}{number}@example.com",
                "display_name": f"{kind.title()} {number}",
                "language": "en",
                "password1": PASSWORD,
                "password2": PASSWORD,
            }
            return Client().post(signup_url, form)

        return send

    return [
        Case("reset, known address", reset(KNOWN), 302),
        Case("reset, unknown address", reset("nobody@example.com"), 302),
        Case("sign-up, new address", signup("newcomer", None), 302),
        Case("sign-up, address in use", signup("taken", KNOWN), 302),
    ]


def _queued_tasks() -> int:
    from django.conf import settings

    return len(list(Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"])).iterdir()))


def _run(case: Case, number: int, *, timed: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications.models import OutboxMessage

    if timed:
        start = time.perf_counter()
        response = case.send(number)
        case.times_ms.append((time.perf_counter() - start) * 1000)
    else:
        rows, tasks = OutboxMessage.objects.count(), _queued_tasks()
        with CaptureQueriesContext(connection) as captured:
            response = case.send(number)
        case.queries = len(captured.captured_queries)
        case.outbox_rows = OutboxMessage.objects.count() - rows
        case.tasks_queued = _queued_tasks() - tasks
    if response.status_code != case.expected_status:
        raise SystemExit(f"{case.label}: status {response.status_code}, expected {case.expected_status}")


def measure(*, rounds: int, warmup: int) -> list[Case]:
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    django.setup()
    setup_test_environment()  # "testserver" allowed, emails kept in memory
    call_command("migrate", interactive=False, verbosity=0)
    from accounts.models import User

    User.objects.create_user(
        username="known", email=KNOWN, password=PASSWORD, display_name="Known", email_verified_at=timezone.now()
    )
    cases = _cases()
    for number in range(warmup):
        for case in cases:
            _run(case, -1 - number, timed=number < warmup - 1)
    for case in cases:
        case.times_ms.clear()
    for number in range(rounds):
        gc.collect()
        shift = number % len(cases)
        for case in cases[shift:] + cases[:shift]:
            _run(case, number, timed=True)
    return cases


def _verdict(ratio: float) -> str:
    low, high = NOISE_BAND
    return "within noise" if low <= ratio <= high else "OUTSIDE the noise band"


def report(cases: list[Case], *, rounds: int) -> str:
    medians = {case.label: statistics.median(case.times_ms) for case in cases}
    lines = [
        f"SQLite, Django test client; median of {rounds} interleaved rounds (ms)",
        "",
        "| request | median | min | max | SQL statements | outbox rows | tasks queued |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for case in cases:
        lines.append(
            f"| {case.label} | {medians[case.label]:.1f} | {min(case.times_ms):.1f} | "
            f"{max(case.times_ms):.1f} | {case.queries} | {case.outbox_rows} | {case.tasks_queued} |"
        )
    reset_ratio = medians["reset, known address"] / medians["reset, unknown address"]
    signup_ratio = medians["sign-up, address in use"] / medians["sign-up, new address"]
    low, high = NOISE_BAND
    lines += [
        "",
        f"reset known / unknown: {reset_ratio:.2f} ({_verdict(reset_ratio)}, target {low}-{high})",
        f"sign-up in use / new: {signup_ratio:.2f} ({_verdict(signup_ratio)}, target {low}-{high})",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=3, help="rounds not timed (the last counts SQL statements)")
    args = parser.parse_args()
    if args.rounds < 1 or args.warmup < 1:
        raise SystemExit("--rounds and --warmup must be at least 1")
    directory = Path(tempfile.mkdtemp(prefix="bench-accounts-"))
    (directory / "static").mkdir()  # STATIC_ROOT under the throwaway VAR_DIR
    try:
        _environment(directory)
        cases = measure(rounds=args.rounds, warmup=args.warmup)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(report(cases, rounds=args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
