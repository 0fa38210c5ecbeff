"""Starting and stopping the cluster's processes: each in a session of its own (so one
signal reaches it and its children), its output in a log file of the run's directory, and
every one of them stopped by `Processes.stop_all`, whatever ends the run."""

# Fixed argument lists of our own: no input of anyone's reaches these commands.
# ruff: noqa: S603

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess  # nosec B404 - fixed argument lists, no shell
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

STARTED = time.monotonic()


def log(message: str) -> None:
    """One line of the run's story: elapsed seconds, then what happened."""
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def free_port() -> int:
    """A port nobody listens on now, on 127.0.0.1 (the kernel picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, ready: Callable[[], Any], *, seconds: float, process: Proc | None = None) -> None:
    """Polls ``ready`` until it returns a true value; fails if ``process`` exits first."""
    deadline = time.monotonic() + seconds
    last_error: BaseException | None = None
    while time.monotonic() < deadline:
        if process is not None and process.popen.poll() is not None:
            raise RuntimeError(f"{what} exited with status {process.popen.returncode} before it was ready")
        try:
            if ready():
                return
        except Exception as error:
            last_error = error
        time.sleep(0.1)
    raise RuntimeError(f"{what} not ready within {seconds:.0f} s" + (f" (last: {last_error})" if last_error else ""))


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path
    # How to ask it to stop: SIGTERM for most; SIGINT is PostgreSQL's fast shutdown.
    stop_signal: int = signal.SIGTERM

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def kill_group(self, signum: int = signal.SIGKILL) -> None:
        """Signals the process and everything in its session's group (a worker's pool children)."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signum)

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Processes:
    """Every process the run started, in start order; stopped in reverse order."""

    directory: Path
    started: list[Proc] = field(default_factory=list)
    _logs: list[IO[bytes]] = field(default_factory=list)

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        user: str | None = None,
        stop_signal: int = signal.SIGTERM,
    ) -> Proc:
        log_path = self.directory / "logs" / f"{name}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        out = log_path.open("ab")
        self._logs.append(out)
        popen = subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            user=user,
            group=user,
            start_new_session=True,
        )  # nosec B603
        proc = Proc(name=name, popen=popen, log_path=log_path, stop_signal=stop_signal)
        self.started.append(proc)
        return proc

    def stop(self, proc: Proc, *, grace: float = 10.0) -> None:
        """Asks once (the group), waits up to ``grace`` seconds, then kills the group."""
        if proc.alive():
            proc.kill_group(proc.stop_signal)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.popen.wait(timeout=grace)
        # Whatever is left in its group (a pool child, a postgres backend) goes too.
        proc.kill_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.popen.wait(timeout=5)

    def stop_all(self) -> None:
        for proc in reversed(self.started):
            self.stop(proc)
        for out in self._logs:
            with contextlib.suppress(OSError):
                out.close()

    def leftovers(self) -> list[str]:
        """Processes of ours still running after stop_all (`ps`, by session id): none expected.
        A zombie (state Z: ended, waiting for init to reap it) is not running."""
        ours = {proc.pid for proc in self.started}
        result = subprocess.run(["ps", "-eo", "pid=,sid=,stat=,args="], capture_output=True, text=True, check=False)  # noqa: S607
        left = []
        for line in result.stdout.splitlines():
            parts = line.split(None, 3)
            if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) in ours and not parts[2].startswith("Z"):
                left.append(line.strip())
        return left


def run(
    argv: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    user: str | None = None,
    log_path: Path | None = None,
    timeout: float = 300,
) -> str:
    """Runs a command to its end; its output goes to ``log_path`` (and is returned); a
    failure raises with the output's tail."""
    result = subprocess.run(
        list(argv), env=dict(env) if env is not None else None, cwd=cwd, user=user, group=user,
        capture_output=True, text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL,
    )  # nosec B603  # fmt: skip
    output = result.stdout + result.stderr
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("a") as file:
            file.write(f"$ {' '.join(argv)}\n{output}\n")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:4])}… exited with {result.returncode}:\n{output[-3000:]}")
    return output


def python() -> str:
    return sys.executable
