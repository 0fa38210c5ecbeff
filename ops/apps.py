from __future__ import annotations

from django.apps import AppConfig

from ops.db_metrics import db_metrics_install


class OpsConfig(AppConfig):
    """Health probes and metrics (docs/health-and-metrics.md)."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        db_metrics_install()
