"""The cluster test's verdicts, as pure functions over plain rows (unit-tested), and the
record of every check's PASS or FAIL."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from devtools.cluster.processes import log


@dataclass(frozen=True)
class Figures:
    """A product's counted reviews: how many, and the sum of their ratings."""

    count: int
    total: int


def figure_mismatches(stored: Mapping[str, Figures], recounted: Mapping[str, Figures]) -> list[str]:
    """Products whose stored figures differ from a recount of their reviews (a product with
    no counted review is absent from ``recounted``: its figures must be zero)."""
    problems = []
    for sku in sorted(stored.keys() | recounted.keys()):
        if sku not in stored:
            problems.append(f"{sku}: reviews counted but no product row")
            continue
        have, want = stored[sku], recounted.get(sku, Figures(0, 0))
        if have != want:
            problems.append(f"{sku}: stored count {have.count} sum {have.total}, recount {want.count} sum {want.total}")
    return problems


@dataclass(frozen=True)
class OutboxRow:
    dedupe_key: str
    channel: str
    status: str
    event_id: str | None  # a webhook's Reviewgate-Event-Id; None for an email
    # Delivery attempts that ended in success (an attempt cut short by a killed worker has
    # no outcome and is not one).
    succeeded_attempts: int = 1


def outbox_problems(rows: Sequence[OutboxRow]) -> list[str]:
    """Every message sent, once: one row per de-duplication key, status `sent`, and one
    successful delivery attempt."""
    problems = [f"{key}: {n} rows" for key, n in Counter(r.dedupe_key for r in rows).items() if n > 1]
    problems += [f"{r.dedupe_key}: {r.status}" for r in rows if r.status != "sent"]
    problems += [
        f"{r.dedupe_key}: {r.succeeded_attempts} successful attempts"
        for r in rows
        if r.status == "sent" and r.succeeded_attempts != 1
    ]
    return problems


def unseen_event_ids(rows: Sequence[OutboxRow], received: Iterable[str]) -> list[str]:
    """Webhook event ids the receiver never got (de-duplicated by Reviewgate-Event-Id:
    a delivery repeated, as at-least-once allows, counts once)."""
    seen = set(received)
    expected = {r.event_id for r in rows if r.channel == "webhook" and r.event_id is not None}
    return sorted(expected - seen, key=lambda e: (len(e), e))


def repeated_event_ids(received: Iterable[str]) -> dict[str, int]:
    """Event ids delivered more than once (allowed; reported for the record)."""
    return {event_id: n for event_id, n in Counter(received).items() if n > 1}


@dataclass
class Verdicts:
    """Every check of the run, in order: its name, whether it passed, and why not."""

    results: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.results.append((name, ok, detail))
        log(f"{'PASS' if ok else 'FAIL'}: {name}" + (f" ({detail})" if detail else ""))
        return ok

    @property
    def failed(self) -> list[str]:
        return [name for name, ok, _detail in self.results if not ok]


def until(predicate, *, seconds: float, every: float = 0.5):  # type: ignore[no-untyped-def]
    """Polls ``predicate`` until it returns a true value or ``seconds`` pass; returns its
    last value (so a failed wait can say what it saw)."""
    deadline = time.monotonic() + seconds
    while True:
        value = predicate()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(every)
