"""The project's cache backends, counting gets, hits and misses for /metrics with
django-prometheus' metric objects (django_cache_get_*_total, label ``backend``).

django-prometheus' own backends do not fit ours: its Redis one subclasses django-redis
(not installed; we use Django's RedisCache) and it has none for the database cache, the
default without Redis. The settings swap Django's two classes for these subclasses
(config/settings.py, "Health and metrics"); nothing else changes.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django_prometheus.cache.metrics import (
    django_cache_get_fail_total,
    django_cache_get_total,
    django_cache_hits_total,
    django_cache_misses_total,
)

_MISSING = object()


class CountedGets:
    backend_label = "unknown"

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        django_cache_get_total.labels(backend=self.backend_label).inc()
        try:
            value = super().get(key, _MISSING, version)  # type: ignore[misc]
        except Exception:
            django_cache_get_fail_total.labels(backend=self.backend_label).inc()
            raise
        if value is _MISSING:
            django_cache_misses_total.labels(backend=self.backend_label).inc()
            return default
        django_cache_hits_total.labels(backend=self.backend_label).inc()
        return value


class RedisCache(CountedGets, DjangoRedisCache):
    backend_label = "redis"


class DatabaseCache(CountedGets, DjangoDatabaseCache):
    backend_label = "database"
