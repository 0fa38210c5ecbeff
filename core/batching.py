"""Reading and writing rows in bounded batches."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

# Ids are read and written this many at a time: it bounds memory and keeps every
# `IN (...)` list far below SQLite's limit on query parameters.
CHUNK_SIZE = 2000

_T = TypeVar("_T")


def chunked(items: Sequence[_T], size: int = CHUNK_SIZE) -> Iterator[Sequence[_T]]:
    """``items`` in consecutive slices of at most ``size``."""
    for offset in range(0, len(items), size):
        yield items[offset : offset + size]
