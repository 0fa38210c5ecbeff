#!/usr/bin/env python
"""Benchmark the gate's production engine on PostgreSQL (issue 4).

Two scenarios, each in a database of its own that this script creates, migrates, fills with
SQL (``generate_series``: no Python loop over reviews) and drops at the end (``--keep``
keeps them):

* **single day**: 100,000 products and 10,000,000 published reviews over 3 years. The day
  before the evaluated one is evaluated first as a *full* day (every product, as on a
  first day or under a new policy: timed and shown, no target); then the evaluated day, on
  which 1% of the products (1,000) receive reviews, is timed. Target: under 1 s.
* **catch-up**: 10,000 products and 1,000,000 reviews over 3 years; the gate is brought to
  a year before yesterday (a full day, untimed target), then the 365 days through yesterday
  are evaluated in one run, as after a long scheduler outage. Target: under 60 s.

Each timed evaluation runs in a child process (Django set up, then only
``gate.services.gate_evaluate_through`` is timed); peak memory is that process's maximum
resident set (PostgreSQL's own memory is not included). The default policy is used
(threshold 3.0, 30 grace days, 25 reviews, 365-day window, Europe/Paris).

    .venv/bin/python bench/bench_gate_db.py [--database-url postgres://...] [--scale 1.0]
        [--only single|catchup] [--keep] [--check]

``--database-url`` (default ``$BENCH_DATABASE_URL``, else the local reviewgate role) names a
server and role allowed to create databases; the database name in it is used as a prefix.
``--scale 0.1`` divides every count by ten (a quick run). With ``--check`` the exit status
is 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import psycopg

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://reviewgate:reviewgate@127.0.0.1:5432/reviewgate_bench_gate"
TIME_ZONE = "Europe/Paris"
SINGLE_DAY_TARGET = 1.0
CATCH_UP_TARGET = 60.0
HISTORY_DAYS = 3 * 365

CHILD = r"""
import json, resource, sys, time
from datetime import date
import django
django.setup()
from django.db import transaction
from gate.services import gate_evaluate_through


class RolledBack(Exception):
    pass


through = date.fromisoformat(sys.argv[1])
rollback = sys.argv[2:] == ["--rollback"]
started = time.perf_counter()
if rollback:
    # Everything but the final COMMIT, then undone: the same day can be timed again.
    try:
        with transaction.atomic():
            summary = gate_evaluate_through(through=through)
            seconds = time.perf_counter() - started
            raise RolledBack
    except RolledBack:
        pass
else:
    summary = gate_evaluate_through(through=through)
    seconds = time.perf_counter() - started
