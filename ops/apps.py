from __future__ import annotations

import os

from django.apps import AppConfig

from ops.db_metrics import db_metrics_install


class OpsConfig(AppConfig):
    """Health probes and metrics (docs/health-and-metrics.md)."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        # In multi-process mode prometheus_client writes every counter to a file in this
        # directory, and fails (every query would, through db_metrics) when it is missing:
        # gunicorn's config makes it, a worker or command started with the variable may not.
        multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
        if multiproc_dir:
            os.makedirs(multiproc_dir, exist_ok=True)
        db_metrics_install()
