"""The configuration files the cluster test writes, as pure functions (unit-tested):
HAProxy's, the primary PostgreSQL's settings and its pg_hba.conf."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# HAProxy's health check: every half second; two failures take a server out (~1 s after it
# died), two successes bring it back. /healthz touches no database, so a check never waits
# on a worker ping the way /readyz's does (up to 0.5 s per queue).
CHECK_PATH = "/healthz"
CHECK_INTER_MS = 500
CHECK_FALL = 2
CHECK_RISE = 2


@dataclass(frozen=True)
class Backend:
    name: str
    port: int


def haproxy_config(*, port: int, backends: Sequence[Backend], stats_socket: str, check_path: str = CHECK_PATH) -> str:
    """Round robin over ``backends`` on 127.0.0.1, `X-Forwarded-For` appended (the servers
    trust one proxy: TRUSTED_PROXY_COUNT=1), a refused connection retried on another server
    (`option redispatch`), so a request that meets a server killed a moment ago still succeeds."""
    if not backends:
        raise ValueError("HAProxy needs at least one backend")
    servers = "\n".join(f"    server {b.name} 127.0.0.1:{b.port} check" for b in backends)
    return f"""\
global
    maxconn 512
    stats socket {stats_socket} mode 600 level admin

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    retries 3
    # A GET already sent to a server that died without answering (an empty response) is
    # retried on the other one; a POST is not (it may have been applied): see the backend.
    retry-on all-retryable-errors
    option redispatch
    option forwardfor
    option httplog
    log stdout format raw local0

frontend site
    bind 127.0.0.1:{port}
    default_backend web

backend web
    balance roundrobin
    http-request disable-l7-retry unless METH_GET
    option httpchk
    http-check send meth GET uri {check_path} ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter {CHECK_INTER_MS}ms fastinter {CHECK_INTER_MS}ms downinter {CHECK_INTER_MS}ms \
fall {CHECK_FALL} rise {CHECK_RISE}
{servers}
"""


def postgres_primary_settings(*, port: int, socket_dir: str) -> str:
    """Lines appended to the primary's postgresql.conf: local only, streaming replication on.
    fsync off: a throwaway cluster, dropped on exit (full_page_writes stays on: pg_basebackup
    refuses to copy a primary without it)."""
    return f"""
# --- reviewgate cluster test (devtools/cluster) ---
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{socket_dir}'
wal_level = replica
max_wal_senders = 4
max_replication_slots = 4
wal_keep_size = '256MB'
hot_standby = on
hot_standby_feedback = on
fsync = off
synchronous_commit = off
max_connections = 100
log_min_messages = warning
"""


def pg_hba(*, app_user: str) -> str:
    """The whole pg_hba.conf: the `postgres` superuser over the local socket (the script's
    own SQL, pg_basebackup's replication connection and the replica's streaming), the app's
    role by password over 127.0.0.1 only."""
    return f"""\
# TYPE  DATABASE     USER        ADDRESS         METHOD
local   all          postgres                    trust
local   replication  postgres                    trust
host    all          {app_user}  127.0.0.1/32    scram-sha-256
"""


def replica_settings(*, port: int, socket_dir: str) -> str:
    """Lines appended to the replica's postgresql.auto.conf (after pg_basebackup -R's
    primary_conninfo): its own port and socket directory."""
    return f"""
port = {port}
unix_socket_directories = '{socket_dir}'
hot_standby = on
"""
