from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and webhooks"

    def ready(self) -> None:
        # Loading the Celery app with Django makes `@shared_task` bind to it in every
        # process (web, commands, tests), not to Celery's default app.
        import config.celery_app  # noqa: F401
