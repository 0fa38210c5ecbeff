from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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


PLAIN_HTTP = {
    "SECURE_SSL_REDIRECT": False,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "SECURE_HSTS_SECONDS": 0,
}


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Generator[Any]:
    """pytest-django's live server, started with plain-HTTP settings.

    The server builds its middleware once, when it starts; SecurityMiddleware reads
    SECURE_SSL_REDIRECT then. pytest-django starts the server before the per-test settings
    fixture runs, so without this it would redirect every request to https.
    """
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    address = request.config.getvalue("liveserver") or os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    with override_settings(**PLAIN_HTTP):
        server = LiveServer(address)
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _plain_http_and_eager_tasks(settings: object) -> None:
    """Tests talk plain HTTP to the test client and the live server."""
    settings.SECURE_SSL_REDIRECT = False  # type: ignore[attr-defined]
    settings.SESSION_COOKIE_SECURE = False  # type: ignore[attr-defined]
    settings.CSRF_COOKIE_SECURE = False  # type: ignore[attr-defined]
    settings.SECURE_HSTS_SECONDS = 0  # type: ignore[attr-defined]
    # Password hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files (product images, review photos, the demo's pictures) never land in var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))  # type: ignore[attr-defined]


DAY_SECONDS = 86_400


@pytest.fixture(autouse=True)
def _rate_limit_windows_start_with_the_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test counts its rate limits from the start of a window, whatever the hour.

    Limits are fixed windows aligned on the epoch (an hour's starts at every full hour):
    a test sending a limit's worth of requests across a window's end is rightly allowed
    them twice, and failed so in CI at midnight. The limits' clock runs on, shifted to one
    second past the next midnight UTC, where every window of a period dividing a day
    starts (all the periods the project and its tests use). Tests of the windows
    themselves pass their own `now`."""
    from core import ratelimit_counters

    offset = DAY_SECONDS - time.time() % DAY_SECONDS + 1.0
    monkeypatch.setattr(ratelimit_counters, "clock", lambda: time.time() + offset)


# A test started this close to a midnight waits for it to pass (pytest_runtest_setup below).
MIDNIGHT_MARGIN_SECONDS = 120.0


def seconds_to_midnight(now: datetime, zones: Iterable[str]) -> float:
    """Seconds from ``now`` (aware) to the next midnight in any of ``zones``, counted in
    real seconds (a day of a clock change included)."""
    now_utc = now.astimezone(UTC)
    nexts = []
    for zone in zones:
        local = now.astimezone(ZoneInfo(zone))
        midnight = datetime.combine(local.date() + timedelta(days=1), dt_time.min, tzinfo=ZoneInfo(zone))
        nexts.append((midnight.astimezone(UTC) - now_utc).total_seconds())
    return min(nexts)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """No test runs across a midnight, in the site's zone or UTC.

    Many tests read "today" once and compare it with what the code read a moment later (a
    page cached under today's date, the gate's "yesterday", a notice's date); across a
    midnight the two differ and the test fails where the product is right. A sweep running
    every test just before midnight in Paris found 19 such tests; CI had already met two.
    A test that starts less than MIDNIGHT_MARGIN_SECONDS before one waits for it, at most
    once per process and midnight, before any of its fixtures is built (of any scope, so
    the rate-limit clock's fixture starts after the wait). Not covered: a test longer
    than the margin, and data a module or session fixture built before the midnight and a
    test uses after it. Tests of midnight itself inject their clock."""
    from django.conf import settings

    left = seconds_to_midnight(datetime.now(UTC), {settings.TIME_ZONE, "UTC"})
    if left < MIDNIGHT_MARGIN_SECONDS:
        time.sleep(left + 0.2)


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """A request in French (or a test's translation.activate) leaves the thread's language
    set; the next test must start in the default language whatever the order."""
    yield
    from django.utils import translation

    translation.deactivate()


from accounts.models import User  # noqa: E402
from accounts.roles import ROLES  # noqa: E402
from tests.factories import user_create  # noqa: E402


@pytest.fixture
def bursts_off(settings: object) -> None:
    """For tests that write many reviews of one product within a day for another purpose
    (query counts, figures, escaping): the burst rule (reviews.bursts) would hold them from
    the tenth on, as it must in live traffic. Burst tests keep the rule."""
    settings.REVIEW_BURST_MIN = 1_000_000  # type: ignore[attr-defined]


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """tests.factories.user_create, for tests that ask for the database through it."""
    return user_create


# Data migrations that create the role groups; a flush empties them (see below).
ROLE_MIGRATIONS = (
    "accounts.migrations.0002_roles_and_cache_table",
    "gate.migrations.0003_roles_improvement_permissions",
    "care.migrations.0002_customer_care_role",
    "products.migrations.0005_company_reader_role",
)


def roles_restore() -> None:
    """Recreates the role groups exactly as the data migrations made them."""
    from django.contrib.auth.models import Group, Permission
    from django.core.management.sql import emit_post_migrate_signal

    if not Permission.objects.exists():
        # A flush after a serialized-rollback test skips post_migrate: no permissions yet.
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    for module in ROLE_MIGRATIONS:
        for role, perms in importlib.import_module(module).ROLE_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role)
            for dotted in perms:
                app_label, codename = dotted.split(".")
                group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


# Data migrations that seed rows other than roles (the topics and their phrase lists): each
# has an idempotent ``seed(apps, schema_editor)``, run again after a flush.
SEED_MIGRATIONS = ("topics.migrations.0002_topics", "topics.migrations.0003_default_phrases")


def seeds_restore() -> None:
    from django.apps import apps

    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)


_DB_FIXTURES = ("live_server", "transactional_db", "django_db_reset_sequences", "db")


@pytest.fixture(autouse=True)
def _role_groups_exist(request: pytest.FixtureRequest, django_db_blocker: object) -> None:
    """A transactional test ends by flushing every table; post_migrate brings back content
    types and permissions but not the groups the data migrations made, which every later
    test relies on. Before each database test, put them back if a flush removed them, and
    start from an empty cache."""
    names = set(request.fixturenames)
    requested = [name for name in _DB_FIXTURES if name in names]
    if not requested and request.node.get_closest_marker("django_db") is None:
        return
    if requested:
        request.getfixturevalue(requested[0])  # set the database up first
    from django.contrib.auth.models import Group
    from django.core.cache import cache

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        if Group.objects.count() < len(ROLES):
            roles_restore()
        from topics.models import Topic, TopicKey

        if Topic.objects.count() < len(TopicKey):
            seeds_restore()
        # Rate-limit and throttle counters live in the shared cache (Redis in CI): one
        # test's requests must not count against the next.
        cache.clear()
