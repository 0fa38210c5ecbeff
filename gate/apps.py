from __future__ import annotations

from django.apps import AppConfig


class GateConfig(AppConfig):
    name = "gate"
    verbose_name = "Quality gate"

    def ready(self) -> None:
        # Imported here, not at the top: they load models, which Django allows only once
        # the app registry is ready.
        from gate.services.history import GateHistory  # noqa: PLC0415 - models load after ready
        from reviews.history_import import history_keeper_register  # noqa: PLC0415 - as above

        # The reviews app imports history without importing the gate: the gate keeps it.
        history_keeper_register(GateHistory.from_settings)
