"""`make run`'s site, Celery worker and beat, started together and stopped together.

    python -m devtools.run --host 127.0.0.1 --port 8000

Each process starts in its own session (a process group of its own), so the terminal's
Ctrl-C reaches this supervisor only; it then asks each process once to stop, waits up to
`--grace` seconds, and kills whatever is left, groups and all. SIGTERM (from `make`, which
forwards it, or from a service manager) does the same. A second Ctrl-C kills at once.

What this replaces, and why: a shell trap that ran `kill 0`. The signal reached every
process of the group (make, the shell, each worker's pool children) at the same time, the
shell only ran its trap once runserver had exited, and a worker whose pool children were
signalled beside it logged its shutdown again and again, orphaned until its own timeout.

The processes inherit `SITE_URL` (where emails' links point) from the environment, or
`http://<host>:<port>` of this very site when it is not set, so that `PORT=8100 make run`
sends links to port 8100. Standard library only (and core.queues, itself standard library
only): it runs before Django is set up.

The demo is served as production serves it (`demo_environ`): DEBUG off, so an unknown
address gets the site's own 404 page (core/error_pages.py) rather than Django's technical
one, and static files come through WhiteNoise as in production. What production needs and a
demo on http://127.0.0.1 cannot have is switched off: the HTTPS redirect, HSTS and secure-only
cookies. The secret key is generated once and kept in var/demo-secret-key, so sessions and
the signed links in the seed's emails outlive a restart. Every one of these yields to the
environment (`DEBUG=1 make run` still gives Django's debug pages).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess  # nosec B404 - fixed argument lists, no shell
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from core.queues import WORKER_QUEUES

POLL_SECONDS = 0.1
DEFAULT_GRACE_SECONDS = 10.0
# An address to listen on everywhere is not one a browser can open: links use loopback.
_LISTEN_EVERYWHERE = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "[::]": "[::1]"}  # noqa: S104  # nosec B104 (not a bind: mapped away)


# The demo runs over plain HTTP on this machine: production's HTTPS-only switches would
# redirect every page to https:// and drop the session and CSRF cookies (config/settings.py).
DEMO_SETTINGS = {
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
}
_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Command:
    name: str
    argv: Sequence[str]
    # runserver is two processes (the autoreloader and the server it restarts): the stop
    # signal goes to its whole group. A Celery worker stops its own pool children, which
    # must not get the signal too (each would start its own shutdown): only its main process.
    signal_group: bool


def site_url(*, host: str, port: int, environ: Mapping[str, str]) -> str:
    """The base of every link in emails: SITE_URL when set, else this site's address."""
    if environ.get("SITE_URL"):
        return environ["SITE_URL"]
    host = _LISTEN_EVERYWHERE.get(host, host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def demo_secret_key(var_dir: Path) -> str:
    """The demo's own key: made on the first run, read on the next ones (readable by its owner only)."""
    path = var_dir / "demo-secret-key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as file:
        file.write(key)
    return key


def demo_environ(environ: Mapping[str, str], *, host: str, port: int) -> dict[str, str]:
    """The environment of every process `make run` starts: `environ`, completed by the demo's
    settings (DEMO_SETTINGS, a kept SECRET_KEY, SITE_URL); a variable already set wins."""
    env = dict(environ)
    for name, value in DEMO_SETTINGS.items():
        env.setdefault(name, value)
    if not env.get("SECRET_KEY"):
        env["SECRET_KEY"] = demo_secret_key(Path(env.get("REVIEWGATE_VAR_DIR") or _ROOT / "var"))
    env["SITE_URL"] = site_url(host=host, port=port, environ=env)
    return env


def site_commands(*, python: str, host: str, port: int) -> list[Command]:
    celery = [python, "-m", "celery", "-A", "config.celery_app"]
    # One worker consumes every queue (docs/queues.md): a deployment gives each its own pool.
    queues = ",".join(WORKER_QUEUES)
    return [
        Command(
            "worker",
            [
                *celery,
                "worker",
                f"--queues={queues}",
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-mingle",
                "--without-gossip",
            ],
            signal_group=False,
        ),
        # Beat runs once (docs/queues.md); a second one by mistake sends nothing twice.
        Command("beat", [*celery, "beat", "--loglevel=INFO"], signal_group=False),
        Command("site", [python, "manage.py", "runserver", f"{host}:{port}"], signal_group=True),
    ]


class Supervisor:
    def __init__(self, commands: Sequence[Command], *, grace: float, env: Mapping[str, str] | None = None) -> None:
        self.commands = commands
        self.grace = grace
        self.env = dict(os.environ if env is None else env)
        self.processes: list[tuple[Command, subprocess.Popen[bytes]]] = []
        self.stop_requests = 0

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.stop_requests += 1
        if self.stop_requests > 1:  # asked again while stopping: no more waiting
            self._signal_all(signal.SIGKILL, whole_groups=True)

    def run(self) -> int:
        """Starts every command; returns once all have ended: 0 when asked to stop, else
        the exit code of the first one that ended by itself (the others are stopped)."""
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        for command in self.commands:
            process = subprocess.Popen(command.argv, env=self.env, start_new_session=True)  # noqa: S603  # nosec B603 (our own argv)
            self.processes.append((command, process))
        ended_by_itself: int | None = None
        while not self.stop_requests:
            ended = [process.returncode for _command, process in self.processes if process.poll() is not None]
            if ended:
                ended_by_itself = ended[0] or 1
                break
            time.sleep(POLL_SECONDS)
        self.stop()
        return 0 if ended_by_itself is None else ended_by_itself

    def stop(self) -> None:
        names = ", ".join(command.name for command, process in self.processes if process.poll() is None)
        if names:
            print(f"Stopping {names}…", file=sys.stderr, flush=True)
        for command, process in self.processes:
            if process.poll() is None:
                # SIGTERM: the worker's warm shutdown finishes the task at hand first.
                self._send(process, signal.SIGTERM, whole_group=command.signal_group)
        deadline = time.monotonic() + self.grace
        while time.monotonic() < deadline and any(process.poll() is None for _c, process in self.processes):
            time.sleep(POLL_SECONDS)
        late = ", ".join(command.name for command, process in self.processes if process.poll() is None)
        if late:
            print(f"Killing {late}: still running after {self.grace:g} s.", file=sys.stderr, flush=True)
        # Whatever is left, and anything a process left behind in its group (a pool child,
        # the server under the autoreloader), is killed.
        self._signal_all(signal.SIGKILL, whole_groups=True)
        for _command, process in self.processes:
            process.wait()

    def _signal_all(self, signum: int, *, whole_groups: bool) -> None:
        for _command, process in self.processes:
            self._send(process, signum, whole_group=whole_groups)

    @staticmethod
    def _send(process: subprocess.Popen[bytes], signum: int, *, whole_group: bool) -> None:
        try:
            if whole_group:
                os.killpg(process.pid, signum)  # its session's group: its pid (start_new_session)
            elif process.poll() is None:
                process.send_signal(signum)
        except ProcessLookupError:  # already gone
            pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--grace", type=float, default=DEFAULT_GRACE_SECONDS, help="seconds to wait before killing")
    parser.add_argument(
        "--print-site-url", action="store_true", help="print where emails' links point, and exit (for the seed)"
    )
    parser.add_argument(
        "--exec",
        nargs=argparse.REMAINDER,
        metavar="COMMAND",
        help="run COMMAND in the demo's environment instead (make run's migrate and seed)",
    )
    options = parser.parse_args(argv)
    if options.print_site_url:
        print(site_url(host=options.host, port=options.port, environ=os.environ))
        return 0
    env = demo_environ(os.environ, host=options.host, port=options.port)
    if options.exec:
        os.execvpe(options.exec[0], options.exec, env)  # noqa: S606  # nosec B606 (make's own command line)
    print(
        f"Serving on http://{options.host}:{options.port}/ (admin: /admin/); emails link to {env['SITE_URL']}. "
        "Ctrl-C stops the site, worker and beat.",
        file=sys.stderr,
        flush=True,
    )
    commands = site_commands(python=sys.executable, host=options.host, port=options.port)
    return Supervisor(commands, grace=options.grace, env=env).run()


if __name__ == "__main__":
    sys.exit(main())
