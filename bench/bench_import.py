#!/usr/bin/env python
"""Benchmark ``manage.py import_reviews`` against a raw PostgreSQL ``COPY`` (issue 12).

The script creates a database of its own (``<name>_import``, from ``--database-url``),
migrates it, writes a CSV of ``--rows`` reviews (default 1,000,000) of ``--products``
products (default 10,000) into a temporary directory, then measures in interleaved rounds
(medians):

* **COPY**: the same rows, product ids resolved, sent by ``COPY reviews_review (...) FROM
  STDIN (FORMAT csv)`` into the same table with all its indexes and constraints (the
  products inserted beforehand, untimed): what the database itself can take;
* **import**: ``call_command("import_reviews", path, create_products=True)`` into the same
  empty tables, in a child process (Django set up first, only the command timed); its peak
  memory is that process's maximum resident set.

Both tables are truncated between rounds. One more import of a tenth of the rows shows
whether the import's memory grows with the rows (it must not). Prints rows/s of each and
the ratio import/COPY (target >= 0.5).

    .venv/bin/python bench/bench_import.py [--database-url postgres://...] [--rows 1000000]
        [--products 10000] [--rounds 3] [--keep] [--check]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://reviewgate:reviewgate@127.0.0.1:5432/reviewgate_bench"
TIME_ZONE = "UTC"
RATIO_TARGET = 0.5
HISTORY_DAYS = 3 * 365
WORDS = ("good", "zip", "broke", "dry", "tent", "strap", "light", "heavy", "rain", "fine", "poles", "bag")
# The columns the COPY baseline writes: every column an imported review stores.
COPY_COLUMNS = (
    "product_id",
    "author_name",
    "rating",
    "title",
    "body",
    "language",
    "revision",
    "status",
    "status_reason",
    "verified_purchase",
    "source",
    "external_id",
    "helpful_yes",
    "helpful_no",
    "created_at",
    "published_at",
    "updated_at",
)

CHILD = r"""
import json, resource, sys, time
import django
django.setup()
from django.core.management import call_command

