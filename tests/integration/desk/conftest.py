"""Fixtures of the desk's tests: people in their roles (make_user: tests/conftest.py) and
flagged products (see factories)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import User
from accounts.roles import MODERATOR, PRODUCT_MANAGER, QUALITY_DIRECTOR, SHOPPER
from tests.integration.desk.factories import (
    DESK_SETTINGS,
    Stories,
    Story,
    flagged_story,
    gate_catch_up,
    story_reload,
)


@pytest.fixture(autouse=True)
def _desk_settings(settings: Any) -> None:
    for name, value in DESK_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture
def manager(make_user: Callable[..., User]) -> User:
    return make_user(PRODUCT_MANAGER, display_name="Julia")


@pytest.fixture
def other_manager(make_user: Callable[..., User]) -> User:
    return make_user(PRODUCT_MANAGER, display_name="Otto")


@pytest.fixture
def director(make_user: Callable[..., User]) -> User:
    return make_user(QUALITY_DIRECTOR, language="fr", display_name="Marc")


@pytest.fixture
def moderator(make_user: Callable[..., User]) -> User:
    return make_user(MODERATOR, display_name="Inès")


@pytest.fixture
def shopper(make_user: Callable[..., User]) -> User:
    return make_user(SHOPPER, display_name="Alex")


@pytest.fixture
def story(manager: User, director: User) -> Story:
    return flagged_story(managers=[manager])


@pytest.fixture
def withdrawn_story(manager: User, director: User) -> Story:
    return flagged_story(managers=[manager], flag_days_ago=5)


@pytest.fixture
def stories(manager: User, other_manager: User, director: User) -> Stories:
    """An open notice and a withdrawn one of `manager`, an open one of `other_manager`."""
    opened = flagged_story(managers=[manager], flag_days_ago=2, catch_up=False)
    withdrawn = flagged_story(managers=[manager], flag_days_ago=5, catch_up=False)
    other = flagged_story(managers=[other_manager], flag_days_ago=1, catch_up=False)
    gate_catch_up()
    return Stories(open=story_reload(opened), withdrawn=story_reload(withdrawn), other=story_reload(other))
