"""Synthetic catalogue for the web bench: products, published reviews, their stored figures,
and the accounts and API keys that post reviews during the bench.

Run in a process whose settings point at the bench database (bench/web/run.py does it):

    DJANGO_SETTINGS_MODULE=bench.web.settings python -m bench.web.seed --scale small OUT.json

Rows are written by set-based SQL (``generate_series``; no Python loop over reviews), with
the reviews table's secondary indexes dropped for the load and rebuilt after it, then one
``UPDATE`` sets every product's figures from its published reviews, the same figures
``reviews.ratings.product_ratings_recompute`` computes (checked on a sample: the seed fails
if they drift). Deterministic: ``setseed`` fixes the ratings.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

# Who posts during the bench: (account, product) pairs are never reused, as an account may
# review a product once per revision (reviews_review_one_per_author_revision).
POST_CAPACITY_PER_SCALE = {"small": 40_000, "full": 400_000}
HISTORY_DAYS = 3 * 365
CATEGORIES = 12
TEXT = (
    "Bought this for a week of hiking in the rain and it kept everything dry. The zip is smooth, "
    "the straps hold, and it packs small. After a month the seams are still fine; the colour "
    "faded a little in the sun. Good value for the price, I would buy it again for my family."
)

# The reviews, written in SQL (one statement each); both share the columns and values.
REVIEWS_OF_ONE_PRODUCT = """
    INSERT INTO reviews_review (
        product_id, author_name, rating, title, body, language, revision, status, status_reason,
        verified_purchase, source, employee, helpful_yes, helpful_no, created_at, published_at, updated_at)
    SELECT %(product)s, 'Shopper ' || (g %% 5000), r.rating, 'Review ' || g,
           substr(%(text)s, 1 + (g %% 60), 120 + (g %% 100)), 'en', 0, 'published', '',
           (g %% 3 = 0), 'import', false, g %% 7, g %% 3, r.at, r.at, r.at
    FROM generate_series(1, %(count)s) AS g
    CROSS JOIN LATERAL (
        SELECT 1 + (g * 7 %% 5)::smallint AS rating,
               %(start)s::timestamptz + make_interval(secs => g * %(span)s::float8 / %(count)s) AS at
    ) AS r
"""
REVIEWS_SPREAD = """
    INSERT INTO reviews_review (
        product_id, author_name, rating, title, body, language, revision, status, status_reason,
        verified_purchase, source, employee, helpful_yes, helpful_no, created_at, published_at, updated_at)
    SELECT r.product_id, 'Shopper ' || (g %% 5000), r.rating, 'Review ' || g,
           substr(%(text)s, 1 + (g %% 60), 120 + (g %% 100)), 'en', 0, 'published', '',
           (g %% 3 = 0), 'import', false, g %% 7, g %% 3, r.at, r.at, r.at
    FROM generate_series(1, %(count)s) AS g
    CROSS JOIN LATERAL (
        SELECT p.product_id,
               least(5, greatest(1, round(
                   2.2 + 2.6 * sqrt((p.product_id * 2654435761 %% 1000) / 1000.0)
                   + (random() + random() + random() - 1.5) * 1.6)))::smallint AS rating,
               %(start)s::timestamptz + make_interval(secs => g * %(span)s::float8 / %(count)s) AS at
        FROM (SELECT %(first)s + floor(random() * %(others)s)::bigint + g * 0 AS product_id) AS p
    ) AS r
