"""The web bench (issue 19): the site under gunicorn beside minimal baseline views, by wrk.

    .venv/bin/python -m bench.web.run        # BENCH_SCALE=full (default) or small

It starts what it needs and removes it afterwards:
- PostgreSQL: a scratch database on BENCH_DATABASE_URL's server (its role may create
  databases), or else a throwaway cluster (initdb, pg_ctl) on a free port in a temporary
  directory, run as the `postgres` user when the bench runs as root;
- Redis (the cache and the Celery broker, as in production): a redis-server on a free port;
- the site under gunicorn, 2 sync workers, production settings (DEBUG off) plus the
  baseline views (bench.web.settings), on plain HTTP at 127.0.0.1 (the HTTPS redirect and
  secure cookies off) and with the rate limits off (RATELIMIT_ENABLED=0: the bench posts
  far more than a person may).

Then it seeds (bench/web/seed.py), warms each endpoint up, runs wrk against every endpoint
BENCH_ROUNDS times (5) interleaved (bench/web/harness.py), times the review post in-process,
and prints each ratio with its target and p99. Results: bench/results/<date>[-small].json;
at full scale (or BENCH_WRITE_DOC=1) the tables go into docs/performance.md with the
machine. BENCH_PROFILE=1 writes pyinstrument profiles to bench/results/. Exit status 1 if
anything failed (an endpoint answered an error, a server did not start); a missed target is
not a failure (targets are judged at full scale, by a person reading the table).
"""

# The bench starts the programs it measures with (initdb, pg_ctl, redis-server, gunicorn,
# wrk), from fixed argument lists: no input of anyone's reaches them.
# ruff: noqa: S603

from __future__ import annotations

import contextlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.web import harness
from bench.web.processes import (
    PY,
    REPO,
    conninfo,
    database,
    gunicorn,
    log,
    redis_server,
    site_env,
    status,
)

RESULTS = REPO / "bench" / "results"
DOC = REPO / "docs" / "performance.md"
DOC_START, DOC_END = "<!-- web-bench:start -->", "<!-- web-bench:end -->"
LUA_REPORT, LUA_POST = Path(__file__).with_name("report.lua"), Path(__file__).with_name("post.lua")


@dataclass(frozen=True)
class Plan:
    scale: str
    threads: int
    connections: int
    seconds: int
    warm_up_seconds: int
    rounds: int
    inprocess_posts: int


def plan_from_env(env: dict[str, str]) -> Plan:
    scale = env.get("BENCH_SCALE", "full")
    if scale not in ("small", "full"):
        raise SystemExit(f"BENCH_SCALE must be small or full, not {scale!r}")
    full = scale == "full"
    return Plan(
        scale=scale,
        threads=2,
        # Small: fewer connections, so that a slow machine still completes requests in each
        # short run and drains its backlog quickly (drain()).
        connections=16 if full else 4,
        seconds=int(env.get("BENCH_SECONDS", 10 if full else 1)),
        warm_up_seconds=2 if full else 1,
        rounds=int(env.get("BENCH_ROUNDS", 5)),
        inprocess_posts=200 if full else 30,
    )


# --- wrk --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str  # GET path, or the POST target of post.lua ("api" or "baseline")
    post: bool = False


def endpoints(seeded: dict[str, Any]) -> list[Endpoint]:
    return [
        # Rendered: a parameter the page does not read is never served from the page cache
        # (core.page_cache), so these measure the page a signed-in shopper gets.
        Endpoint("product_100", f"/products/{seeded['sku_100']}/?render=1"),
        Endpoint("product_1016", f"/products/{seeded['sku_1016']}/?render=1"),
        # As an anonymous shopper gets it: from the page cache after the warm-up.
        Endpoint("product_100_cached", f"/products/{seeded['sku_100']}/"),
        Endpoint("home", "/"),
        Endpoint("api_list_50", "/api/v1/products/"),
        Endpoint("api_list_20", "/api/v1/products/?page_size=20"),
        # From its cache after the warm-up (products.api.cached), keyed by the page's rows.
        Endpoint("ratings_feed", "/api/v1/ratings/"),
        Endpoint("api_post", "api", post=True),
        Endpoint("base_json", "/bench/baseline/json/"),
        Endpoint("base_page", f"/bench/baseline/products/{seeded['sku_100']}/"),
        Endpoint("base_list_20", "/bench/baseline/products/?page_size=20"),
        Endpoint("base_insert", "baseline", post=True),
    ]


