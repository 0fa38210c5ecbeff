from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Health probes and metrics (docs/health-and-metrics.md)."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        from ops.db_metrics import db_metrics_install

        db_metrics_install()