"""


@dataclass(frozen=True)
class Scale:
    products: int
    reviews: int  # in all, the two measured products' included


SCALES = {"small": Scale(products=600, reviews=30_000), "full": Scale(products=10_000, reviews=1_000_000)}
# The product pages the issue measures: one with 100 reviews, one with 1,016.
MEASURED_REVIEW_COUNTS = (100, 1016)


@dataclass(frozen=True)
class Seeded:
    products: int
    reviews: int
    sku_100: str
    sku_1016: str
    skus_file: str
    keys_file: str
    accounts: int
    seconds: float


def sku(index: int) -> str:
    return f"BENCH-{index:06d}"


def accounts_needed(*, capacity: int, products: int) -> int:
    """Accounts so that ``capacity`` posts, each on a product the account has not reviewed,
    fit: post i goes to product i mod products by account i div products."""
    return max(1, math.ceil(capacity / products))


def _load_rows(*, scale: Scale, now) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    start = now - timedelta(days=HISTORY_DAYS)
    special = len(MEASURED_REVIEW_COUNTS)
    others = scale.reviews - sum(MEASURED_REVIEW_COUNTS)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'reviews_review' "
            "AND indexname <> 'reviews_review_pkey' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'reviews_review'::regclass)"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            """
            INSERT INTO products_category (name, name_en, slug)
            SELECT 'Category ' || n, 'Category ' || n, 'category-' || n FROM generate_series(1, %(n)s) AS n
            """,
            {"n": CATEGORIES},
        )
        cursor.execute("SELECT min(id) FROM products_category")
        first_category = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO products_product (
                sku, name, name_en, slug, brand, description, description_en, image_url, category_id,
                on_sale, gate_state, revision,
                current_count, current_sum, current_1_star, current_2_star, current_3_star,
                current_4_star, current_5_star, all_time_count, all_time_sum, all_time_1_star,
                all_time_2_star, all_time_3_star, all_time_4_star, all_time_5_star,
                created_at, updated_at)
            SELECT 'BENCH-' || lpad(n::text, 6, '0'), 'Product ' || lpad(n::text, 6, '0'),
                   'Product ' || lpad(n::text, 6, '0'), 'product-' || n, 'Brand ' || (n %% 40),
                   %(text)s, %(text)s, '', %(category)s + (n %% %(categories)s), true, 'active', 0,
                   0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, %(start)s, %(start)s
            FROM generate_series(1, %(products)s) AS n
            """,
            {
                "text": TEXT,
                "category": first_category,
                "categories": CATEGORIES,
                "start": start,
                "products": scale.products,
            },
        )
        cursor.execute("SELECT min(id) FROM products_product")
        first_product = cursor.fetchone()[0]
        cursor.execute("SELECT setseed(0.42)")
        # Products 1 and 2 (in SKU order) hold exactly 100 and 1,016 reviews; the others
        # share the rest at random. Ratings: a product's mean varies with its id, plus noise.
        for offset, count in enumerate(MEASURED_REVIEW_COUNTS):
            cursor.execute(
                REVIEWS_OF_ONE_PRODUCT,
                {
                    "product": first_product + offset,
                    "count": count,
                    "start": start,
                    "span": HISTORY_DAYS * 86400,
                    "text": TEXT,
                },
            )
        cursor.execute(
            REVIEWS_SPREAD,
            {
                "count": others,
                "first": first_product + special,
                "others": scale.products - special,
                "start": start,
                "span": HISTORY_DAYS * 86400,
                "text": TEXT,
            },
        )
        for _name, definition in indexes:
            cursor.execute(definition)
        # Every product's figures from its published, counted reviews (revision 0 is the
        # current one, so current and all time agree), in one statement.
        cursor.execute(
            """
            UPDATE products_product AS p SET
                current_count = f.n, all_time_count = f.n, current_sum = f.s, all_time_sum = f.s,
                current_1_star = f.s1, current_2_star = f.s2, current_3_star = f.s3,
                current_4_star = f.s4, current_5_star = f.s5,
                all_time_1_star = f.s1, all_time_2_star = f.s2, all_time_3_star = f.s3,
                all_time_4_star = f.s4, all_time_5_star = f.s5,
                current_average = round(f.s::numeric / f.n, 4)
            FROM (
                SELECT product_id, count(*) AS n, sum(rating) AS s,
                       count(*) FILTER (WHERE rating = 1) AS s1, count(*) FILTER (WHERE rating = 2) AS s2,
                       count(*) FILTER (WHERE rating = 3) AS s3, count(*) FILTER (WHERE rating = 4) AS s4,
                       count(*) FILTER (WHERE rating = 5) AS s5
                FROM reviews_review WHERE status = 'published' AND NOT employee GROUP BY product_id
            ) AS f
            WHERE f.product_id = p.id
            """
        )
        # What autovacuum would have done by then: statistics and the visibility map.
        cursor.execute("VACUUM ANALYZE products_product")
        cursor.execute("VACUUM ANALYZE reviews_review")


def _check_figures(sample: list[int]) -> None:
    from reviews.ratings import product_ratings_recompute

    drifts = product_ratings_recompute(product_ids=sample)
    if drifts:
        raise SystemExit(f"seed: stored figures disagree with the reviews: {drifts[:5]}")


def _accounts_and_keys(count: int) -> list[str]:
    from django.utils import timezone

    from accounts.models import User
    from apikeys.models import ApiKeyScope
    from apikeys.services import api_key_create

    joined = timezone.now() - timedelta(days=365)
    keys = []
    for index in range(count):
        user = User.objects.create_user(username=f"bench{index}", email=f"bench{index}@bench.invalid", password=None)
        User.objects.filter(pk=user.pk).update(date_joined=joined, email_verified_at=joined)
        created = api_key_create(name=f"bench {index}", owner=user, scopes=[ApiKeyScope.READ, ApiKeyScope.WRITE])
        keys.append(created.plaintext)
    return keys


def seed(*, scale_name: str, out_dir: Path) -> Seeded:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    scale = SCALES[scale_name]
    started = time.perf_counter()
    connection.ensure_connection()
    connection.connection.autocommit = True  # VACUUM runs outside a transaction
    _load_rows(scale=scale, now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, sku FROM products_product ORDER BY id")
        products = cursor.fetchall()
    ids = [pk for pk, _sku in products]
    _check_figures([*ids[:2], *ids[2 :: max(1, len(ids) // 40)]])
    accounts = accounts_needed(capacity=POST_CAPACITY_PER_SCALE[scale_name], products=len(products))
    with transaction.atomic():
        keys = _accounts_and_keys(accounts)
    skus_file, keys_file = out_dir / "skus.txt", out_dir / "keys.txt"
    skus_file.write_text("".join(f"{s}\n" for _pk, s in products))
    keys_file.write_text("".join(f"{k}\n" for k in keys))
    return Seeded(
        products=len(products),
        reviews=scale.reviews,
        sku_100=products[0][1],
        sku_1016=products[1][1],
        skus_file=str(skus_file),
        keys_file=str(keys_file),
        accounts=accounts,
        seconds=round(time.perf_counter() - started, 1),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("out", type=Path, help="where the SKU and key lists and the summary (JSON) go")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    seeded = seed(scale_name=args.scale, out_dir=args.out)
    (args.out / "seeded.json").write_text(json.dumps(asdict(seeded), indent=2))
    print(json.dumps(asdict(seeded)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