class Wrk:
    def __init__(self, *, base: str, plan: Plan, seeded: dict[str, Any]) -> None:
        self.base, self.plan, self.seeded = base, plan, seeded
        self.next_post = 0  # post numbers used so far (bench/web/post.lua)
        self.capacity = seeded["products"] * seeded["accounts"]

    def run(self, endpoint: Endpoint, seconds: int) -> harness.WrkRun:
        p = self.plan
        env = {**os.environ, "BENCH_REPORT_LUA": str(LUA_REPORT)}
        if endpoint.post:
            url, script = f"{self.base}/", LUA_POST
            env |= {
                "BENCH_POST_OFFSET": str(self.next_post),
                "BENCH_THREADS": str(p.threads),
                "BENCH_POST_TARGET": endpoint.path,
                "BENCH_SKUS_FILE": self.seeded["skus_file"],
                "BENCH_KEYS_FILE": self.seeded["keys_file"],
            }
        else:
            url, script = f"{self.base}{endpoint.path}", LUA_REPORT
        command = ["wrk", f"-t{p.threads}", f"-c{p.connections}", f"-d{seconds}s", "--timeout", "10s"]
        command += ["-s", str(script), url]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"wrk failed on {endpoint.name} ({done.returncode}): {done.stderr}{done.stdout}")
        result = harness.parse_wrk_report(done.stdout)
        if os.environ.get("BENCH_VERBOSE") == "1":
            log(f"{endpoint.name}: {done.stdout}")
        drain(self.base)
        if endpoint.post:
            # Each thread numbers its posts offset + thread + threads * n; a thread may send
            # more than its share, and requests in flight at the end count too.
            self.next_post += p.threads * (result.requests + p.connections)
            if self.next_post > self.capacity:
                raise SystemExit(f"the seed's {self.capacity} (account, product) pairs ran out: seed more accounts")
        return result


