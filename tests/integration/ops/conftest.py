from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# A secret that must never appear in /readyz, whatever fails: every URL and password the
# failure tests configure carries it.
SECRET = "hunter2-Zq81-secret"

FILESYSTEM_FOLDERS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def filesystem_broker(settings: Any, root: Path) -> None:
    """The default configuration's broker (no server), in folders of this test."""
    options = {}
    for key in FILESYSTEM_FOLDERS:
        folder = root / "broker" / key
        folder.mkdir(parents=True, exist_ok=True)
        options[key] = str(folder)
    settings.CELERY_BROKER_URL = "filesystem://localhost//"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {**options, "store_processed": False}


@pytest.fixture
def services_ok(settings: Any, tmp_path: Path) -> None:
    """Every service answers: a local-memory cache, the filesystem broker, tasks eager (no
    workers to ask). Each failure test then breaks one thing."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    filesystem_broker(settings, tmp_path)
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def any_alias_in_threads() -> Iterator[None]:
    """Lets the checks' threads connect to an alias added during the test (the replica).

    Django's test cases refuse a connection to an alias the test did not declare, and the
    replica alias only exists once the test adds it. The refusal is a patch of
    BaseDatabaseWrapper.ensure_connection holding the real one in its closure: put that back
    for the test."""
    from django.db.backends.base.base import BaseDatabaseWrapper

    patched = BaseDatabaseWrapper.ensure_connection
    real = next(
        cell.cell_contents
        for cell in patched.__closure__ or ()
        if callable(cell.cell_contents) and getattr(cell.cell_contents, "__name__", "") == "ensure_connection"
    )
    BaseDatabaseWrapper.ensure_connection = real  # type: ignore[method-assign]
    try:
        yield
    finally:
        BaseDatabaseWrapper.ensure_connection = patched  # type: ignore[method-assign]


def closed_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections (the kernel's backlog) and never answers a byte:
    a hung Redis or PostgreSQL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        yield int(sock.getsockname()[1])
