from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and webhooks"

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which the app
        # registry must have loaded first (Django's rule for ready()); not to dodge a cycle.
        from notifications.accounts import account_emails_subscribe  # noqa: PLC0415 - Django's ready(): models loaded first

        account_emails_subscribe()
