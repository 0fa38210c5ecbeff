from __future__ import annotations

from django.apps import AppConfig

# Loading the Celery app with Django makes `@shared_task` bind to it in every process
# (web, commands, tests), not to Celery's default app. It is loaded here, with the app
# registry, rather than in config/__init__.py, so that importing the settings alone (as
# `manage.py gate_backtest` does) stays light.
from config import celery_app  # noqa: F401


class ConfigConfig(AppConfig):
    """The wiring (settings, URLs, the Celery app, WSGI): no app imports it."""

    name = "config"
    verbose_name = "Configuration"
