from __future__ import annotations

from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """The top layer: the demo seeder and the API-fuzzing fixture. They drive every other
    app through its services; no app imports them."""

    name = "devtools"
    verbose_name = "Developer tools"
