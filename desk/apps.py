from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "desk"
    verbose_name = _("Product manager's desk")

    def ready(self) -> None:
        # Moderation's emails to a guest author are completed at delivery (desk.outcome_emails).
        from desk.outcome_emails import (  # noqa: PLC0415 - Django's ready(): models loaded first
            outcome_emails_anonymising_handle,
            outcome_emails_register,
        )
        from orders.events import orders_anonymising  # noqa: PLC0415 - Django's ready(): models loaded first

        outcome_emails_register()
        orders_anonymising.subscribe(outcome_emails_anonymising_handle)
