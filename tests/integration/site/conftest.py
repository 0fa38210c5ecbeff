from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _no_rate_limit_counters_from_other_tests() -> None:
    """Rate-limit counters live in the default cache: the database cache rolls back with each
    test, but Redis (CI) keeps them across tests, so every test here starts with none."""
    cache.clear()
