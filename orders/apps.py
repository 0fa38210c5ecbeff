from __future__ import annotations

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Orders and review invitations"

    def ready(self) -> None:
        # Imported here, not at the top: orders.emails imports models, which the app
        # registry must have loaded first (Django's rule for ready()); not to dodge a cycle.
        from orders.emails import invitation_emails_register  # noqa: PLC0415 - Django's ready(): models loaded first

        invitation_emails_register()
