from __future__ import annotations

from django.apps import AppConfig

from core.url_converters import register_sku_converter


class CoreConfig(AppConfig):
    """The bottom layer: errors, HTTP and API plumbing, rate limits, validators and the
    domain-event registry that every app may use and that imports no app of ours."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # URLconfs are imported lazily, after every app is ready: registering here means
        # `<sku:...>` exists whichever URLconf (or test) is loaded first.
        register_sku_converter()
