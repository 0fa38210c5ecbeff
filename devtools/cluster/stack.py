"""Everything the cluster test starts, in order, each on a free port of 127.0.0.1 and in the
run's directory: PostgreSQL primary and replica, Redis, the webhook receiver, the schema and
seed, two gunicorn servers behind HAProxy, and two Celery workers on different queues."""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from devtools.cluster import postgres
from devtools.cluster.configs import Backend, haproxy_config
from devtools.cluster.haproxy import server_states
from devtools.cluster.processes import Proc, Processes, free_port, log, run, wait_for
from devtools.cluster.receiver import Receiver

REPO = Path(__file__).resolve().parents[2]
# Worker A runs the gate's day and the emails; worker B only delivers webhooks, so a slow
# receiver never holds up the gate (settings.WORKER_QUEUES).
WORKER_A_QUEUES = "gate,default,email"
WORKER_B_QUEUES = "webhooks"
GRACE_DAYS = 3


def _redis_ping(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")


def _answers(url: str) -> bool:
    return requests.get(url, timeout=2).status_code < 500


@dataclass
class Stack:
    root: Path
    processes: Processes
    check_path: str = "/healthz"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    db_password: str = field(default_factory=lambda: secrets.token_hex(16))
    primary: postgres.Server | None = None
    replica: postgres.Server | None = None
    redis_port: int = 0
    receiver: Receiver | None = None
    webs: dict[str, Proc] = field(default_factory=dict)
    web_ports: dict[str, int] = field(default_factory=dict)
    workers: dict[str, Proc] = field(default_factory=dict)
    haproxy_port: int = 0
    stats_socket: str = ""
    seeded: dict[str, Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.haproxy_port}"

    # --- the environment of every Django process ------------------------------------------
    def env(self, **extra: str) -> dict[str, str]:
        assert self.primary and self.replica
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_", "REDIS_", "CACHE_"))}
        env.update({
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(REPO),
            # Production settings over plain http on 127.0.0.1 (devtools/run.py's demo_environ).
            "DEBUG": "0",
            "SECRET_KEY": "cluster-" + self.password + self.db_password,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "LANGUAGE_COOKIE_SECURE": "0",
            "SITE_URL": self.base,
            "DATABASE_URL": self.primary.url(self.db_password),
            "DATABASE_REPLICA_URL": self.replica.url(self.db_password),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_FORMAT": "json",
            "REVIEWGATE_VAR_DIR": str(self.root / "var"),
            # Emails are "sent" into the worker's memory: the outbox records them sent.
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            # The scenario posts and reads from one address (127.0.0.1) faster than a person.
            "RATELIMIT_ENABLED": "0",
            "API_THROTTLE_ANON": "100000/min",
            "API_THROTTLE_USER": "100000/min",
            # A message whose worker was killed mid-send goes out again within the run.
            "OUTBOX_CLAIM_LEASE_SECONDS": "10",
            # The seed's bad products are flagged six days ago, withdrawn three days later:
            # inside GATE_NOTIFY_DAYS (7), so the events send emails and webhooks.
            "GATE_GRACE_DAYS": str(GRACE_DAYS),
        })  # fmt: skip
        env.update(extra)
        return env

    def manage(self, *args: str, timeout: float = 300) -> str:
        return run([sys.executable, "manage.py", *args], env=self.env(), cwd=REPO, timeout=timeout,
                   log_path=self.root / "logs" / "manage.log")  # fmt: skip

    # --- the parts -------------------------------------------------------------------------
    def databases(self) -> None:
        self.primary = postgres.primary_start(self.processes, root=self.root, password=self.db_password)
        self.replica = postgres.replica_start(self.processes, root=self.root, primary=self.primary)

    def redis(self) -> None:
        self.redis_port = free_port()
        proc = self.processes.start("redis", ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                                              "--save", "", "--appendonly", "no", "--dir", str(self.root)])  # fmt: skip
        wait_for("redis", lambda: _redis_ping(self.redis_port), seconds=20, process=proc)
        log(f"Redis on 127.0.0.1:{self.redis_port}")

    def webhook_receiver(self) -> None:
        self.receiver = Receiver()
        self.receiver.start()
        log(f"webhook receiver on {self.receiver.url}")

    def schema_and_seed(self) -> None:
        # Ports of HAProxy chosen now: SITE_URL (links in emails) names it.
        self.haproxy_port = free_port()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        assert self.receiver
        out = self.root / "seeded.json"
        run([sys.executable, "-m", "devtools.cluster.django_side", "seed", str(out)],
            env=self.env(CLUSTER_RECEIVER_URL=self.receiver.url, CLUSTER_PASSWORD=self.password),
            cwd=REPO, log_path=self.root / "logs" / "seed.log")  # fmt: skip
        self.seeded = json.loads(out.read_text())
        self.receiver.secret = str(self.seeded["webhook_secret"])
        log(f"migrated and seeded: {self.seeded['products']} products, {self.seeded['reviews']} reviews")

    def web(self, name: str) -> None:
        port = free_port()
        metrics_dir = self.root / f"prometheus-{name}"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir()
        argv = [str(Path(sys.executable).with_name("gunicorn"))]
        if (REPO / "config" / "gunicorn.py").exists():
            argv += ["-c", str(REPO / "config" / "gunicorn.py")]
        argv += ["config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                 "--access-logfile", "-", "--error-logfile", "-", "--graceful-timeout", "5"]  # fmt: skip
        proc = self.processes.start(name, argv, env=self.env(PROMETHEUS_MULTIPROC_DIR=str(metrics_dir)), cwd=REPO)
        wait_for(name, lambda: _answers(f"http://127.0.0.1:{port}{self.check_path}"), seconds=60, process=proc)
        self.webs[name], self.web_ports[name] = proc, port
        log(f"{name}: gunicorn on 127.0.0.1:{port}")

    def load_balancer(self) -> None:
        self.stats_socket = str(self.root / "haproxy.sock")
        config = haproxy_config(
            port=self.haproxy_port,
            backends=[Backend(name, port) for name, port in self.web_ports.items()],
            stats_socket=self.stats_socket,
            check_path=self.check_path,
        )
        path = self.root / "haproxy.cfg"
        path.write_text(config)
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        run([haproxy, "-c", "-q", "-f", str(path)], log_path=self.root / "logs" / "haproxy-check.log")
        proc = self.processes.start("haproxy", [haproxy, "-f", str(path), "-db"])
        wait_for("haproxy with every server up",
                 lambda: all(s.startswith("UP") for s in server_states(self.stats_socket).values()),
                 seconds=30, process=proc)  # fmt: skip
        log(f"HAProxy on {self.base}, round robin over {', '.join(self.web_ports)}")

    def worker(self, name: str, queues: str) -> Proc:
        argv = [sys.executable, "-m", "celery", "-A", "config.celery_app", "worker", "-Q", queues,
                "-n", f"{name}@127.0.0.1", "--concurrency", "2", "--without-mingle", "--without-gossip",
                "--loglevel", "INFO"]  # fmt: skip
        proc = self.processes.start(name, argv, env=self.env(), cwd=REPO)
        wait_for(name, lambda: re.search(r"\bready\.", proc.log_path.read_text(errors="replace")),
                 seconds=60, process=proc)  # fmt: skip
        self.workers[name] = proc
        log(f"{name}: Celery worker on queues {queues}")
        return proc

    def start_all(self) -> None:
        self.databases()
        self.redis()
        self.webhook_receiver()
        self.schema_and_seed()
        self.web("web1")
        self.web("web2")
        self.load_balancer()
        self.worker("worker-a", WORKER_A_QUEUES)
        self.worker("worker-b", WORKER_B_QUEUES)
