"""One world per test module: built once in a transaction that is rolled back at the end;
each test runs in a savepoint inside it (pytest-django's ``db``), and each request of the
matrix in one more, so no cell sees what another one wrote."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from tests.integration.access.world import World, world_build
from tests.integration.desk.factories import DESK_SETTINGS

MATRIX_SETTINGS: dict[str, Any] = {
    **DESK_SETTINGS,
    # A manager's improvement waits for a quality director: the approval routes are live.
    "GATE_IMPROVEMENT_APPROVAL": "director",
    "RATELIMIT_ENABLED": False,  # the site's action limits: tests/integration/ratelimits/
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
}


@pytest.fixture(scope="module")
def world_media(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Where the world's photos and product image are stored, for the whole module."""
    return str(tmp_path_factory.mktemp("world-media"))


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any, world_media: str) -> Iterator[World]:
    rest = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "api_key": "100000/min"},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(**MATRIX_SETTINGS, REST_FRAMEWORK=rest, MEDIA_ROOT=world_media),
        transaction.atomic(),
    ):
        built = world_build()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _matrix_settings(settings: Any, world_media: str) -> None:
    """The module's settings again for each test (tests/conftest.py's own autouse
    fixtures set some of them per test, the media folder among them)."""
    for name, value in MATRIX_SETTINGS.items():
        setattr(settings, name, value)
    settings.MEDIA_ROOT = world_media
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "api_key": "100000/min"},
    }
