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
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from devtools.cluster.checks import Verdicts
from devtools.cluster.processes import Processes, log
from devtools.cluster.scenario import Scenario
from devtools.cluster.stack import Stack

DEFAULT_LIMIT_SECONDS = 600
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGALRM)


class Stopped(BaseException):
    """A signal or the time limit: unwinds to the finally that stops everything."""


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    name = "time limit reached" if signum == signal.SIGALRM else signal.Signals(signum).name
    # Once stopping, further signals are ignored: the cleanup must run to its end.
    _ignore_signals()
    raise Stopped(name)


def _ignore_signals() -> None:
    signal.alarm(0)
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


@dataclass
class Run:
    root: Path
    processes: Processes
    stack: Stack
    verdicts: Verdicts = field(default_factory=Verdicts)
    timings: list[tuple[str, float]] = field(default_factory=list)
    error: str = ""
    kept_logs: str = ""

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        log(f"== {name}")
        started = time.monotonic()
        try:
            yield
        finally:
            self.timings.append((name, time.monotonic() - started))
            log(f"   {name}: {time.monotonic() - started:.1f} s")

    def play(self) -> None:
        try:
            with self.step(
                "start PostgreSQL primary and replica, Redis, receiver, seed, 2 web servers, HAProxy, 2 workers"
            ):
                self.stack.start_all()
            Scenario(self.stack, self.verdicts).play(self.step)
        except Stopped as stopped:
            self.error = f"stopped: {stopped}"
        except Exception:  # reported as the run's failure; everything is stopped below
            self.error = traceback.format_exc()

    def tear_down(self) -> None:
        _ignore_signals()
        failed = bool(self.error or self.verdicts.failed)
        if failed:
            for proc in self.processes.started:
                print(f"\n--- {proc.name} (pid {proc.pid}), last lines of {proc.log_path.name} ---\n{proc.tail()}")
        log("stopping everything")
        if self.stack.receiver:
            self.stack.receiver.stop()
        self.processes.stop_all()
        left = self.processes.leftovers()
        self.verdicts.check("nothing left running after the stop (ps)", not left, "; ".join(left[:5]))
        if failed or self.verdicts.failed:
            self.kept_logs = tempfile.mkdtemp(prefix="rg-cluster-logs-")
            shutil.copytree(self.root / "logs", Path(self.kept_logs) / "logs", dirs_exist_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)
        self.verdicts.check("the run's directory is removed", not self.root.exists(), str(self.root))

    def summary(self) -> bool:
        print("\n=== cluster-test summary")
        for name, seconds in self.timings:
            print(f"  {seconds:6.1f} s  {name}")
        for name, ok, detail in self.verdicts.results:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}" + ("" if ok or not detail else f"  ({detail})"))
        if self.error:
            print(f"\nERROR: {self.error}")
        if self.kept_logs:
            print(f"\nLogs of every process kept in {self.kept_logs}/logs")
        passed = not self.error and not self.verdicts.failed
        total, failed = len(self.verdicts.results), len(self.verdicts.failed)
        stopped = "; the run did not finish" if self.error else ""
        print(f"\ncluster-test: {'PASS' if passed else 'FAIL'} ({total} checks, {failed} failed{stopped})")
        return passed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT_SECONDS, help="seconds for the whole run")
    # For developing the script on a tree without /healthz (the load balancer's check).
    parser.add_argument("--check-path", default="/healthz", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("cluster-test runs as root (as CI does): it starts PostgreSQL as the postgres user", file=sys.stderr)
        return 2
    for signum in STOP_SIGNALS:
        signal.signal(signum, _on_signal)
    signal.alarm(options.limit)
    root = Path(tempfile.mkdtemp(prefix="rg-cluster-"))
    processes = Processes(root)
    run = Run(
        root=root, processes=processes, stack=Stack(root=root, processes=processes, check_path=options.check_path)
    )
    try:
        run.play()
    finally:
        run.tear_down()
    return 0 if run.summary() else 1


if __name__ == "__main__":
    sys.exit(main())
