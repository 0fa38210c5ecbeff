"""Importing reviews of history (``manage.py import_reviews``): stored as published, as
they were, so that the quality gate judges them as the backtest does.

The reviews app owns the reviews it writes, but the history they are judged by (which
product revision was current at a moment, which days are already evaluated, and the lock
that keeps an import from racing an evaluation) belongs to the gate, above reviews. The
gate hands that in through a :class:`HistoryKeeper` it registers in its
``AppConfig.ready()`` (:func:`history_keeper_register`): reviews never imports the gate.
Without one (no gate installed), every review is of revision 0 and nothing is locked.

Modules: ``keeper`` (the history an import is judged by), ``rows`` (a checked row and the
summary), ``store`` (the import itself), ``postgres`` (its COPY path on PostgreSQL).
"""

from __future__ import annotations

from reviews.history_import.keeper import (
    HistoryKeeper,
    RevisionStarts,
    history_keeper,
    history_keeper_register,
    reviews_revision_advance,
)
from reviews.history_import.rows import (
    REVIEW_IMPORT_COLUMNS,
    ImportRefused,
    ReviewImport,
    ReviewImportSummary,
    review_import_from_row,
)
from reviews.history_import.store import review_history_import

__all__ = [
    "REVIEW_IMPORT_COLUMNS",
    "HistoryKeeper",
    "ImportRefused",
    "ReviewImport",
    "ReviewImportSummary",
    "RevisionStarts",
    "history_keeper",
    "history_keeper_register",
    "review_history_import",
    "review_import_from_row",
    "reviews_revision_advance",
]
