"""An improvement row of a CSV file (a product's new revision): the one definition of a
valid one, for ``gate_backtest`` and ``import_improvements``, and the one check of an
improvement's description (:func:`description_problem`), which the desk, the API and the
import all apply. Standard library and :mod:`core.csv_input` only: the backtest's command
line runs without ``django.setup()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from core.csv_input import CsvHeader, RowError, checked_rows, parse_moment, sku_value

__all__ = [
    "DESCRIPTION_MAX_LENGTH",
    "IMPROVEMENT_COLUMNS",
    "IMPROVEMENT_ID_MAX_LENGTH",
    "IMPROVEMENT_OPTIONAL_COLUMNS",
    "IMPROVEMENT_ROW_COLUMNS",
    "ImprovementRow",
    "description_problem",
    "iter_improvements",
    "parse_improvement_row",
]

IMPROVEMENT_COLUMNS = ("product_id", "logged_at")
# Read when present: the importer's own id of the improvement (what makes a re-import add
# nothing twice) and what was changed. Every other column is ignored, and named as such.
IMPROVEMENT_OPTIONAL_COLUMNS = ("improvement_id", "description")
IMPROVEMENT_ROW_COLUMNS = IMPROVEMENT_COLUMNS + IMPROVEMENT_OPTIONAL_COLUMNS

# The desk's limit of a description (gate.models.Improvement.description uses this number).
DESCRIPTION_MAX_LENGTH = 5_000
# gate.models.Improvement.external_id's length.
IMPROVEMENT_ID_MAX_LENGTH = 100


def gettext_noop(message: str) -> str:
    """Marks a message for ``makemessages`` (which looks for this name) without Django:
    the desk and the API translate it with ``gettext``, command lines show it as written."""
    return message


DESCRIPTION_TOO_LONG = gettext_noop("At most %(max)d characters.")
DESCRIPTION_HAS_NUL = gettext_noop("A NUL character cannot be stored: remove it.")


def _as_written(message: str) -> str:
    return message


def description_problem(description: str, *, translate: Callable[[str], str] = _as_written) -> str | None:
    """Why ``description`` (as it will be stored: stripped) cannot be an improvement's
    description, or ``None``. The one check of its limits: the desk's form and the API
    through ``gate.services.improvements``, and every imported row through
    :func:`parse_improvement_row`. Empty is for the caller to judge (the desk requires one,
    an import may leave it out)."""
    if "\x00" in description:
        return translate(DESCRIPTION_HAS_NUL)
    if len(description) > DESCRIPTION_MAX_LENGTH:
        return translate(DESCRIPTION_TOO_LONG) % {"max": DESCRIPTION_MAX_LENGTH}
    return None


@dataclass(frozen=True, slots=True)
class ImprovementRow:
    """A valid improvement row. ``description`` is stripped (what is stored);
    ``improvement_id`` is ``None`` when the file has no such column or the cell is blank."""

    line: int
    product_id: str
    logged_at: datetime
    improvement_id: str | None = None
    description: str = ""


def _improvement_id(row: Sequence[str], header: CsvHeader, line: int) -> str | None:
    improvement_id = (header.optional(row, "improvement_id") or "").strip()
    if not improvement_id:
        return None
    if "\x00" in improvement_id:
        raise RowError(header.path, line, "improvement_id: a NUL character cannot be stored")
    if len(improvement_id) > IMPROVEMENT_ID_MAX_LENGTH:
        raise RowError(
            header.path,
            line,
            f"improvement_id is {len(improvement_id):,} characters long: at most {IMPROVEMENT_ID_MAX_LENGTH}",
        )
    return improvement_id


def parse_improvement_row(row: Sequence[str], header: CsvHeader, *, line: int, tz: tzinfo) -> ImprovementRow:
    """Check one improvement row's values; raises :class:`RowError` naming the file, line
    and reason. A description over the desk's limit is malformed: never cut."""
    product_id = sku_value(row, header, "product_id", line=line)
    logged_text = header.value(row, "logged_at", line)
    try:
        logged_at = parse_moment(logged_text, tz, column="logged_at")
    except ValueError as exc:
        raise RowError(header.path, line, str(exc)) from None
    improvement_id = _improvement_id(row, header, line)
    description = (header.optional(row, "description") or "").strip()
    problem = description_problem(description)
    if problem is not None:
        raise RowError(header.path, line, f"description ({len(description):,} characters): {problem}")
    return ImprovementRow(line, product_id, logged_at, improvement_id, description)


def iter_improvements(
    path: str | Path,
    tz: tzinfo,
    *,
    skip_invalid: bool = False,
    on_skip: Callable[[RowError], None] | None = None,
) -> Iterator[ImprovementRow]:
    """Every valid improvement row of ``path``, in file order (same rules as reviews)."""

    def parse(row: list[str], header: CsvHeader, line: int) -> ImprovementRow:
        return parse_improvement_row(row, header, line=line, tz=tz)

    return checked_rows(path, IMPROVEMENT_COLUMNS, parse, skip_invalid=skip_invalid, on_skip=on_skip)
