from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications and webhooks"

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which the app
        # registry must have loaded first (Django's rule for ready()); not to dodge a cycle.
        from accounts.events import password_changed
        from notifications.accounts import password_changed_email

        password_changed.subscribe(password_changed_email)
