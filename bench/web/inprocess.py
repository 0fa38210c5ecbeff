"""In-process timings and profiles of the web bench, against the seeded database.

Run by bench/web/run.py with the bench's environment (DJANGO_SETTINGS_MODULE=bench.web.settings):
the review post timed in-process (Django's test client: the whole middleware stack and view,
no HTTP server), beside the minimal DRF insert; and with --profile-prefix, pyinstrument
profiles (text) of the product page rendered and from the page cache, the bare JSON view, the
home page, the API list, the ratings feed (from its cache) and the review post.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WARM_UP = 5
PROFILE_REQUESTS = 40


def _lines(path: str) -> list[str]:
    return [line for line in Path(path).read_text().splitlines() if line]


class Poster:
    """Review posts through the API, each (account, product) pair used once, numbered from
    ``offset`` as bench/web/post.lua numbers them."""

    def __init__(self, client: Any, *, skus: list[str], keys: list[str], offset: int) -> None:
        self.client, self.skus, self.keys, self.next = client, skus, keys, offset

    def _body(self, i: int) -> str:
        text = "Kept me dry for a week of rain; the zip runs smoothly and the straps hold well."
        return json.dumps({"rating": 1 + i % 5, "title": f"Bench {i}", "body": text})

    def api(self) -> Any:
        i, self.next = self.next, self.next + 1
        sku, key = self.skus[i % len(self.skus)], self.keys[(i // len(self.skus)) % len(self.keys)]
        return self.client.post(
            f"/api/v1/products/{sku}/reviews/",
            data=self._body(i),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Api-Key {key}",
        )

    def baseline(self) -> Any:
        i, self.next = self.next, self.next + 1
        return self.client.post(
            f"/bench/baseline/products/{self.skus[i % len(self.skus)]}/reviews/",
            data=self._body(i),
            content_type="application/json",
        )


def _checked(response: Any, expected: int, what: str) -> Any:
    if response.status_code != expected:
        raise SystemExit(f"{what}: HTTP {response.status_code}, expected {expected}: {response.content[:500]!r}")
    return response


def time_ms(call: Callable[[], Any], *, times: int, expected: int, what: str) -> float:
    """The median wall time of ``call`` in milliseconds, after a few untimed calls."""
    for _ in range(WARM_UP):
        _checked(call(), expected, what)
    laps = []
    for _ in range(times):
        started = time.perf_counter()
        response = call()
        laps.append((time.perf_counter() - started) * 1000)
        _checked(response, expected, what)
    return statistics.median(laps)


def profile(call: Callable[[], Any], *, expected: int, what: str, out: Path) -> None:
    from pyinstrument import Profiler

    for _ in range(WARM_UP):
        _checked(call(), expected, what)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(PROFILE_REQUESTS):
        _checked(call(), expected, what)
    profiler.stop()
    header = f"# {what}: {PROFILE_REQUESTS} requests in-process (pyinstrument, bench/web/inprocess.py)\n"
    out.write_text(header + profiler.output_text(unicode=True, color=False, show_all=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeded", type=Path, required=True, help="the seed's summary (seeded.json)")
    parser.add_argument("--offset", type=int, required=True, help="the first unused post number")
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--profile-prefix", help="write profiles to PREFIX-<name>.txt")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.test import Client

    seeded = json.loads(args.seeded.read_text())
    client = Client()
    poster = Poster(client, skus=_lines(seeded["skus_file"]), keys=_lines(seeded["keys_file"]), offset=args.offset)
    result: dict[str, Any] = {
        "review_post_ms": time_ms(poster.api, times=args.posts, expected=201, what="review POST through the API"),
        "baseline_insert_ms": time_ms(poster.baseline, times=args.posts, expected=201, what="minimal DRF insert"),
        "posts": args.posts,
        "profiles": [],
    }
    if args.profile_prefix:

        def fresh(path: str) -> Callable[[], Any]:
            # As wrk asks: a new visitor each time (no cookies kept), so the cached page's
            # CSRF token and cookie are made for every request, as they are under the bench.
            def get() -> Any:
                client.cookies.clear()
                return client.get(path)

            return get

        targets: list[tuple[str, Callable[[], Any], int]] = [
            # Rendered: a parameter the page does not read bypasses the page cache (run.py).
            ("product-page-100", fresh(f"/products/{seeded['sku_100']}/?render=1"), 200),
            ("product-page-1016", fresh(f"/products/{seeded['sku_1016']}/?render=1"), 200),
            ("product-page-100-cached", fresh(f"/products/{seeded['sku_100']}/"), 200),
            ("bare-json", fresh("/bench/baseline/json/"), 200),
            ("home", fresh("/"), 200),
            ("api-list-50", fresh("/api/v1/products/"), 200),
            ("api-list-20", fresh("/api/v1/products/?page_size=20"), 200),
            ("ratings-feed", fresh("/api/v1/ratings/"), 200),
            ("review-post", poster.api, 201),
        ]
        for name, call, expected in targets:
            out = Path(f"{args.profile_prefix}-{name}.txt")
            profile(call, expected=expected, what=name, out=out)
            result["profiles"].append(str(out))
    result["next_offset"] = poster.next
    print("BENCH_INPROCESS " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
