from __future__ import annotations

from django.apps import AppConfig


class ApiKeysConfig(AppConfig):
    name = "apikeys"
    verbose_name = "API keys"

    def ready(self) -> None:
        # Registers the OpenAPI description of the Api-Key scheme with drf-spectacular:
        # importing the extension's module in ready() is drf-spectacular's documented way
        # (the class registers itself when defined), and it must wait for the app registry.
        from apikeys import schema  # noqa: F401, PLC0415 - drf-spectacular's extension registration
