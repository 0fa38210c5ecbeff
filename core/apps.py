from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: errors, HTTP and API plumbing, rate limits, validators and the
    domain-event registry that every app may use and that imports no app of ours."""

    name = "core"
    verbose_name = "Core"
