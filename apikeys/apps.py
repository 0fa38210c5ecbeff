from __future__ import annotations

from django.apps import AppConfig


class ApiKeysConfig(AppConfig):
    name = "apikeys"
    verbose_name = "API keys"

    def ready(self) -> None:
        # Registers the OpenAPI description of the Api-Key scheme with drf-spectacular.
        from apikeys import schema  # noqa: F401
