"""The read replica's decisions, without a database: which alias serves a request's reads
(core.read_replica.read_alias), which statements count as a write, how the replica's
settings are made, and where the router sends reads outside a request."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dj_database_url import DBConfig
from django.core.exceptions import ImproperlyConfigured

from core.read_replica import PRIMARY, REPLICA, lsn_parsed, read_alias, statement_writes
from core.read_replica_settings import middleware_with_replica, replica_database


@pytest.mark.parametrize(
    ("method", "path", "signed_in", "expected"),
    [
        ("GET", "/", False, REPLICA),
        ("GET", "/products/SKU00001/", False, REPLICA),
        ("HEAD", "/products/", False, REPLICA),
        ("get", "/about/reviews/", False, REPLICA),
        ("GET", "/api/v1/products/", False, REPLICA),  # anonymous or with an API key
        ("GET", "/products/SKU00001/", True, PRIMARY),  # signed in on the site
        ("GET", "/api/v1/products/", True, PRIMARY),  # the API through the site's session
        ("POST", "/products/SKU00001/review/", False, PRIMARY),
        ("POST", "/api/v1/products/SKU00001/reviews/", False, PRIMARY),
        ("PUT", "/api/v1/reviews/1/", False, PRIMARY),
        ("DELETE", "/api/v1/reviews/1/", False, PRIMARY),
        ("OPTIONS", "/api/v1/products/", False, PRIMARY),
        ("GET", "/desk/", False, PRIMARY),
        ("GET", "/admin/", False, PRIMARY),
        ("GET", "/accounts/login/", False, PRIMARY),
        ("GET", "/invitations/abc/", False, PRIMARY),
        ("GET", "/unsubscribe/abc/", False, PRIMARY),
        ("GET", "/care/reply/abc/", False, PRIMARY),
        ("GET", "/thanks/unsubscribe/abc/", False, PRIMARY),
        ("GET", "/readyz", False, PRIMARY),
    ],
)
def test_reads_go_to_the_replica_only_for_anonymous_gets_outside_the_desk(
    method: str, path: str, signed_in: bool, expected: str
) -> None:
    assert read_alias(method=method, path=path, signed_in=signed_in, cookie_lsn=None, replay_lsn=None) == expected


@pytest.mark.parametrize(
    ("cookie_lsn", "replay_lsn", "expected"),
    [
        (None, None, REPLICA),  # no write: the replica is not even asked
        ("0/16B3748", "0/16B3748", REPLICA),  # replayed exactly to the write
        ("0/16B3748", "0/16B3749", REPLICA),
        ("0/16B3748", "1/0", REPLICA),  # the high word counts first
        ("0/16B3749", "0/16B3748", PRIMARY),  # not yet replayed (or replay paused)
        ("1/0", "0/FFFFFFFF", PRIMARY),
        ("A/0", "9/FFFFFFFF", PRIMARY),  # hexadecimal, not decimal
        ("0/16B3748", None, PRIMARY),  # NULL: not in recovery, or unknown
        ("not-an-lsn", "0/16B3748", PRIMARY),  # a cookie edited by hand
        ("", "0/16B3748", PRIMARY),
        ("0/16B3748/1", "1/0", PRIMARY),
        ("123456789/0", "FFFFFFFF/0", PRIMARY),  # more than 32 bits: not an LSN
        ("0/16B3748", "garbage", PRIMARY),
    ],
)
def test_a_writer_reads_the_replica_only_once_it_replayed_past_the_write(
    cookie_lsn: str | None, replay_lsn: str | None, expected: str
) -> None:
    page = read_alias(
        method="GET", path="/products/SKU00001/", signed_in=False, cookie_lsn=cookie_lsn, replay_lsn=replay_lsn
    )
    assert page == expected


def test_the_cookie_never_sends_a_signed_in_visitor_or_a_post_to_the_replica() -> None:
    replayed = {"cookie_lsn": "0/1", "replay_lsn": "5/0"}
    assert read_alias(method="GET", path="/", signed_in=True, **replayed) == PRIMARY
    assert read_alias(method="POST", path="/", signed_in=False, **replayed) == PRIMARY


def test_lsn_parsed_orders_positions_as_postgresql_does() -> None:
    assert lsn_parsed("0/0") == 0
    assert lsn_parsed("1/0") == 1 << 32
    assert lsn_parsed("16/b374d848") == (0x16 << 32) | 0xB374D848
    assert lsn_parsed(None) is None
    assert lsn_parsed(" 0/1") is None


UNREPLICATED = frozenset({"django_session", "reviewgate_cache", "core_ratelimitcounter"})


@pytest.mark.parametrize(
    ("sql", "writes"),
    [
        ('SELECT "products_product"."id" FROM "products_product"', False),
        ("  select 1", False),
        ('SELECT ... FROM "reviews_review" FOR UPDATE', False),
        ('SAVEPOINT "s1"', False),
        ('RELEASE SAVEPOINT "s1"', False),
        ('ROLLBACK TO SAVEPOINT "s1"', False),
        ("SELECT pg_current_wal_lsn()::text", False),
        ('INSERT INTO "reviews_review" ("rating") VALUES (%s)', True),
        ('UPDATE "products_product" SET "review_count" = "review_count" + 1', True),
        ('DELETE FROM "reviews_reviewvote" WHERE "id" = %s', True),
        ("insert into reviews_review (rating) values (5)", True),
        ("WITH moved AS (UPDATE x SET y = 1 RETURNING id) SELECT * FROM moved", True),
        ("COPY reviews_review FROM STDIN", True),
        ("TRUNCATE reviews_review", True),
        # Tables the replica never serves: no cookie for them.
        ('INSERT INTO "django_session" ("session_key") VALUES (%s)', False),
        ('UPDATE "django_session" SET "expire_date" = %s', False),
        ('DELETE FROM "reviewgate_cache" WHERE "cache_key" = %s', False),
        ("INSERT INTO core_ratelimitcounter (scope) VALUES (%s) ON CONFLICT DO UPDATE", False),
    ],
)
def test_statement_writes(sql: str, writes: bool) -> None:
    assert statement_writes(sql, unreplicated_tables=UNREPLICATED) is writes


PG_PRIMARY: DBConfig = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "reviewgate",
    "CONN_MAX_AGE": 60,
    "CONN_HEALTH_CHECKS": True,
    "OPTIONS": {"connect_timeout": 3},
}


def test_the_replica_is_connected_to_as_the_primary_is() -> None:
    replica = replica_database("postgres://reader:secret@replica.internal:5433/reviewgate", primary=PG_PRIMARY)
    assert replica["ENGINE"] == "django.db.backends.postgresql"
    assert (replica["HOST"], replica["PORT"], replica["USER"]) == ("replica.internal", 5433, "reader")
    assert replica["CONN_MAX_AGE"] == 60
    assert replica["CONN_HEALTH_CHECKS"] is True
    assert replica["OPTIONS"] == {"connect_timeout": 3}
    assert replica["TEST"] == {"MIRROR": "default"}


def test_the_replica_url_may_add_options_of_its_own() -> None:
    replica = replica_database("postgres://r@replica/reviewgate?sslmode=require", primary=PG_PRIMARY)
    assert replica["OPTIONS"] == {"connect_timeout": 3, "sslmode": "require"}
    assert PG_PRIMARY["OPTIONS"] == {"connect_timeout": 3}  # the primary's dict is left alone


def test_a_replica_needs_a_postgresql_primary_and_a_postgresql_url() -> None:
    sqlite_primary: DBConfig = {"ENGINE": "django.db.backends.sqlite3", "NAME": "db.sqlite3"}
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL is not a PostgreSQL database"):
        replica_database("postgres://r@replica/reviewgate", primary=sqlite_primary)
    with pytest.raises(ImproperlyConfigured, match="must be a postgres:// URL"):
        replica_database("sqlite:///replica.sqlite3", primary=PG_PRIMARY)


def test_the_middleware_goes_right_after_authentication() -> None:
    auth = "django.contrib.auth.middleware.AuthenticationMiddleware"
    assert middleware_with_replica(["a", auth, "b"]) == [
        "a",
        auth,
        "core.read_replica_middleware.ReadReplicaMiddleware",
        "b",
    ]
    with pytest.raises(ImproperlyConfigured):
        middleware_with_replica(["a", "b"])


REPO = Path(__file__).resolve().parents[2]
_SHOW_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
    "'core.read_replica_middleware.ReadReplicaMiddleware' in settings.MIDDLEWARE)"
)


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}}
    return subprocess.run(
        [sys.executable, "-c", _SHOW_SETTINGS],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_without_database_replica_url_nothing_is_installed() -> None:
    result = _settings_with()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] [] False"


def test_with_database_replica_url_the_alias_router_and_middleware_are_installed() -> None:
    result = _settings_with(
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/primary",
        DATABASE_REPLICA_URL="postgres://u:p@127.0.0.1:5433/primary",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default', 'replica'] ['core.db_router.ReplicaRouter'] True"


def test_database_replica_url_beside_sqlite_stops_the_start_up() -> None:
    result = _settings_with(DATABASE_REPLICA_URL="postgres://u:p@127.0.0.1:5433/primary")
    assert result.returncode != 0
    assert "DATABASE_URL is not a PostgreSQL database" in result.stderr
