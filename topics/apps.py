from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    """What customers talk about: each review tagged with its topics by phrase lists that
    quality directors edit, teams that subscribe to topics and categories, and their daily
    digests (docs/topics.md)."""

    name = "topics"
    verbose_name = _("Topics")

    def ready(self) -> None:
        # Imported here: these modules import models, which the registry loads first (Django's rule).
        from reviews.events import review_changed  # noqa: PLC0415 - Django's ready(): models loaded first
        from topics.digests import team_digest_emails_register  # noqa: PLC0415 - Django's ready(): models loaded first
        from topics.services import review_changed_handle  # noqa: PLC0415 - Django's ready(): models loaded first

        review_changed.subscribe(review_changed_handle)
        team_digest_emails_register()
