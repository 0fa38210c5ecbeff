from __future__ import annotations

from django.apps import AppConfig


class GateConfig(AppConfig):
    name = "gate"
    verbose_name = "Quality gate"
