"""What pyarrow's CSV reader would read silently and the strict reader refuses: found first.

pyarrow reads a quote left open at the end of the file as a field running to the end (it
swallows every row after it), reads ``"a"b`` as ``ab``, and takes NUL bytes as text. The row
engine (Python's ``csv`` in strict mode, :mod:`core.csv_input`) refuses all three. So
before the columnar engine reads a file, one pass over its bytes (numpy, in blocks, about
0.1 s per 100 MB) checks that every quote is where a strict reader accepts it; if not, the
columnar engine hands the file to the row engine, which names the line.

The test is on quote positions alone. Counting quotes from the start of the file, a quote
preceded by an even number of quotes would open a quoted field: it must start a field
(after a comma, a line break or the file's start) or be the second of a doubled quote
(``""``, after a quote). A quote preceded by an odd number would close one: it must be
followed by a comma, a line break, a quote (the first of a doubled one) or the end of the
file. And the total must be even (no field left open). This is stricter than Python's
``csv`` in one way (a quote in the middle of an unquoted field, ``ab"c``, which ``csv``
reads as text): such a file goes to the row engine too, which is always correct.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

__all__ = ["quoting_problem"]

_BLOCK_BYTES = 16 << 20
_QUOTE, _COMMA, _LF, _CR, _NUL = (ord(char) for char in '",\n\r\0')
_FIELD_STARTS = np.array([_COMMA, _LF, _CR, _QUOTE], dtype=np.uint8)
_FIELD_ENDS = np.array([_COMMA, _LF, _CR, _QUOTE], dtype=np.uint8)


def quoting_problem(path: str | Path) -> str | None:
    """Why a strict CSV reader would refuse the file's quoting or bytes, or ``None``."""
    quotes_so_far = 0
    byte_before = _LF  # the file starts as a line does
    pending = b""  # the last byte of a block: what follows it is in the next block
    with open(path, "rb") as raw:
        while True:
            block = raw.read(_BLOCK_BYTES)
            data = pending + block
            if not data:
                break
            at_end = not block
            problem, quotes_so_far, byte_before, pending = _block_checked(data, at_end, quotes_so_far, byte_before)
            if problem is not None:
                return problem
            if at_end:
                break
    if quotes_so_far % 2:
        return "a quoted field is still open at the end of the file"
    return None


def _block_checked(
    data: bytes, at_end: bool, quotes_so_far: int, byte_before: int
) -> tuple[str | None, int, int, bytes]:
    """One block: (problem, quotes counted, the byte before the next block, its pending bytes)."""
    values = np.frombuffer(data, dtype=np.uint8)
    if not values.all():
        return "a NUL byte", quotes_so_far, byte_before, b""
    # Bytes whose next byte is known: all at the end of the file, else all but the last.
    known = values.size if at_end else values.size - 1
    following = np.append(values[1:], _LF) if at_end else values[1:]  # the end closes a field
    positions = np.flatnonzero(values[:known] == _QUOTE)
    if positions.size:
        before = np.where(positions > 0, values[positions - 1], byte_before)
        after = following[positions]
        opening = (quotes_so_far + np.arange(positions.size)) % 2 == 0
        misplaced = np.where(opening, ~np.isin(before, _FIELD_STARTS), ~np.isin(after, _FIELD_ENDS))
        if misplaced.any():
            return "a quote in the middle of a field", quotes_so_far, byte_before, b""
    if known:
        byte_before = int(values[known - 1])
    return None, quotes_so_far + int(positions.size), byte_before, data[known:]
