from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("REVIEWGATE_SHARED_DIR", REPO_ROOT.parent / "shared"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-slow",
        action="store_true",
        default=os.environ.get("RUN_SLOW", "") not in ("", "0"),
        help="run the slow replays of the shared data (CI runs them on PostgreSQL)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow replay: run with --run-slow (CI does, on PostgreSQL)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def shared_path(*parts: str) -> Path:
    """A file under ../shared; missing, the test skips outside CI and fails in CI."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI must have ../shared beside the checkout")
        pytest.skip(f"{path} is missing (../shared is only beside the checkout in CI)")
    return path


@pytest.fixture(autouse=True)
def _plain_http_and_eager_tasks(settings: object) -> None:
    """Tests talk plain HTTP to the test client and live server, and run tasks in-process
    unless a test starts a real worker (see the `celery_worker` fixture)."""
    settings.SECURE_SSL_REDIRECT = False  # type: ignore[attr-defined]
    settings.SESSION_COOKIE_SECURE = False  # type: ignore[attr-defined]
    settings.CSRF_COOKIE_SECURE = False  # type: ignore[attr-defined]
    settings.SECURE_HSTS_SECONDS = 0  # type: ignore[attr-defined]
    # Password hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
