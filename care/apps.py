from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    """Customer care: a case for every unhappy reviewer, contact through the platform,
    the recommend score's figures and the thanks emails (docs/care.md)."""

    name = "care"
    verbose_name = _("Customer care")

    def ready(self) -> None:
        # Imported here: these modules import models, which the registry loads first (Django's rule).
        from care.emails import care_emails_register  # noqa: PLC0415 - Django's ready(): models loaded first
        from care.erasure import orders_anonymising_handle  # noqa: PLC0415 - Django's ready(): models loaded first
        from care.services import review_changed_handle  # noqa: PLC0415 - Django's ready(): models loaded first
        from care.thanks import thanks_emails_register  # noqa: PLC0415 - Django's ready(): models loaded first
        from orders.events import orders_anonymising  # noqa: PLC0415 - Django's ready(): models loaded first
        from reviews.events import review_changed  # noqa: PLC0415 - Django's ready(): models loaded first

        review_changed.subscribe(review_changed_handle)
        orders_anonymising.subscribe(orders_anonymising_handle)
        care_emails_register()
        thanks_emails_register()
