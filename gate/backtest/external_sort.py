"""The row engine's way through a file not sorted by day: an external sort of its batches.

Per-product-per-day figures are written in sorted runs of at most ``_RUN_ENTRIES``
entries to temporary files and merged. That costs a second read of the file, a sort, and
temporary disk of about 24 bytes per product-day (about three times the work of a sorted
file in all, see docs/performance.md), with memory bounded by the run size, not the file
size.
"""

from __future__ import annotations

import heapq
import itertools
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, suppress
from typing import IO

__all__ = ["externally_sorted"]

_RUN_ENTRIES = 250_000


def _spill(run: list[tuple[int, int, int]], stack: ExitStack) -> IO[bytes]:
    run.sort()
    spill = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 (the stack closes it)
    array("q", itertools.chain.from_iterable(run)).tofile(spill)
    spill.seek(0)
    return spill


def _read_run(spill: IO[bytes]) -> Iterator[tuple[int, int, int]]:
    while True:
        block = array("q")
        # A last, shorter block raises EOFError but is read into ``block`` all the same.
        with suppress(EOFError):
            block.fromfile(spill, 3 * 8192)
        if not block:
            return
        values = iter(block)
        yield from zip(values, values, values, strict=True)


def externally_sorted(
    batches: Iterable[tuple[int, dict[str, int]]], stack: ExitStack
) -> Iterator[tuple[int, dict[str, int]]]:
    """The same batches, merged by day: sorted runs on disk, then a k-way merge."""
    index: dict[str, int] = {}
    names: list[str] = []
    run: list[tuple[int, int, int]] = []
    spills: list[IO[bytes]] = []
    for day, incoming in batches:
        for product_id, figures in incoming.items():
            number = index.get(product_id)
            if number is None:
                number = index[product_id] = len(names)
                names.append(product_id)
            run.append((day, number, figures))
        if len(run) >= _RUN_ENTRIES:
            spills.append(_spill(run, stack))
            run = []
    run.sort()
    merged = heapq.merge(*(_read_run(spill) for spill in spills), iter(run))
    current = -1
    batch: dict[str, int] = {}
    for day, number, figures in merged:
        if day != current:
            if batch:
                yield current, batch
                batch = {}
            current = day
        product_id = names[number]
        batch[product_id] = batch.get(product_id, 0) + figures
    if batch:
        yield current, batch
