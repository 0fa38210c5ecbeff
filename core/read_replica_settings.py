"""``DATABASES["replica"]`` from ``DATABASE_REPLICA_URL`` (config/settings.py, "Read replica").

The replica is connected to exactly as the primary is (how long a connection is kept, its
health check, the connect timeout that makes an unreachable server answer within seconds),
so it is parsed here from the primary's settings. Only PostgreSQL has one: a streaming
replica of a PostgreSQL primary. Anything else stops the start-up with the reason, rather
than routing reads to a database that does not follow the primary.
"""

from __future__ import annotations

import copy

import dj_database_url
from dj_database_url import DBConfig
from django.core.exceptions import ImproperlyConfigured

POSTGRESQL = "django.db.backends.postgresql"
REPLICA_ALIAS = "replica"
REPLICA_ROUTER = "core.db_router.ReplicaRouter"
REPLICA_MIDDLEWARE = "core.read_replica_middleware.ReadReplicaMiddleware"
# It needs request.user, so it comes after this one.
AFTER_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


def replica_database(url: str, *, primary: DBConfig) -> DBConfig:
    """The replica's DATABASES entry; tests run it as a mirror of the primary's test database."""
    if primary.get("ENGINE") != POSTGRESQL:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL is set but DATABASE_URL is not a PostgreSQL database: a read replica "
            "is a PostgreSQL streaming replica of a PostgreSQL primary. Unset DATABASE_REPLICA_URL."
        )
    replica = dj_database_url.parse(
        url,
        conn_max_age=primary.get("CONN_MAX_AGE", 0),
        conn_health_checks=primary.get("CONN_HEALTH_CHECKS", False),
    )
    if replica.get("ENGINE") != POSTGRESQL:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must be a postgres:// URL (a streaming replica of the primary)."
        )
    # The primary's options (connect_timeout...), then any the replica's URL adds itself.
    replica["OPTIONS"] = {**copy.deepcopy(primary.get("OPTIONS", {})), **replica.get("OPTIONS", {})}
    replica["TEST"] = {"MIRROR": "default"}
    return replica


def middleware_with_replica(middleware: list[str]) -> list[str]:
    """The middleware list with the replica's, right after authentication."""
    if AFTER_MIDDLEWARE not in middleware:
        raise ImproperlyConfigured(f"{REPLICA_MIDDLEWARE} needs {AFTER_MIDDLEWARE} before it in MIDDLEWARE.")
    position = middleware.index(AFTER_MIDDLEWARE) + 1
    return [*middleware[:position], REPLICA_MIDDLEWARE, *middleware[position:]]
