"""The cluster test's configuration files (devtools/cluster/configs.py)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from devtools.cluster.configs import (
    Backend,
    haproxy_config,
    pg_hba,
    postgres_primary_settings,
    replica_settings,
)
from devtools.cluster.haproxy import parse_show_stat

BACKENDS = [Backend("web1", 8001), Backend("web2", 8002)]


def test_haproxy_balances_round_robin_over_every_backend_on_loopback():
    config = haproxy_config(port=9000, backends=BACKENDS, stats_socket="/tmp/s.sock")
    assert "bind 127.0.0.1:9000" in config
    assert "balance roundrobin" in config
    assert "server web1 127.0.0.1:8001 check" in config
    assert "server web2 127.0.0.1:8002 check" in config


def test_haproxy_tells_the_servers_the_client_address_and_checks_their_health_fast():
    config = haproxy_config(port=9000, backends=BACKENDS, stats_socket="/tmp/s.sock")
    assert "option forwardfor" in config
    assert "http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1" in config
    # A dead server leaves after two failed checks half a second apart.
    assert "inter 500ms" in config and "fall 2" in config


def test_haproxy_retries_only_reads_on_another_server():
    config = haproxy_config(port=9000, backends=BACKENDS, stats_socket="/tmp/s.sock")
    assert "option redispatch" in config
    assert "retry-on all-retryable-errors" in config
    assert "http-request disable-l7-retry unless METH_GET" in config


def test_haproxy_check_path_can_be_changed():
    config = haproxy_config(port=9000, backends=BACKENDS, stats_socket="/tmp/s.sock", check_path="/readyz")
    assert "uri /readyz " in config


def test_haproxy_refuses_no_backend():
    with pytest.raises(ValueError, match="at least one backend"):
        haproxy_config(port=9000, backends=[], stats_socket="/tmp/s.sock")


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy not installed")
def test_haproxy_accepts_the_configuration(tmp_path):
    path = tmp_path / "haproxy.cfg"
    path.write_text(haproxy_config(port=9000, backends=BACKENDS, stats_socket=str(tmp_path / "s.sock")))
    result = subprocess.run(["haproxy", "-c", "-f", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_primary_streams_to_a_replica_and_listens_on_loopback_only():
    settings = postgres_primary_settings(port=5999, socket_dir="/tmp/rg/sock")
    assert "wal_level = replica" in settings
    assert "max_wal_senders = 4" in settings
    assert "listen_addresses = '127.0.0.1'" in settings
    assert "port = 5999" in settings
    assert "unix_socket_directories = '/tmp/rg/sock'" in settings
    # pg_basebackup refuses a primary without full-page writes: never switched off.
    assert "full_page_writes" not in settings


def test_pg_hba_allows_replication_over_the_socket_and_the_app_by_password_on_loopback():
    lines = [line.split() for line in pg_hba(app_user="reviewgate").splitlines() if not line.startswith("#")]
    assert ["local", "replication", "postgres", "trust"] in lines
    assert ["host", "all", "reviewgate", "127.0.0.1/32", "scram-sha-256"] in lines
    # Nothing else reaches the server over TCP.
    assert [line for line in lines if line[0] == "host"] == [
        ["host", "all", "reviewgate", "127.0.0.1/32", "scram-sha-256"]
    ]


def test_replica_gets_its_own_port_and_socket():
    settings = replica_settings(port=6001, socket_dir="/tmp/rg/replica")
    assert "port = 6001" in settings
    assert "unix_socket_directories = '/tmp/rg/replica'" in settings
    assert "hot_standby = on" in settings


SHOW_STAT = """\
# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight
site,FRONTEND,,,0,1,512,3,0,0,0,0,0,,,,,OPEN,
web,web1,0,0,0,1,,2,0,0,,0,,0,0,0,0,DOWN,1
web,web2,0,0,0,1,,1,0,0,,0,,0,0,0,0,UP,1
web,BACKEND,0,0,0,1,52,3,0,0,0,0,,0,0,0,0,UP,1
"""


def test_show_stat_gives_each_server_status_of_the_backend():
    assert parse_show_stat(SHOW_STAT, backend="web") == {"web1": "DOWN", "web2": "UP"}


def test_show_stat_without_its_header_gives_nothing():
    assert parse_show_stat("", backend="web") == {}
    assert parse_show_stat("Unknown command\n", backend="web") == {}
