"""What one review post costs the primary database, and what one stored review weighs:
the figures behind docs/deploy.md's "How far it goes" (issue 20).

Against a database seeded by bench/web/seed.py (the same settings and environment as the
bench's in-process timing), it posts ``--posts`` reviews through the API with Django's test
client, then reads the API's whole product feed ``--feed-rounds`` times, page by page as a
syncing shop does. It reports the SQL statements of a post by kind and their time as the
driver saw it; when PostgreSQL runs on this machine, the CPU time its backend spent per post
and per feed page (/proc: unlike wall time, not inflated by other load); the WAL written
during the posts (``pg_current_wal_lsn()``: cluster-wide, so other sessions' writes count
too on a shared server: an upper bound); and the reviews table's size per review.

    DJANGO_SETTINGS_MODULE=bench.web.settings DATABASE_URL=postgres://... \
        python -m bench.web.post_cost --seeded DIR/seeded.json --posts 300
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.web.inprocess import WARM_UP, Poster, _checked, _lines


def _backend_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of the PostgreSQL backend serving this connection (same
    machine only: /proc), which no load from other processes inflates, unlike wall time."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wal_lsn(cursor: Any) -> int:
    cursor.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
    return int(cursor.fetchone()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeded", type=Path, required=True, help="the seed's summary (seeded.json)")
    parser.add_argument("--offset", type=int, default=0, help="the first unused post number")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--feed-rounds", type=int, default=5, help="times the whole API product feed is read")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    seeded = json.loads(args.seeded.read_text())
    poster = Poster(Client(), skus=_lines(seeded["skus_file"]), keys=_lines(seeded["keys_file"]), offset=args.offset)
    for _ in range(WARM_UP):
        _checked(poster.api(), 201, "review POST")
    kinds: Counter[str] = Counter()
    sql_seconds, walls = 0.0, []
    with connection.cursor() as cursor:
        wal_before = _wal_lsn(cursor)
        cursor.execute("SELECT pg_backend_pid()")
        backend = int(cursor.fetchone()[0])
    cpu_before = _backend_cpu_seconds(backend)
    for _ in range(args.posts):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            _checked(poster.api(), 201, "review POST")
            walls.append(time.perf_counter() - started)
        for query in queries.captured_queries:
            kinds[query["sql"].lstrip().split(None, 1)[0].upper()] += 1
            sql_seconds += float(query["time"])
    cpu_after = _backend_cpu_seconds(backend)
    with connection.cursor() as cursor:
        wal_after = _wal_lsn(cursor)
    pages = 0
    for _ in range(args.feed_rounds):
        page = 1
        while True:  # the API feed as a syncing shop reads it: every page, 50 products each
            response = _checked(poster.client.get(f"/api/v1/products/?page={page}"), 200, "API feed page")
            pages += 1
            if not response.json().get("next"):
                break
            page += 1
    feed_cpu_after = _backend_cpu_seconds(backend)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_relation_size('reviews_review'), pg_indexes_size('reviews_review'),"
            " pg_total_relation_size('reviews_review') FROM reviews_review"
        )
        reviews, heap, indexes, total = cursor.fetchone()
    result = {
        "posts": args.posts,
        "statements_per_post": {kind: round(count / args.posts, 1) for kind, count in sorted(kinds.items())},
        "sql_ms_per_post": round(sql_seconds * 1000 / args.posts, 1),
        "wall_ms_per_post_median": round(statistics.median(walls) * 1000, 1),
        "primary_cpu_ms_per_post": (
            None if cpu_before is None or cpu_after is None else round((cpu_after - cpu_before) * 1000 / args.posts, 2)
        ),
        # Cluster-wide: on a server other sessions write to, their WAL is in it too (an upper bound).
        "wal_bytes_per_post_cluster_wide": round((wal_after - wal_before) / args.posts),
        "feed_pages": pages,
        "primary_cpu_ms_per_feed_page_of_50": (
            None
            if cpu_after is None or feed_cpu_after is None or not pages
            else round((feed_cpu_after - cpu_after) * 1000 / pages, 2)
        ),
        "reviews": reviews,
        "bytes_per_review": {
            "heap": round(heap / reviews),
            "indexes": round(indexes / reviews),
            "total_with_toast": round(total / reviews),
        },
    }
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