started = time.perf_counter()
call_command("import_reviews", sys.argv[1], create_products=True, verbosity=0)
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _conninfo(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


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


def sku(index: int) -> str:
    return f"SKU-{index:06d}"


def write_files(directory: Path, *, rows: int, products: int, seed: int = 42) -> tuple[Path, Path]:
    """The review export (what import_reviews reads) and the same rows as COPY takes them
    (product ids are 1..products: the products are inserted in SKU order after a RESTART
    IDENTITY)."""
    rng = random.Random(seed)
    export, copy_file = directory / "reviews.csv", directory / "copy.csv"
    start = datetime.now(UTC) - timedelta(days=HISTORY_DAYS + 1)
    step = HISTORY_DAYS * 86400 / rows
    imported_at = datetime.now(UTC).isoformat()
    with (
        export.open("w", newline="", encoding="utf-8") as out,
        copy_file.open("w", newline="", encoding="utf-8") as raw,
    ):
        review_writer, copy_writer = csv.writer(out), csv.writer(raw)
        review_writer.writerow(["review_id", "product_id", "rating", "created_at", "title", "text", "author"])
        for number in range(rows):
            product = rng.randrange(products)
            rating = rng.choice((1, 2, 3, 4, 4, 5, 5, 5))
            created_at = (start + timedelta(seconds=number * step)).isoformat(timespec="seconds")
            title = " ".join(rng.choices(WORDS, k=3)).capitalize()
            body = " ".join(rng.choices(WORDS, k=rng.randrange(8, 30))).capitalize() + ", really."
            author = f"Reviewer {number % 997}"
            review_id = f"R{number:08d}"
            review_writer.writerow([review_id, sku(product), rating, created_at, title, body, author])
            copy_writer.writerow(
                [
                    product + 1,
                    author,
                    rating,
                    title,
                    body,
                    "en",
                    0,
                    "published",
                    "",
                    "f",
                    "import",
                    review_id,
                    0,
                    0,
                    created_at,
                    created_at,
                    imported_at,
                ]
            )
    return export, copy_file


def empty_tables(url: str) -> None:
    with psycopg.connect(_conninfo(url), autocommit=True) as connection:
        connection.execute("TRUNCATE reviews_review, products_product RESTART IDENTITY CASCADE")


def insert_products(url: str, products: int) -> None:
    with psycopg.connect(_conninfo(url), autocommit=True) as connection:
        connection.execute(
            """
            INSERT INTO products_product (
                sku, name, slug, brand, description, image_url, on_sale, revision,
                current_count, current_sum, current_1_star, current_2_star, current_3_star,
                current_4_star, current_5_star, all_time_count, all_time_sum, all_time_1_star,
                all_time_2_star, all_time_3_star, all_time_4_star, all_time_5_star,
                created_at, updated_at, gate_state)
            SELECT 'SKU-' || lpad(n::text, 6, '0'), 'SKU-' || lpad(n::text, 6, '0'), 'sku-' || n, '', '', '',
                   true, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, now(), now(), 'active'
            FROM generate_series(0, %(last)s) AS n ORDER BY n
            """,
            {"last": products - 1},
        )


def timed_copy(url: str, copy_file: Path) -> float:
    """COPY the rows in one transaction, as the import writes them in one."""
    # FORCE_NOT_NULL: an empty field is an empty text, as the import stores it, not NULL.
    statement = (
        f"COPY reviews_review ({', '.join(COPY_COLUMNS)}) FROM STDIN "
        "(FORMAT csv, FORCE_NOT_NULL (status_reason, title, body))"
    )
    with psycopg.connect(_conninfo(url)) as connection:
        started = time.perf_counter()
        with connection.cursor() as cursor, cursor.copy(statement) as copy, copy_file.open("rb") as data:
            while block := data.read(1 << 20):
                copy.write(block)
        connection.commit()
        return time.perf_counter() - started


def timed_import(url: str, export: Path) -> tuple[float, float]:
    env = {**os.environ, "DATABASE_URL": url, "TIME_ZONE": TIME_ZONE, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(  # noqa: S603 (our own interpreter and script, a path argument)
        [sys.executable, "-c", CHILD, str(export)], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"the import failed:\n{result.stderr}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    return data["seconds"], data["peak_mb"]


def count_reviews(url: str) -> int:
    with psycopg.connect(_conninfo(url)) as connection:
        return connection.execute("SELECT count(*) FROM reviews_review").fetchone()[0]  # type: ignore[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of each (medians)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--check", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench_import.py needs PostgreSQL: --database-url postgres://user:pass@host:port/name")
    name = (urlsplit(args.database_url).path.lstrip("/") or "reviewgate_bench") + "_import"
    admin_url = _with_database(args.database_url, "postgres")
    _log(f"import: {args.rows:,} reviews of {args.products:,} products; creating {name}")
    url = recreate(admin_url, name)
    copies: list[float] = []
    imports: list[float] = []
    peaks: list[float] = []
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        export, copy_file = write_files(Path(directory), rows=args.rows, products=args.products)
        small_directory = Path(directory) / "small"
        small_directory.mkdir()
        small, _small_copy = write_files(small_directory, rows=max(args.rows // 10, 1), products=args.products)
        _log(f"  files written in {time.perf_counter() - started:.1f} s ({export.stat().st_size / 1e6:.0f} MB)")
        for round_number in range(1, args.rounds + 1):
            empty_tables(url)
            insert_products(url, args.products)
            copies.append(timed_copy(url, copy_file))
            assert count_reviews(url) == args.rows
            empty_tables(url)
            seconds, peak = timed_import(url, export)
            assert count_reviews(url) == args.rows
            imports.append(seconds)
            peaks.append(peak)
            _log(f"  round {round_number}: COPY {copies[-1]:.1f} s, import {seconds:.1f} s, {peak:.0f} MB")
        empty_tables(url)
        _small_seconds, small_peak = timed_import(url, small)
    if not args.keep:
        drop(admin_url, name)
    copy_s, import_s = statistics.median(copies), statistics.median(imports)
    ratio = copy_s / import_s
    rows = [
        ("raw COPY into the indexed table", f"{copy_s:.2f} s, {args.rows / copy_s:,.0f} rows/s"),
        ("import_reviews --create-products", f"{import_s:.2f} s, {args.rows / import_s:,.0f} rows/s"),
        ("ratio import/COPY (rows/s)", f"{ratio:.2f} (target >= {RATIO_TARGET})"),
        ("import peak memory", f"{max(peaks):.0f} MB ({small_peak:.0f} MB for a tenth of the rows)"),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"median of {args.rounds} interleaved rounds, {args.rows:,} reviews, {args.products:,} products")
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")
    missed = ratio < RATIO_TARGET
    if missed:
        print(f"MISSED: import/COPY {ratio:.2f} (target >= {RATIO_TARGET})")
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
