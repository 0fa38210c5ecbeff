from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TopicsConfig(AppConfig):
    """What customers talk about: each review tagged with its topics by phrase lists that
    quality directors edit, teams that subscribe to topics and categories, and their daily
    digests (docs/topics.md)."""

    name = "topics"
    verbose_name = _("Topics")
