#!/usr/bin/env python
"""Benchmark the desk's key figures (``/desk/kpis/``) on 200 products and 500,000 reviews.

Creates a database (a throwaway SQLite file in a temporary directory or, with
``--database-url`` / ``$BENCH_DATABASE_URL``, a PostgreSQL database ``<name>_kpis`` on that
server, dropped at the end), migrates it and fills it through the ORM (``bulk_create``):
200 products in 10 categories, most with one manager, a quarter with two, a few with
none; 500,000 published reviews spread uniformly over the 365 days through today, 40%
verified purchases; a brand reply to 30% of them after an exponential delay (mean one
day, to the microsecond); six gate events per product over 400 days (flagged, recovered,
withdrawn, reinstated after an improvement).

Then each scenario (for a quality director, who sees every product: the last 30 days
and the last 365 days by category, the year also by manager and by month; and the year
for one product manager's products) is computed by two code paths, each in a child
process of its own:

* **before** (printed as "reference"): the per-review computation (``baseline_rows``): one
  ``ReviewFact`` per published review of the period, the figures worked out in Python by
  the tests' independent reference (tests/unit/kpi_reference.py), written for exactness,
  not speed, so its time is a yardstick, not the old code's;
* **after**: ``desk.selectors.kpi_facts`` (sums per product and month, reply counts and
  middle delays per group, from the database) and ``desk.kpis.kpi_rows``.

Each child computes once to warm the caches, then ``--repeat`` times (default 3), and
reports the median wall time, its peak resident memory (``ru_maxrss``: Django included,
the database server's own memory not), and the CSV export of the rows (``kpi_csv``; the
reference's own ``reference_csv`` for the baseline): the two paths must give the same
bytes, or the script fails. Template rendering is not timed.

    .venv/bin/python bench/bench_kpis.py [--database-url postgres://user:pass@host:5432/prefix]
        [--products 200] [--reviews 500000] [--repeat 3] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:  # models import only once the child has set Django up
    from accounts.models import User
    from gate.policy import GatePolicy

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# desk.kpis is pure Python: importable before Django is set up.
from desk.kpis import (  # noqa: E402
    KpiRow,
    category_key,
    kpi_csv,
    manager_key,
    month_key,
    product_key,
)

# The per-review computation (the tests' reference, written independently of desk.kpis).
from tests.unit.kpi_reference import (  # noqa: E402
    GateEventFact,
    ReferenceRow,
    ReviewFact,
    per_review_facts,
    reference_csv,
    reference_rows,
)

TIME_ZONE = "Europe/Paris"
# (label, grouped by, days through the last day, whose products)
SCENARIOS = [
    ("last 30 days, by category", "category", 30, "director"),
    ("last 365 days, by category", "category", 365, "director"),
    ("last 365 days, by product", "product", 365, "director"),
    ("last 365 days, by manager", "manager", 365, "director"),
    ("last 365 days, by month", "month", 365, "director"),
    ("last 365 days, by category, one manager's products", "category", 365, "manager1"),
]
GroupsOf = Callable[[int, date], list[tuple[str, str]]]
RowsT = TypeVar("RowsT")


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The baseline: one fact per review, figures worked out in Python ---------------------
# (by tests/unit/kpi_reference.py, which shares no code with desk.kpis)


Categories = dict[int, tuple[int, str] | None]
Managers = dict[int, list[tuple[int, str]]]
Names = dict[int, tuple[str, str]]


def baseline_facts(
    *, user: User, first: date, last: date, policy: GatePolicy
) -> tuple[list[ReviewFact], list[GateEventFact], Categories, Managers, Names]:
    from desk.selectors import desk_products, kpi_product_groups

    scope = desk_products(user=user)
    reviews, events = per_review_facts(scope=scope, first=first, last=last, policy=policy)
    categories, managers, names = kpi_product_groups(scope)
    return reviews, events, categories, managers, names


def groups_like_the_page(group: str, categories: Categories, managers: Managers, names: Names) -> GroupsOf:
    """desk.views' grouping (its keys, month names from Django's formats, products by name and SKU)."""
    from django.utils.formats import date_format

    def groups_of(product_id: int, day: date) -> list[tuple[str, str]]:
        if group == "month":
            return [(month_key(day), date_format(day, "YEAR_MONTH_FORMAT"))]
        if group == "product":
            sku, name = names[product_id]
            return [(product_key(product_id), f"{name} ({sku})")]
        if group == "manager":
            people = managers.get(product_id) or []
            return [(manager_key(pk), name) for pk, name in people] or [(manager_key(None), "(no manager)")]
        category = categories.get(product_id)
        return [(category_key(category[0]), category[1])] if category else [(category_key(None), "(no category)")]

    return groups_of


def baseline_rows(*, user: User, first: date, last: date, group: str, policy: GatePolicy) -> list[ReferenceRow]:
    reviews, events, categories, managers, names = baseline_facts(user=user, first=first, last=last, policy=policy)
    return reference_rows(
        first=first,
        last=last,
        reviews=reviews,
        events=events,
        groups_of=groups_like_the_page(group, categories, managers, names),
        total_label="All products",
        chronological=group == "month",
    )


def current_rows(*, user: User, first: date, last: date, group: str, policy: GatePolicy) -> list[KpiRow]:
    from desk.kpis import kpi_rows
    from desk.selectors import kpi_facts

    facts = kpi_facts(user=user, first=first, last=last, group=group, policy=policy)
    return kpi_rows(
        first=first,
        last=last,
        reviews=facts.reviews,
        replies=facts.replies,
        events=facts.events,
        groups_of=groups_like_the_page(group, facts.categories, facts.managers, facts.products),
        total_label="All products",
        by_key=group == "month",  # months in calendar order, as the page
    )


# --- In a child process (Django set up) ---------------------------------------------------


def seed(*, products: int, reviews: int, seed_value: int) -> dict[str, object]:  # noqa: PLR0915 - one linear fill, in the order the rows depend on each other
    """Fill the migrated, empty database."""
    import random
    from datetime import time as clock

    from django.db import connection, transaction

    from accounts.models import User
    from accounts.roles import PRODUCT_MANAGER, QUALITY_DIRECTOR, user_add_role
    from desk.selectors import desk_policy
    from gate.models import GateEvent, Improvement
    from products.models import Category, Product
    from reviews.models import BrandReply, Review, ReviewStatus

    rng = random.Random(seed_value)
    policy = desk_policy()
    last = policy.day_of(datetime.now(policy.tzinfo))
    start = policy.start_of_day(last - timedelta(days=364))
    span = int((policy.start_of_day(last + timedelta(days=1)) - start).total_seconds())
    started = time.perf_counter()
    written = replied = events = 0
    with transaction.atomic():
        director = User.objects.create(username="director", email="director@example.com", display_name="Dana")
        user_add_role(director, QUALITY_DIRECTOR)
        managers = User.objects.bulk_create(
            User(username=f"manager{n}", email=f"manager{n}@example.com", display_name=f"Manager {n:02d}")
            for n in range(20)
        )
        for person in managers:
            user_add_role(person, PRODUCT_MANAGER)
        categories = Category.objects.bulk_create(
            Category(name=f"Category {n}", slug=f"category-{n}") for n in range(10)
        )
        items = Product.objects.bulk_create(
            Product(sku=f"SKU{n:05d}", name=f"Product {n}", slug=f"product-{n}", category=rng.choice(categories))
            for n in range(products)
        )
        through = Product.managers.through
        links = []
        for item in items:
            roll = rng.random()
            chosen = rng.sample(managers, 2 if roll < 0.25 else 0 if roll > 0.95 else 1)
            links += [through(product_id=item.pk, user_id=person.pk) for person in chosen]
        through.objects.bulk_create(links)
        # A mean rating per product (most good, some poor), and noise per review.
        means = [1.5 + 3.4 * rng.random() ** 0.5 for _ in items]
        while written < reviews:
            batch = []
            for _ in range(min(10_000, reviews - written)):
                index = rng.randrange(len(items))
                moment = start + timedelta(seconds=rng.randrange(span), microseconds=rng.randrange(1_000_000))
                batch.append(
                    Review(
                        product=items[index],
                        author_name="Bench",
                        rating=min(5, max(1, round(means[index] + rng.gauss(0, 1.1)))),
                        title="",
                        body="A review.",
                        language="en",
                        revision=0,
                        status=ReviewStatus.PUBLISHED,
                        verified_purchase=rng.random() < 0.4,
                        source="import",
                        created_at=moment,
                        published_at=moment,
                    )
                )
            Review.objects.bulk_create(batch)
            answers = []
            for review in batch:
                if review.published_at is not None and rng.random() < 0.3:
                    delay = timedelta(seconds=rng.expovariate(1 / 86400), microseconds=rng.randrange(1_000_000))
                    at = review.published_at + delay
                    answers.append(
                        BrandReply(review=review, author=managers[0], body="Thanks.", created_at=at, updated_at=at)
                    )
            BrandReply.objects.bulk_create(answers)
            written += len(batch)
            replied += len(answers)
        record = policy.as_dict()
        for item in items:
            revision = 0
            for day in sorted(last - timedelta(days=n) for n in rng.sample(range(400), 6)):
                kind = rng.choice(["flagged", "recovered", "withdrawn", "reinstated"])
                improvement = None
                if kind == "reinstated":
                    revision += 1
                    improvement = Improvement.objects.create(
                        product=item,
                        logged_at=datetime.combine(day, clock(9), tzinfo=policy.tzinfo),
                        day=day,
                        revision=revision,
                        description="A fix.",
                    )
                GateEvent.objects.create(
                    product=item, day=day, kind=kind, count=30, improvement=improvement, policy=record
                )
                events += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "last": last.isoformat(),
        "reviews": written,
        "replies": replied,
        "events": events,
        "seconds": time.perf_counter() - started,
    }


def timed(compute: Callable[..., RowsT], arguments: dict[str, Any], *, repeat: int) -> tuple[RowsT, list[float]]:
    """The rows, and the wall time of each of ``repeat`` runs after a warm-up run."""
    rows = compute(**arguments)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        rows = compute(**arguments)
        timings.append(time.perf_counter() - started)
    return rows, timings


def measure(*, path: str, group: str, first: date, last: date, username: str, repeat: int) -> dict[str, object]:
    import hashlib

    from accounts.models import User
    from desk.selectors import desk_policy

    policy = desk_policy()
    user = User.objects.get(username=username)
    idle_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    arguments = {"user": user, "first": first, "last": last, "group": group, "policy": policy}
    if path == "before":
        baseline, timings = timed(baseline_rows, arguments, repeat=repeat)
        csv_text, reviews = reference_csv(baseline, period=(first, last), group_by=group), baseline[-1].reviews
    else:
        current, timings = timed(current_rows, arguments, repeat=repeat)
        csv_text, reviews = kpi_csv(current, period=(first, last), group_by=group), current[-1].reviews
    rows = csv_text.count("\n") - 1
    return {
        "seconds": statistics.median(timings),
        "timings": timings,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "idle_mb": idle_mb,
        "rows": rows,
        "reviews": reviews,
        "csv_sha256": hashlib.sha256(csv_text.encode()).hexdigest(),
        "csv_total": csv_text.splitlines()[-1],
    }


def child_main(argv: list[str]) -> None:
    import django

    django.setup()
    if argv[0] == "seed":
        result = seed(products=int(argv[1]), reviews=int(argv[2]), seed_value=int(argv[3]))
    else:
        result = measure(
            path=argv[1],
            group=argv[2],
            first=date.fromisoformat(argv[3]),
            last=date.fromisoformat(argv[4]),
            username=argv[5],
            repeat=int(argv[6]),
        )
    print(json.dumps(result))


# --- The parent ---------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def _environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "0",
        "TIME_ZONE": TIME_ZONE,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def run_child(url: str, *args: str) -> dict[str, Any]:
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        cwd=REPO,
        env=_environment(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench_kpis.py --child {' '.join(args)} failed:\n{result.stderr}")
    data: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--products", type=int, default=200)
    parser.add_argument("--reviews", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the database (its URL is printed)")
    args = parser.parse_args()

    admin_url = name = temporary = ""
    if args.database_url:
        if not args.database_url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--database-url must be a PostgreSQL URL (without it, a temporary SQLite file is used)")
        import psycopg

        name = f"{urlsplit(args.database_url).path.lstrip('/') or 'reviewgate_bench'}_kpis"
        admin_url = _with_database(args.database_url, "postgres")
        with psycopg.connect(_conninfo(admin_url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        url, engine = _with_database(args.database_url, name), "PostgreSQL"
    else:
        temporary = tempfile.mkdtemp(prefix="bench-kpis-")
        url, engine = f"sqlite:///{Path(temporary) / 'kpis.sqlite3'}", "SQLite"
    _log(f"{engine}: migrating")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v0"],
        cwd=REPO,
        env=_environment(url),
        check=True,
    )
    _log(f"seeding {args.products:,} products and {args.reviews:,} reviews")
    seeded = run_child(url, "seed", str(args.products), str(args.reviews), str(args.seed))
    _log(f"  {seeded['replies']:,} replies, {seeded['events']:,} gate events, in {seeded['seconds']:.0f} s")
    last = date.fromisoformat(seeded["last"])
    lines = [
        f"{engine}: {args.products:,} products, {seeded['reviews']:,} reviews, {seeded['replies']:,} replies, "
        f"{seeded['events']:,} gate events; median of {args.repeat} runs after a warm-up",
        "",
        "| scenario | reviews | reference (per review) | desk | desk / reference | peak RSS ref. | peak RSS desk |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    idle_mb = 0.0
    for label, group, days, username in SCENARIOS:
        first = last - timedelta(days=days - 1)
        found = {}
        for path in ("before", "after"):
            _log(f"{label}: {path}")
            found[path] = run_child(
                url, "measure", path, group, first.isoformat(), last.isoformat(), username, str(args.repeat)
            )
        before, after = found["before"], found["after"]
        if before["csv_sha256"] != after["csv_sha256"]:
            raise SystemExit(f"{label}: the two paths disagree:\n{before['csv_total']}\n{after['csv_total']}")
        ratio = after["seconds"] / before["seconds"]
        idle_mb = max(idle_mb, after["idle_mb"], before["idle_mb"])
        lines.append(
            f"| {label} | {before['reviews']:,} | {before['seconds']:.3f} s | {after['seconds']:.3f} s | "
            f"{ratio:.2f} | {before['peak_mb']:.0f} MB | {after['peak_mb']:.0f} MB |"
        )
    lines += [
        "",
        f"Peak memory: the process's maximum resident set, of which about {idle_mb:.0f} MB before the first"
        " computation (Django loaded). Both paths exported the same CSV in every scenario.",
    ]
    print("\n".join(lines))
    if args.keep:
        print(f"kept: {url}")
    elif temporary:
        shutil.rmtree(temporary)
    else:
        import psycopg

        with psycopg.connect(_conninfo(admin_url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child_main(sys.argv[2:])
        sys.exit(0)
    sys.exit(main())