print(json.dumps({
    "seconds": seconds,
    "summary": summary.as_dict(),
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


@dataclass
class Timed:
    label: str
    seconds: float
    peak_mb: float
    summary: dict[str, object]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def recreate(admin_url: str, name: str) -> str:
    with psycopg.connect(_conninfo(admin_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(admin_url, name)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--skip-checks", "-v0"],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": url, "TIME_ZONE": TIME_ZONE},
        check=True,
    )
    return url


def drop(admin_url: str, name: str) -> None:
    with psycopg.connect(_conninfo(admin_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def generate(url: str, *, products: int, reviews: int, last_day: date, reviewed_on_last_day: int) -> float:
    """Products, then reviews spread evenly over the HISTORY_DAYS before ``last_day``, then
    two reviews each for ``reviewed_on_last_day`` products on ``last_day`` itself.

    Product ``p`` has a mean rating of 2.2 + 2.6 * sqrt(q(p)), q spread over [0, 1) by a
    hash (most products good, about a tenth below 3.0), and each rating adds noise. The secondary
    indexes of the reviews table are dropped for the load and built again after it.
    """
    started = time.perf_counter()
    tz = ZoneInfo(TIME_ZONE)
    history_start = datetime.combine(last_day - timedelta(days=HISTORY_DAYS), datetime.min.time(), tzinfo=tz)
    history_seconds = HISTORY_DAYS * 86400
    last_noon = datetime.combine(last_day, datetime.min.time(), tzinfo=tz) + timedelta(hours=12)
    on_last_day = 2 * reviewed_on_last_day
    spread = max(products // max(reviewed_on_last_day, 1), 1)
    with psycopg.connect(_conninfo(url), autocommit=True) as connection:
        connection.execute("SET maintenance_work_mem = '512MB'")
        connection.execute("SET synchronous_commit = off")
        indexes = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reviews_review' "
            "AND indexname <> 'reviews_review_pkey' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'reviews_review'::regclass)"
        ).fetchall()
        for name, _definition in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        connection.execute(
            """
            INSERT INTO products_product (
                sku, name, slug, brand, description, image_url, on_sale, revision,
                current_count, current_sum, current_1_star, current_2_star, current_3_star,
                current_4_star, current_5_star, all_time_count, all_time_sum, all_time_1_star,
                all_time_2_star, all_time_3_star, all_time_4_star, all_time_5_star,
                created_at, updated_at, gate_state)
            SELECT 'SKU' || lpad(n::text, 7, '0'), 'Product ' || n, 'product-' || n, '', '', '', true, 0,
                   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                   %(created)s, %(created)s, 'active'
            FROM generate_series(1, %(products)s) AS n
            """,
            {"products": products, "created": history_start},
        )
        first_id = connection.execute("SELECT min(id) FROM products_product").fetchone()[0]  # type: ignore[index]
        connection.execute("SELECT setseed(0.42)")
        connection.execute(
            """
            INSERT INTO reviews_review (
                author_name, rating, title, body, language, revision, status, status_reason,
                verified_purchase, source, helpful_yes, helpful_no, created_at, published_at,
                updated_at, product_id, employee)
            SELECT 'Bench', r.rating, '', '', 'en', 0, 'published', '', false, 'import', 0, 0,
                   r.at, r.at, r.at, r.product_id, false
            FROM (
                SELECT p.product_id,
                       least(5, greatest(1, round(
                           2.2 + 2.6 * sqrt((p.product_id * 2654435761 %% 1000) / 1000.0)
                           + (random() + random() + random() - 1.5) * 1.6)))::smallint AS rating,
                       %(start)s::timestamptz + make_interval(secs => (g - 1) * %(span)s::float8 / %(count)s) AS at
                FROM generate_series(1, %(count)s) AS g
                CROSS JOIN LATERAL (
                    SELECT %(first)s + floor(random() * %(products)s)::bigint + g * 0 AS product_id
                ) AS p
            ) AS r
            """,
            {
                "start": history_start,
                "span": history_seconds,
                "count": reviews - on_last_day,
                "first": first_id,
                "products": products,
            },
        )
        connection.execute(
            """
            INSERT INTO reviews_review (
                author_name, rating, title, body, language, revision, status, status_reason,
                verified_purchase, source, helpful_yes, helpful_no, created_at, published_at,
                updated_at, product_id, employee)
            SELECT 'Bench', 1 + (g %% 5), '', '', 'en', 0, 'published', '', false, 'import', 0, 0,
                   %(noon)s, %(noon)s, %(noon)s, %(first)s + ((g / 2) * %(spread)s) %% %(products)s, false
            FROM generate_series(0, %(count)s - 1) AS g
            """,
            {
                "noon": last_noon,
                "first": first_id,
                "spread": spread,
                "products": products,
                "count": on_last_day,
            },
        )
        for name, definition in indexes:
            _log(f"  building {name}")
            connection.execute(definition)
        # What autovacuum would have done by then: statistics, and the visibility map that
        # lets PostgreSQL answer from an index alone.
        connection.execute("VACUUM ANALYZE products_product")
        connection.execute("VACUUM ANALYZE reviews_review")
    return time.perf_counter() - started


def set_clock(url: str, *, last_evaluated_day: date, policy_known: bool) -> None:
    """Where the gate stands before a timed run; ``policy_known=False`` makes the next day a
    full day (every product evaluated, as on a first day or under a new policy)."""
    policy = None
    if policy_known:
        policy = json.dumps(
            {"threshold": "3", "grace_days": 30, "min_reviews": 25, "window_days": 365, "timezone": TIME_ZONE}
        )
    with psycopg.connect(_conninfo(url), autocommit=True) as connection:
        connection.execute(
            "INSERT INTO gate_gateclock (id, last_evaluated_day, policy, updated_at) VALUES (1, %s, %s, now()) "
            "ON CONFLICT (id) DO UPDATE SET last_evaluated_day = EXCLUDED.last_evaluated_day, policy = EXCLUDED.policy",
            (last_evaluated_day, policy),
        )


def evaluate(url: str, through: date, label: str, *, rollback: bool = False) -> Timed:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TIME_ZONE": TIME_ZONE,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "GATE_THRESHOLD": "3.0",
        "GATE_GRACE_DAYS": "30",
        "GATE_MIN_REVIEWS": "25",
        "GATE_WINDOW_DAYS": "365",
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter and script, a date argument)
        [sys.executable, "-c", CHILD, through.isoformat(), *(["--rollback"] if rollback else [])],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{label}: the evaluation failed:\n{result.stderr}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return Timed(label, data["seconds"], data["peak_mb"], data["summary"])


def count_candidates(url: str, day: date) -> tuple[int, int]:
    """Products with reviews on ``day``, and with reviews leaving the window on it."""
    tz = ZoneInfo(TIME_ZONE)

    def bounds(d: date) -> tuple[datetime, datetime]:
        start = datetime.combine(d, datetime.min.time(), tzinfo=tz)
        return start, datetime.combine(d + timedelta(days=1), datetime.min.time(), tzinfo=tz)

    query = "SELECT count(DISTINCT product_id) FROM reviews_review WHERE published_at >= %s AND published_at < %s"
    with psycopg.connect(_conninfo(url)) as connection:
        arriving = connection.execute(query, bounds(day)).fetchone()[0]  # type: ignore[index]
        leaving = connection.execute(query, bounds(day - timedelta(days=365))).fetchone()[0]  # type: ignore[index]
    return arriving, leaving


def bench_single_day(
    args: argparse.Namespace, admin_url: str, prefix: str, yesterday: date, rows: list[tuple[str, str]]
) -> list[str]:
    """One day on 100,000 products and 10,000,000 reviews; returns the targets missed."""
    missed: list[str] = []
    products, reviews = int(100_000 * args.scale), int(10_000_000 * args.scale)
    name = f"{prefix}_single"
    _log(f"single day: {products:,} products, {reviews:,} reviews; creating {name}")
    url = recreate(admin_url, name)
    seconds = generate(
        url, products=products, reviews=reviews, last_day=yesterday, reviewed_on_last_day=products // 100
    )
    rows.append(("generate (SQL, indexes rebuilt, VACUUM ANALYZE)", f"{seconds:.1f} s"))
    arriving, leaving = count_candidates(url, yesterday)
    set_clock(url, last_evaluated_day=yesterday - timedelta(days=2), policy_known=False)
    full = evaluate(url, yesterday - timedelta(days=1), "full day")
    rows.append(
        (
            f"full day, every product ({full.summary['products_evaluated']:,} evaluated)",
            f"{full.seconds:.2f} s, {full.peak_mb:.0f} MB; events {full.summary['events']}",
        )
    )
    timings = [evaluate(url, yesterday, "single day", rollback=True) for _ in range(args.repeat)]
    single = sorted(timings, key=lambda timed: timed.seconds)[len(timings) // 2]
    rows.append(
        (
            f"one day: {arriving:,} products reviewed, {leaving:,} with reviews leaving the window "
            f"({single.summary['products_evaluated']:,} evaluated)",
            f"{single.seconds:.3f} s (median of {len(timings)}), {max(t.peak_mb for t in timings):.0f} MB; "
            f"events {single.summary['events']}",
        )
    )
    if single.seconds >= SINGLE_DAY_TARGET:
        missed.append(f"single day took {single.seconds:.2f} s (target < {SINGLE_DAY_TARGET} s)")
    if not args.keep:
        drop(admin_url, name)
    return missed


def bench_catch_up(
    args: argparse.Namespace, admin_url: str, prefix: str, yesterday: date, rows: list[tuple[str, str]]
) -> list[str]:
    """A year's catch-up on 10,000 products and 1,000,000 reviews; returns the targets missed."""
    missed: list[str] = []
    products, reviews = int(10_000 * args.scale), int(1_000_000 * args.scale)
    name = f"{prefix}_catchup"
    _log(f"catch-up: {products:,} products, {reviews:,} reviews; creating {name}")
    url = recreate(admin_url, name)
    seconds = generate(
        url, products=products, reviews=reviews, last_day=yesterday, reviewed_on_last_day=products // 100
    )
    rows.append(("generate (SQL, indexes rebuilt, VACUUM ANALYZE)", f"{seconds:.1f} s"))
    start = yesterday - timedelta(days=365)
    set_clock(url, last_evaluated_day=start - timedelta(days=1), policy_known=False)
    first = evaluate(url, start, "the day before the catch-up (full day)")
    rows.append(
        (
            f"full day before the catch-up ({first.summary['products_evaluated']:,} evaluated)",
            f"{first.seconds:.2f} s, {first.peak_mb:.0f} MB",
        )
    )
    catch_up = evaluate(url, yesterday, "catch-up")
    rows.append(
        (
            f"catch-up of {catch_up.summary['days']} days ({catch_up.summary['products_evaluated']:,} "
            "product-days evaluated)",
            f"{catch_up.seconds:.2f} s, {catch_up.peak_mb:.0f} MB; events {catch_up.summary['events']}",
        )
    )
    if catch_up.seconds >= CATCH_UP_TARGET:
        missed.append(f"catch-up took {catch_up.seconds:.1f} s (target < {CATCH_UP_TARGET} s)")
    if not args.keep:
        drop(admin_url, name)
    return missed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (0.1: a quick run)")
    parser.add_argument("--only", choices=("single", "catchup"))
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--repeat", type=int, default=3, help="time the single day this many times (median)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench_gate_db.py needs PostgreSQL: --database-url postgres://user:pass@host:port/name")
    prefix = urlsplit(args.database_url).path.lstrip("/") or "reviewgate_bench_gate"
    admin_url = _with_database(args.database_url, "postgres")
    yesterday = datetime.now(ZoneInfo(TIME_ZONE)).date() - timedelta(days=1)
    rows: list[tuple[str, str]] = []
    missed: list[str] = []

    if args.only in (None, "single"):
        missed += bench_single_day(args, admin_url, prefix, yesterday, rows)
    if args.only in (None, "catchup"):
        missed += bench_catch_up(args, admin_url, prefix, yesterday, rows)

    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")
    for problem in missed:
        print(f"MISSED: {problem}")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
