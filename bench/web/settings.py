"""The production settings (config.settings, read from the environment as in production),
plus the baseline views of the web bench: mounted here only, never in config.urls."""

from __future__ import annotations

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, TEMPLATES

ROOT_URLCONF = "bench.web.urls"
TEMPLATES[0]["DIRS"] = [BASE_DIR / "templates", BASE_DIR / "bench" / "web" / "templates"]
