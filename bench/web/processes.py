"""The programs the web bench starts and stops (bench/web/run.py): PostgreSQL (a scratch
database on BENCH_DATABASE_URL's server, or a throwaway cluster), Redis and the site under
gunicorn, each a context manager that removes what it made, however the bench ends."""

# The bench starts initdb, pg_ctl, redis-server and gunicorn from fixed argument lists: no
# input of anyone's reaches them.
# ruff: noqa: S603, S607

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
PY = sys.executable


def log(message: str) -> None:
    print(f"[web bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, ready: Any, *, seconds: float = 60, process: subprocess.Popen[Any] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"{what} exited with status {process.returncode} before it was ready")
        with contextlib.suppress(Exception):
            if ready():
                return
        time.sleep(0.2)
    raise SystemExit(f"{what} was not ready within {seconds:.0f} s")


def stop(process: subprocess.Popen[Any] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- PostgreSQL -------------------------------------------------------------------------
def conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise SystemExit(f"{name} not found: install PostgreSQL, or set BENCH_DATABASE_URL")
    return str(candidates[-1])


@contextlib.contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A new database on ``server_url``'s server, dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = f"rg_web_bench_{os.getpid()}"
    admin = urlunsplit(urlsplit(server_url)._replace(path="/postgres"))
    with psycopg.connect(conninfo(admin), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(conninfo(admin), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextlib.contextmanager
def throwaway_cluster(tmp: Path) -> Iterator[str]:
    """initdb and pg_ctl in ``tmp``, on a free port, removed afterwards. PostgreSQL refuses
    to run as root: then the cluster belongs to the `postgres` user."""
    data = tmp / "pg"
    data.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(data, owner.pw_uid, owner.pw_gid)
        tmp.chmod(0o711)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    subprocess.run(
        [*as_user, _pg_bin("initdb"), "-D", str(data), "-U", "bench", "--auth=trust", "-E", "UTF8", "--no-sync"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data}"
    try:
        # Inside the try: a start that times out may leave a postmaster still starting.
        subprocess.run(
            [*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"), "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        yield f"postgres://bench@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, _pg_bin("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            check=False,
            stdout=subprocess.DEVNULL,
        )


@contextlib.contextmanager
def database(tmp: Path) -> Iterator[str]:
    server = os.environ.get("BENCH_DATABASE_URL", "")
    with contextlib.ExitStack() as stack:
        if not server:
            log("BENCH_DATABASE_URL not set: a throwaway PostgreSQL cluster")
            server = stack.enter_context(throwaway_cluster(tmp))
        yield stack.enter_context(scratch_database(server))


# --- Redis ------------------------------------------------------------------------------
def _redis_ping(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")


@contextlib.contextmanager
def redis_server(tmp: Path) -> Iterator[int]:
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp), "--loglevel", "warning"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for("redis-server", lambda: _redis_ping(port), seconds=20, process=process)
        yield port
    finally:
        stop(process)


# --- The site ---------------------------------------------------------------------------
def site_env(*, database_url: str, redis_port: int, tmp: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.web.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_port}/1",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "RATELIMIT_ENABLED": "0",
        "REVIEWGATE_VAR_DIR": str(tmp / "var"),
        "PYTHONPATH": str(REPO),
    }


def status(url: str, *, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # nosec B310 - our own http://127.0.0.1 server
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@contextlib.contextmanager
def gunicorn(env: dict[str, str], tmp: Path) -> Iterator[str]:
    port = free_port()
    log_file = tmp / "gunicorn.log"
    gunicorn_bin = str(Path(PY).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn_bin, "config.wsgi:application", "--workers", "2", "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--error-logfile", str(log_file)],
        cwd=REPO, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for("gunicorn", lambda: status(f"{base}/bench/baseline/json/") == 200, seconds=60, process=process)
        yield base
    finally:
        stop(process)
        if log_file.exists() and log_file.stat().st_size:
            log(f"gunicorn's log (tail):\n{log_file.read_text()[-3000:]}")
