"""`make cluster-test`: reviewgate's multi-machine shape started on this machine, run
through a scenario with faults, and checked (docs/cluster-test.md).

    python -m devtools.cluster.run [--limit SECONDS]

Runs as root (as CI does: PostgreSQL runs as the `postgres` user). Everything it starts
listens on 127.0.0.1, lives in one temporary directory and is stopped on exit, whatever
ends the run: success, a failed check, an error, Ctrl-C, SIGTERM or the time limit.
Exit status 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from devtools.cluster.checks import Verdicts
from devtools.cluster.processes import Processes, log
from devtools.cluster.scenario import Scenario
from devtools.cluster.stack import Stack

DEFAULT_LIMIT_SECONDS = 600


class Stopped(BaseException):
    """A signal or the time limit: unwinds to the finally that stops everything."""


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    name = "time limit reached" if signum == signal.SIGALRM else signal.Signals(signum).name
    # Once stopping, further signals are ignored (the cleanup must run to its end).
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(s, signal.SIG_IGN)
    raise Stopped(name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT_SECONDS, help="seconds for the whole run")
    # For developing the script against a tree without /healthz (the load balancer's check).
    parser.add_argument("--check-path", default="/healthz", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("cluster-test runs as root (CI does): it starts PostgreSQL as the postgres user", file=sys.stderr)
        return 2
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(s, _on_signal)
    signal.alarm(options.limit)
    root = Path(tempfile.mkdtemp(prefix="rg-cluster-"))
    processes = Processes(root)
    stack = Stack(root=root, processes=processes, check_path=options.check_path)
    verdicts = Verdicts()
    timings: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def step(name: str) -> Iterator[None]:
        log(f"== {name}")
        started = time.monotonic()
        try:
            yield
        finally:
            timings.append((name, time.monotonic() - started))
            log(f"   {name}: {time.monotonic() - started:.1f} s")

    error = ""
    try:
        with step("start PostgreSQL primary and replica, Redis, receiver, seed, 2 web servers, HAProxy, 2 workers"):
            stack.start_all()
        Scenario(stack, verdicts).play(step)
    except Stopped as stopped:
        error = f"stopped: {stopped}"
    except Exception:
        error = traceback.format_exc()
    finally:
        signal.alarm(0)
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
            signal.signal(s, signal.SIG_IGN)
        failed = bool(error) or bool(verdicts.failed)
        if failed:
            for proc in processes.started:
                print(f"\n--- {proc.name} (pid {proc.pid}), last lines of {proc.log_path.name} ---\n{proc.tail()}")
        log("stopping everything")
        if stack.receiver:
            stack.receiver.stop()
        processes.stop_all()
        left = processes.leftovers()
        verdicts.check("nothing left running after the stop (ps)", not left, "; ".join(left[:5]))
        kept = ""
        if failed or verdicts.failed:
            kept = tempfile.mkdtemp(prefix="rg-cluster-logs-")
            shutil.copytree(root / "logs", Path(kept) / "logs", dirs_exist_ok=True)
        shutil.rmtree(root, ignore_errors=True)
        verdicts.check("the run's directory is removed", not root.exists(), str(root))
    print("\n=== cluster-test summary")
    for name, seconds in timings:
        print(f"  {seconds:6.1f} s  {name}")
    for name, ok, detail in verdicts.results:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}" + ("" if ok or not detail else f"  ({detail})"))
    if error:
        print(f"\nERROR: {error}")
    if kept:
        print(f"\nLogs of every process kept in {kept}/logs")
    passed = not error and not verdicts.failed
    print(f"\ncluster-test: {'PASS' if passed else 'FAIL'} ({len(verdicts.results)} checks, "
          f"{len(verdicts.failed)} failed)")  # fmt: skip
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
