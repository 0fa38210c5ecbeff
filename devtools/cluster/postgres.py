"""The cluster's own PostgreSQL: a primary (initdb into the run's directory) and a streaming
replica made by `pg_basebackup -R` over the primary's unix socket. Both run as the
`postgres` user (PostgreSQL refuses root), on free ports, and go with the run's directory;
the machine's own clusters are never touched."""

from __future__ import annotations

import os
import pwd
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from devtools.cluster.configs import pg_hba, postgres_primary_settings, replica_settings
from devtools.cluster.processes import Proc, Processes, free_port, log, run, wait_for

PG_USER = "postgres"
APP_USER = "reviewgate"
APP_DATABASE = "reviewgate"


def pg_bin(name: str) -> str:
    """PostgreSQL's own binaries (Debian keeps them off PATH): the newest version installed."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if not candidates:
        raise RuntimeError(f"{name} not found under /usr/lib/postgresql: install PostgreSQL")
    return str(candidates[-1])


@dataclass
class Server:
    name: str
    port: int
    data: Path
    socket_dir: Path
    proc: Proc | None = None

    def admin(self) -> psycopg.Connection[Any]:
        """The `postgres` superuser over the socket (trust, pg_hba.conf), autocommit."""
        return psycopg.connect(host=str(self.socket_dir), port=self.port, user=PG_USER, dbname=APP_DATABASE,
                               autocommit=True, connect_timeout=3)  # fmt: skip

    def url(self, password: str) -> str:
        return f"postgres://{APP_USER}:{password}@127.0.0.1:{self.port}/{APP_DATABASE}"


def _owned_by_postgres(path: Path, mode: int = 0o700) -> None:
    owner = pwd.getpwnam(PG_USER)
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, owner.pw_uid, owner.pw_gid)
    path.chmod(mode)


def _ready(server: Server) -> bool:
    with psycopg.connect(host=str(server.socket_dir), port=server.port, user=PG_USER, dbname="postgres",
                         connect_timeout=2):  # fmt: skip
        return True


def _start(processes: Processes, server: Server) -> None:
    # In the foreground, as our child: stopped with the others (SIGINT: fast shutdown).
    server.proc = processes.start(
        server.name, [pg_bin("postgres"), "-D", str(server.data)], user=PG_USER, stop_signal=signal.SIGINT
    )
    wait_for(server.name, lambda: _ready(server), seconds=60, process=server.proc)


def primary_start(processes: Processes, *, root: Path, password: str) -> Server:
    """initdb, the settings and pg_hba.conf above, started; then the app's role and database."""
    # The run's directory must be traversable by `postgres` (it is root's, made by mkdtemp).
    root.chmod(0o711)
    server = Server("postgres-primary", free_port(), root / "pg-primary", root / "pg-primary-socket")
    _owned_by_postgres(server.data)
    _owned_by_postgres(server.socket_dir, 0o755)
    run([pg_bin("initdb"), "-D", str(server.data), "-U", PG_USER, "-E", "UTF8", "--no-sync",
         "--auth-local=trust", "--auth-host=scram-sha-256"],
        user=PG_USER, log_path=root / "logs" / "initdb.log")  # fmt: skip
    with (server.data / "postgresql.conf").open("a") as conf:
        conf.write(postgres_primary_settings(port=server.port, socket_dir=str(server.socket_dir)))
    (server.data / "pg_hba.conf").write_text(pg_hba(app_user=APP_USER))
    _start(processes, server)
    with psycopg.connect(host=str(server.socket_dir), port=server.port, user=PG_USER, dbname="postgres",
                         autocommit=True) as conn:  # fmt: skip
        conn.execute(f"CREATE ROLE {APP_USER} LOGIN PASSWORD '{password}'")  # our own generated token
        conn.execute(f"CREATE DATABASE {APP_DATABASE} OWNER {APP_USER}")
    log(f"PostgreSQL primary on 127.0.0.1:{server.port} ({server.data})")
    return server


def replica_start(processes: Processes, *, root: Path, primary: Server) -> Server:
    """`pg_basebackup -R` as `postgres` over the primary's socket into an empty directory,
    then started on its own port as a hot standby streaming from the primary."""
    server = Server("postgres-replica", free_port(), root / "pg-replica", root / "pg-replica-socket")
    _owned_by_postgres(server.data)
    _owned_by_postgres(server.socket_dir, 0o755)
    run([pg_bin("pg_basebackup"), "-h", str(primary.socket_dir), "-p", str(primary.port), "-U", PG_USER,
         "-D", str(server.data), "-R", "-X", "stream", "-c", "fast", "--no-sync"],
        user=PG_USER, log_path=root / "logs" / "pg_basebackup.log")  # fmt: skip
    with (server.data / "postgresql.auto.conf").open("a") as conf:
        conf.write(replica_settings(port=server.port, socket_dir=str(server.socket_dir)))
    _start(processes, server)

    def streaming() -> bool:
        with primary.admin() as conn:
            row = conn.execute("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'").fetchone()
            return bool(row and row[0] >= 1)

    wait_for("replica streaming", streaming, seconds=30, process=server.proc)
    log(f"PostgreSQL replica on 127.0.0.1:{server.port}, streaming from the primary")
    return server


def replay_pause(replica: Server) -> None:
    with replica.admin() as conn:
        conn.execute("SELECT pg_wal_replay_pause()")

        def paused() -> bool:
            row = conn.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()
            return bool(row and row[0] == "paused")

        wait_for("replay paused", paused, seconds=10)


def replay_resume(replica: Server) -> None:
    with replica.admin() as conn:
        conn.execute("SELECT pg_wal_replay_resume()")


def replica_caught_up(primary: Server, replica: Server, *, seconds: float = 30) -> None:
    """Waits until the replica has replayed everything the primary had written now."""
    with primary.admin() as conn:
        row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
    target = row[0] if row else "0/0"

    def caught_up() -> bool:
        with replica.admin() as conn:
            got = conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()
            return bool(got and got[0])

    wait_for("replica caught up", caught_up, seconds=seconds)