def drain(base: str) -> None:
    """Waits until both workers are free. When wrk stops, the requests it had sent on its
    other connections are still queued in the listen backlog, and each sync worker serves
    them (to no one) before anything else: the next run would otherwise start behind them.
    Two requests sent together are answered once the queue ahead of them is served."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = list(pool.map(lambda _: status(f"{base}/bench/baseline/json/", timeout=300), range(2)))
    if statuses != [200, 200]:
        raise SystemExit(f"the bare JSON view answered {statuses} after a run")


def explain_errors(base: str, endpoint: Endpoint) -> str:
    if endpoint.post:
        return "see gunicorn's log below; a review post's answer is not fetched again (it would post)"
    try:
        with urllib.request.urlopen(f"{base}{endpoint.path}", timeout=10) as response:  # noqa: S310  # nosec B310
            return f"HTTP {response.status} now"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}: {error.read()[:300]!r}"


# --- The machine ------------------------------------------------------------------------
def _first_line(command: list[str]) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=False, timeout=10)
    except OSError:
        return "unknown"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr).strip() else "unknown"


def machine(database_url: str, *, at_start: dict[str, Any]) -> dict[str, Any]:
    import django
    import psycopg
    import rest_framework

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    with psycopg.connect(conninfo(database_url)) as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        **at_start,
        "load_average_at_end": os.getloadavg()[0],
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "djangorestframework": rest_framework.VERSION,
        "gunicorn": _first_line([str(Path(PY).with_name("gunicorn")), "--version"]),
        "postgresql": postgres,
        "redis": _first_line(["redis-server", "--version"]),
        "wrk": _first_line(["wrk", "--version"]),
    }


def at_start() -> dict[str, Any]:
    """What must be read before the run: the code measured, and how busy the machine was."""
    return {
        "commit": _first_line(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "load_average_at_start": os.getloadavg()[0],
    }


# --- Output -----------------------------------------------------------------------------
def doc_section(results: dict[str, Any], rows: list[harness.Row], summaries: dict[str, harness.Summary]) -> str:
    m, p, ip = results["machine"], results["plan"], results["in_process"]
    paths = {e["name"]: ("POST " + e["path"]) if e["post"] else e["path"] for e in results["endpoints"]}
    return "\n".join(
        [
            f"Measured {results['date']} at commit `{m['commit']}`, scale `{p['scale']}` "
            f"({results['seeded']['products']:,} products, {results['seeded']['reviews']:,} reviews; "
            f"seeded in {results['seeded']['seconds']} s), `wrk -t{p['threads']} -c{p['connections']} "
            f"-d{p['seconds']}s`, {p['rounds']} interleaved rounds, medians; p99 from wrk's latency "
            "distribution (median over rounds).",
            "",
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; load average "
            f"{m['load_average_at_start']:.2f} at start, {m['load_average_at_end']:.2f} at the end; "
            f"{m['os']}; Python {m['python']}, Django "
            f"{m['django']}, DRF {m['djangorestframework']}, {m['gunicorn']}, PostgreSQL {m['postgresql']}, "
            f"{m['redis']}, {m['wrk']}.",
            "",
            harness.ratio_table(rows),
            "",
            f"Review post in-process (median of {ip['posts']}, Django's test client, no HTTP server): "
            f"**{ip['review_post_ms']:.1f} ms**; the minimal DRF insert: {ip['baseline_insert_ms']:.1f} ms "
            f"(ratio {ip['review_post_ms'] / ip['baseline_insert_ms']:.2f}). Issue 19's target is half of "
            "django-oscar's form post (5.9 ms there, so <= 2.95 ms), not re-measured here.",
            "",
            "Every endpoint:",
            "",
            harness.endpoint_table(summaries, paths),
        ]
    )


def main() -> int:  # noqa: PLR0915 - the bench's one sequence, read top to bottom
    # A SIGTERM (CI's timeout, a kill) leaves through the finally blocks below, which stop
    # PostgreSQL, Redis and gunicorn and drop the scratch database: SystemExit unwinds them.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    plan = plan_from_env(dict(os.environ))
    started, start_facts = time.monotonic(), at_start()
    date = datetime.now(UTC).strftime("%Y-%m-%d")
    stem = date if plan.scale == "full" else f"{date}-{plan.scale}"
    failures: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="rg-web-bench-"))
    try:
        with database(tmp) as database_url, redis_server(tmp) as redis_port:
            env = site_env(database_url=database_url, redis_port=redis_port, tmp=tmp)
            log(f"migrating {urlsplit(database_url).path.lstrip('/')}, collecting static files")
            subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], cwd=REPO, env=env, check=True)
            subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=REPO, env=env, check=True)
            log(f"seeding ({plan.scale})")
            seed_dir = tmp / "seed"
            subprocess.run(
                [PY, "-m", "bench.web.seed", "--scale", plan.scale, str(seed_dir)],
                cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            seeded = json.loads((seed_dir / "seeded.json").read_text())
            log(f"seeded {seeded['products']:,} products, {seeded['reviews']:,} reviews in {seeded['seconds']} s")
            points = endpoints(seeded)
            by_name = {e.name: e for e in points}
            runs: dict[str, list[harness.WrkRun]] = {e.name: [] for e in points}
            with gunicorn(env, tmp) as base:
                wrk = Wrk(base=base, plan=plan, seeded=seeded)
                for e in points:
                    warm = wrk.run(e, plan.warm_up_seconds)
                    if warm.errors or not warm.requests:
                        failures.append(
                            f"{e.name} (warm-up): {warm.requests} requests, {warm.errors} errors; "
                            + explain_errors(base, e)
                        )
                log("warmed up; measuring")
                for number, order in enumerate(harness.interleaved([e.name for e in points], plan.rounds), 1):
                    for name in order:
                        run = wrk.run(by_name[name], plan.seconds)
                        runs[name].append(run)
                        if run.errors or not run.requests:
                            failures.append(
                                f"{name} (round {number}): {run.requests} requests, {run.errors} errors; "
                                + explain_errors(base, by_name[name])
                            )
                    log(f"round {number}/{plan.rounds} done")
            log("in-process review post" + (" and profiles" if os.environ.get("BENCH_PROFILE") == "1" else ""))
            command = [PY, "-m", "bench.web.inprocess", "--seeded", str(seed_dir / "seeded.json"),
                       "--offset", str(wrk.next_post), "--posts", str(plan.inprocess_posts)]  # fmt: skip
            if os.environ.get("BENCH_PROFILE") == "1":
                RESULTS.mkdir(parents=True, exist_ok=True)
                command += ["--profile-prefix", str(RESULTS / f"profile-{stem}")]
            done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"in-process timing failed:\n{done.stderr[-3000:]}{done.stdout[-1000:]}")
            line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH_INPROCESS "))
            in_process = json.loads(line.split(" ", 1)[1])
            summaries = {name: harness.summarise(r) for name, r in runs.items()}
            rows = harness.ratio_rows(summaries)
            results = {
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "plan": asdict(plan),
                "machine": machine(database_url, at_start=start_facts),
                "seeded": {k: v for k, v in seeded.items() if not k.endswith("_file")},
                "endpoints": [asdict(e) for e in points],
                "runs": {name: [asdict(r) | {"rps": r.rps} for r in rs] for name, rs in runs.items()},
                "medians": {name: asdict(s) for name, s in summaries.items()},
                "ratios": [asdict(r) | {"met": r.met} for r in rows],
                "in_process": in_process,
                "failures": failures,
                "seconds": round(time.monotonic() - started, 1),
            }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{stem}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    section = doc_section(results, rows, summaries)
    print(section)
    if plan.scale == "full" or os.environ.get("BENCH_WRITE_DOC") == "1":
        DOC.write_text(harness.replace_section(DOC.read_text(), section, start=DOC_START, end=DOC_END))
        log(f"tables written to {DOC.relative_to(REPO)}")
    log(f"results: {out.relative_to(REPO)} ({results['seconds']} s in all)")
    if failures:
        print("\nFAILED: " + "\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
