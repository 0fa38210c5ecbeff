"""The web bench's pure parts: reading wrk's report, the order of the runs, the medians and
the ratio table with the issue's targets. No Django, no processes: tests/unit tests them."""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

REPORT_PREFIX = "BENCH_WRK "


class WrkReportMissing(ValueError):
    """wrk printed no report line: it failed, or the Lua script did not run."""


@dataclass(frozen=True)
class WrkRun:
    requests: int
    seconds: float
    errors: int  # connect, read, write and timeout errors, and non-2xx/3xx answers
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_wrk_report(output: str) -> WrkRun:
    """The run that ``report.lua`` printed in wrk's output."""
    for line in output.splitlines():
        if line.startswith(REPORT_PREFIX):
            data = json.loads(line[len(REPORT_PREFIX) :])
            latency = data["latency_us"]
            return WrkRun(
                requests=int(data["requests"]),
                seconds=data["duration_us"] / 1e6,
                errors=sum(int(n) for n in data["errors"].values()),
                p50_ms=latency["p50"] / 1000,
                p99_ms=latency["p99"] / 1000,
            )
    raise WrkReportMissing(f"no {REPORT_PREFIX.strip()} line in wrk's output:\n{output[-2000:]}")


def interleaved(names: Sequence[str], rounds: int) -> list[list[str]]:
    """Each round runs every endpoint once, starting one further along the list each round:
    a drift of the machine (another job, a warming cache) spreads over all endpoints
    instead of landing on the one that always runs at a given moment."""
    if not names:
        return [[] for _ in range(rounds)]
    return [[names[(start + i) % len(names)] for i in range(len(names))] for start in range(rounds)]


@dataclass(frozen=True)
class Summary:
    rps: float  # median over rounds
    p99_ms: float  # median over rounds of each round's p99
    rounds: int


def summarise(runs: Iterable[WrkRun]) -> Summary:
    runs = list(runs)
    return Summary(
        rps=statistics.median(r.rps for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        rounds=len(runs),
    )


@dataclass(frozen=True)
class Comparison:
    """One row of the issue's table: ours over a baseline's throughput, and its target."""

    what: str
    ours: str  # endpoint name
    baseline: str  # endpoint name
    target: float | None  # None: shown for context, no target


# The table (issue 19), in its order. The django-oscar rows are not part of the bench.
COMPARISONS: tuple[Comparison, ...] = (
    Comparison("product page, 100 reviews / minimal page (20 reviews)", "product_100", "base_page", 0.8),
    Comparison("product page, 1,016 reviews / minimal page (20 reviews)", "product_1016", "base_page", 0.8),
    Comparison("GET /api/v1/products/ 50 rows / minimal DRF list 20 rows", "api_list_50", "base_list_20", None),
    Comparison("GET /api/v1/products/ 20 rows / minimal DRF list 20 rows", "api_list_20", "base_list_20", 0.8),
    Comparison("review POST through the API / minimal DRF insert", "api_post", "base_insert", 0.7),
    Comparison("home page / minimal page", "home", "base_page", 0.8),
    Comparison("stretch: cached anonymous product page / bare JSON view", "product_100_cached", "base_json", 0.5),
)


@dataclass(frozen=True)
class Row:
    what: str
    ours_rps: float
    ours_p99_ms: float
    baseline: str
    baseline_rps: float
    baseline_p99_ms: float
    ratio: float
    target: float | None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.ratio >= self.target


def ratio_rows(summaries: Mapping[str, Summary], comparisons: Sequence[Comparison] = COMPARISONS) -> list[Row]:
    rows = []
    for c in comparisons:
        ours, base = summaries[c.ours], summaries[c.baseline]
        rows.append(
            Row(
                what=c.what,
                ours_rps=ours.rps,
                ours_p99_ms=ours.p99_ms,
                baseline=c.baseline,
                baseline_rps=base.rps,
                baseline_p99_ms=base.p99_ms,
                ratio=ours.rps / base.rps if base.rps else 0.0,
                target=c.target,
            )
        )
    return rows


def _verdict(row: Row) -> str:
    if row.met is None:
        return "context"
    return "met" if row.met else "missed"


def ratio_table(rows: Sequence[Row]) -> str:
    """The rows as a Markdown table (printed, and written into docs/performance.md)."""
    lines = [
        "| what | reviewgate req/s | p99 ms | baseline req/s | p99 ms | ratio | target | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        target = "" if r.target is None else f">= {r.target:g}"
        lines.append(
            f"| {r.what} | {r.ours_rps:,.1f} | {r.ours_p99_ms:,.1f} | {r.baseline_rps:,.1f} | "
            f"{r.baseline_p99_ms:,.1f} | {r.ratio:.2f} | {target} | {_verdict(r)} |"
        )
    return "\n".join(lines)


def endpoint_table(summaries: Mapping[str, Summary], paths: Mapping[str, str]) -> str:
    lines = ["| endpoint | request | req/s (median) | p99 ms (median) |", "| --- | --- | ---: | ---: |"]
    for name, s in summaries.items():
        lines.append(f"| {name} | `{paths.get(name, '')}` | {s.rps:,.1f} | {s.p99_ms:,.1f} |")
    return "\n".join(lines)


def replace_section(document: str, section: str, *, start: str, end: str) -> str:
    """``document`` with the text between the markers replaced (or appended, markers and all)."""
    block = f"{start}\n{section.rstrip()}\n{end}"
    if start in document and end in document:
        head, rest = document.split(start, 1)
        _old, tail = rest.split(end, 1)
        return f"{head}{block}{tail}"
    return f"{document.rstrip()}\n\n{block}\n"
