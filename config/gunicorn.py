"""gunicorn's configuration: `gunicorn -c config/gunicorn.py` (docs/health-and-metrics.md,
docs/logging.md).

Command-line options and GUNICORN_CMD_ARGS still override what is set here; the bind
address and the number of workers are the deployment's (GUNICORN_BIND, WEB_CONCURRENCY).

Metrics with several worker processes: each process counts its own requests, and a scrape
lands on one of them. With PROMETHEUS_MULTIPROC_DIR set (an empty directory of this server's
own, writable, set in the environment before gunicorn starts, so every worker's
prometheus_client writes its values there), /metrics sums every process' files
(ops.views.metrics_text). The master empties the directory at start (files of a previous
run would be counted again) and, when a worker exits, marks its gauges dead.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

# gunicorn reads this file by path, before it puts its working directory on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Gunicorn's own lines (boot, worker exits, access) in LOG_FORMAT, beside the app's (docs/logging.md).
from core.gunicorn_logging import access_log_format, logconfig_dict  # noqa: F401

wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A worker silent this long is killed and replaced (its metrics then marked dead, below).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
accesslog = "-"


def _multiprocess_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    return Path(value) if value else None


def on_starting(server: Any) -> None:
    """Before the first worker: a directory of our own, emptied of a previous run's files."""
    directory = _multiprocess_dir()
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server: Any, worker: Any) -> None:
    """A worker exited (restarted, killed): its live gauges no longer count."""
    if _multiprocess_dir() is None:
        return
    from prometheus_client import multiprocess  # noqa: PLC0415 - only in multi-process mode

    multiprocess.mark_process_dead(worker.pid)
