"""The one set of malformed CSV files, run against every reader (both backtest engines,
``import_reviews``, ``import_improvements``, and the backtest's improvements file).

Each case is a bad line put between good ones, in a reviews file or an improvements file:
line 1 the header, line 2 a good row, line 3 the bad one, lines 4 and 5 good rows (which a
quote left open on line 3 would swallow). Every reader must stop with the file, line 3 and
the reason, and write nothing; with ``--skip-invalid`` it names line 3 and takes the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

FileKind = Literal["reviews", "improvements"]

BAD_LINE = 3
GOOD_SKU = "TENT-1"

# Each kind of file has four columns: three it reads, then a fourth (stored by
# import_reviews, ignored by the others). A row is a three-column prefix and a last value.
_HEADERS = {"reviews": "product_id,rating,created_at,title", "improvements": "product_id,logged_at,description,note"}
_PREFIX = {"reviews": "{sku},4,2024-03-0{day}", "improvements": "{sku},2024-03-0{day}T10:00:00,Stronger poles"}


@dataclass(frozen=True)
class Malformed:
    name: str
    # The bad line: {prefix} is a good row's first three columns for {sku} (default TENT-1).
    bad_line: str
    reason: str  # a fragment of the message every reader gives
    sku: str = GOOD_SKU
    # Rows after the bad one that a skipping reader still takes (an open quote swallows them).
    rows_after_kept: int = 2


MALFORMED = [
    Malformed(
        "a quote left open at the end of the file",
        '{prefix},"Broken zip,The zip broke after a week',
        "still open at the end of the file",
        rows_after_kept=0,
    ),
    Malformed(
        "more fields than the header",
        "{prefix},Strap snapped, buckle bent, refund refused",
        "the row has 6 fields, the header 4",
    ),
    Malformed("fewer fields than the header", "{prefix}", "the row has 3 fields, the header 4"),
    Malformed("a NUL byte", "{prefix},Zip\0broke", "NUL byte"),
    Malformed("a closing quote followed by text", '{prefix},"Zip" broke', "closing quote is followed by other text"),
    Malformed("a SKU with a slash", "{prefix},Fine", "not a valid SKU", sku="TENT/1"),
    Malformed("a SKU with a space", "{prefix},Fine", "not a valid SKU", sku="TENT 1"),
    Malformed("a SKU too long to store", "{prefix},Fine", "more than 64", sku="T" * 65),
]


def malformed_file(directory: Path, kind: FileKind, case: Malformed) -> Path:
    """The case as a file of ``kind``: lines 2, 4 and 5 good, line 3 the case's."""
    prefix = _PREFIX[kind]

    def good(day: int) -> str:
        return prefix.format(sku=GOOD_SKU, day=day) + ",fine"

    bad = case.bad_line.format(prefix=prefix.format(sku=case.sku, day=3))
    lines = [_HEADERS[kind], good(2), bad, good(4), good(5)]
    path = directory / f"{kind}-{case.name.replace(' ', '-')}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
