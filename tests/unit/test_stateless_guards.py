"""Guards of the stateless web (docs/deploy.md, "Nothing lives on one web server"): the
application's code never writes uploaded files around the storage API, and never reads the
client's address except through core.client_address (so every limit behind the load
balancer keys on the address the trusted proxies report, never on a header a client wrote)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The project's own apps (config/settings.py's, bottom layer first), and the config package.
APPS = (
    *("core", "accounts", "apikeys", "notifications", "products", "orders", "reviews"),
    *("gate", "care", "topics", "storefront", "desk", "devtools", "config"),
)


def app_sources() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and "tests" not in path.parts
    ]


def offenders(pattern: str, *, allowed: set[str]) -> list[str]:
    found = []
    for path in app_sources():
        name = str(path.relative_to(ROOT))
        if name in allowed:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


def test_there_is_code_to_check() -> None:
    assert len(app_sources()) > 100


@pytest.mark.parametrize(
    ("pattern", "allowed", "why"),
    [
        (
            r"MEDIA_ROOT",
            {"config/settings.py"},
            "uploaded files go through default_storage (the bucket with several web servers), "
            "never a path under MEDIA_ROOT",
        ),
        (
            # As code reads them (a string key), not as comments name them.
            r"""["'](REMOTE_ADDR|HTTP_X_FORWARDED_FOR|X-Forwarded-For|HTTP_X_REAL_IP|X-Real-IP)["']""",
            # The cluster test sends a forged header to prove the servers ignore it.
            {"core/client_address.py", "devtools/cluster/scenario.py"},
            "the client's address comes from core.client_address (TRUSTED_PROXY_COUNT)",
        ),
    ],
)
def test_state_and_addresses_go_through_their_one_door(pattern: str, allowed: set[str], why: str) -> None:
    assert offenders(pattern, allowed=allowed) == [], why
