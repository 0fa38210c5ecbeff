"""The web bench's pure parts (bench/web/harness.py): reading wrk's report, the interleaved
order of the runs, medians, and the ratio table against issue 19's targets."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from bench.web import harness
from bench.web.run import plan_from_env
from bench.web.seed import accounts_needed

ROOT = Path(__file__).resolve().parents[2]
WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    11.79ms   12.31ms  75.84ms   84.35%
  3719 requests in 2.10s, 1.87MB read
  Non-2xx or 3xx responses: 3
Requests/sec:   1767.99
BENCH_WRK {"requests": 3719, "duration_us": 2000000, "bytes": 1956194, "errors": {"connect": 1, "read": 0, \
"write": 0, "status": 3, "timeout": 2}, "latency_us": {"mean": 11785.1, "p50": 5390, "p90": 31432, "p99": 51591, \
"max": 75837}}
"""


def test_the_report_line_gives_throughput_latency_and_every_error():
    run = harness.parse_wrk_report(WRK_OUTPUT)
    assert run.requests == 3719
    assert run.seconds == 2.0
    assert run.rps == pytest.approx(1859.5)
    assert run.p50_ms == pytest.approx(5.39)
    assert run.p99_ms == pytest.approx(51.591)
    # Non-2xx answers count as errors, beside socket errors and timeouts.
    assert run.errors == 6


def test_output_without_the_report_line_is_an_error_not_zero_requests():
    with pytest.raises(harness.WrkReportMissing):
        harness.parse_wrk_report("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_each_round_runs_every_endpoint_once_starting_one_further_along():
    names = ["a", "b", "c"]
    order = harness.interleaved(names, 5)
    assert order == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"], ["b", "c", "a"]]
    for round_ in order:
        assert sorted(round_) == names
    # Over as many rounds as endpoints, each endpoint runs once in each position.
    square = harness.interleaved(names, 3)
    for position in range(3):
        assert sorted(r[position] for r in square) == names


def _run(rps: float, p99: float) -> harness.WrkRun:
    return harness.WrkRun(requests=int(rps * 10), seconds=10.0, errors=0, p50_ms=p99 / 2, p99_ms=p99)


def test_summaries_are_medians_over_rounds():
    summary = harness.summarise([_run(100, 9), _run(300, 1), _run(200, 5), _run(1000, 50), _run(150, 4)])
    assert summary.rps == 200
    assert summary.p99_ms == 5
    assert summary.rounds == 5


def test_ratio_rows_divide_ours_by_the_baseline_and_judge_the_target():
    summaries = {
        "page": harness.summarise([_run(80, 20)]),
        "fast": harness.summarise([_run(79, 20)]),
        "base": harness.summarise([_run(100, 10)]),
    }
    comparisons = [
        harness.Comparison("page / base", "page", "base", 0.8),
        harness.Comparison("fast / base", "fast", "base", 0.8),
        harness.Comparison("context", "page", "base", None),
    ]
    met, missed, context = harness.ratio_rows(summaries, comparisons)
    assert (met.ratio, met.met) == (pytest.approx(0.8), True)
    assert (missed.ratio, missed.met) == (pytest.approx(0.79), False)
    assert context.met is None
    table = harness.ratio_table([met, missed, context])
    assert "| page / base | 80.0 | 20.0 | 100.0 | 10.0 | 0.80 | >= 0.8 | met |" in table
    assert "| fast / base | 79.0 | 20.0 | 100.0 | 10.0 | 0.79 | >= 0.8 | missed |" in table
    assert table.splitlines()[-1].endswith("|  | context |")


def test_the_issue_table_compares_with_baselines_the_bench_runs():
    targets = {c.what: c.target for c in harness.COMPARISONS}
    assert targets["review POST through the API / minimal DRF insert"] == 0.7
    assert targets["stretch: cached anonymous product page / bare JSON view"] == 0.5
    assert sum(1 for t in targets.values() if t == 0.8) == 4
    assert all(c.baseline.startswith("base_") and not c.ours.startswith("base_") for c in harness.COMPARISONS)


def test_the_doc_section_is_replaced_between_its_markers_or_appended():
    start, end = "<!-- s -->", "<!-- e -->"
    appended = harness.replace_section("# Doc\n", "table 1", start=start, end=end)
    assert appended == "# Doc\n\n<!-- s -->\ntable 1\n<!-- e -->\n"
    replaced = harness.replace_section(appended + "after\n", "table 2", start=start, end=end)
    assert replaced == "# Doc\n\n<!-- s -->\ntable 2\n<!-- e -->\nafter\n"


def test_scales_and_their_wrk_settings():
    full = plan_from_env({})
    assert (full.scale, full.threads, full.connections, full.seconds, full.rounds) == ("full", 2, 16, 10, 5)
    assert plan_from_env({"BENCH_SCALE": "small"}).seconds < full.seconds
    with pytest.raises(SystemExit):
        plan_from_env({"BENCH_SCALE": "huge"})


def test_enough_accounts_that_no_account_reviews_a_product_twice():
    assert accounts_needed(capacity=40_000, products=600) == 67
    assert accounts_needed(capacity=10, products=600) == 1


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk (the Debian package) is not installed")
def test_report_lua_prints_the_line_the_harness_reads():
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(ROOT)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/pyproject.toml"
        script = ROOT / "bench" / "web" / "report.lua"
        done = subprocess.run(
            ["wrk", "-t1", "-c1", "-d1s", "-s", str(script), url], capture_output=True, text=True, check=True, cwd=ROOT
        )
    finally:
        server.shutdown()
    run = harness.parse_wrk_report(done.stdout)
    assert run.requests > 0
    assert run.errors == 0
    assert 0 < run.p50_ms <= run.p99_ms
