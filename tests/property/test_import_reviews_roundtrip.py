"""Any file of valid rows written by Python's ``csv`` module imports to exactly those rows
(issue 12): same count, and per review (in file order) the same product, rating, moment,
title, text, author and language; a repeated ``review_id`` keeps its first row."""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.skus import SKU_URL_PATTERN
from products.models import Product
from reviews.history_import import history_keeper
from reviews.models import LANGUAGE_CODES, Review

pytestmark = pytest.mark.django_db(transaction=False)

HEADER = ["review_id", "product_id", "rating", "created_at", "title", "text", "author", "language"]
STORED_FIELDS = ("external_id", "product__sku", "rating", "created_at", "title", "body", "author_name", "language")
DEFAULT_LANGUAGE = settings.LANGUAGE_CODE.split("-")[0]
# Any character but NUL and surrogates, with the ones CSV quoting must get right more often.
TEXT_CHARACTERS = st.one_of(
    st.characters(codec="utf-8", exclude_characters="\x00"),
    st.sampled_from(['"', ",", "\n", "\r", ";", "\\", "'"]),
)
WORD_CHARACTERS = st.characters(min_codepoint=ord("0"), max_codepoint=ord("z"), categories=("L", "Nd"))


@dataclass(frozen=True)
class Row:
    review_id: str
    sku: str
    rating: int
    created_at: datetime
    written_at: str
    title: str
    text: str
    author: str
    language: str


@st.composite
def moments(draw: st.DrawFn) -> tuple[datetime, str]:
    """A moment not in the future, written as ISO with or without an offset: the aware
    moment expected, and its text (a moment without offset is read in the keeper's zone)."""
    naive = draw(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2025, 12, 31)))
    if draw(st.booleans()):
        offset = timezone(timedelta(minutes=draw(st.integers(min_value=-14 * 60, max_value=14 * 60))))
        aware = naive.replace(tzinfo=offset)
        return aware, aware.isoformat()
    return naive.replace(tzinfo=history_keeper().tzinfo), naive.isoformat()


@st.composite
def review_files(draw: st.DrawFn) -> tuple[bool, list[Row]]:
    """Whether the file has a review_id column, and its rows (ids from a few, so repeated)."""
    with_review_ids = draw(st.booleans())
    skus = draw(st.lists(st.from_regex(SKU_URL_PATTERN, fullmatch=True), min_size=1, max_size=3, unique=True))
    review_ids = draw(st.lists(st.text(WORD_CHARACTERS, min_size=1, max_size=6), min_size=1, max_size=4))
    rows = []
    for _number in range(draw(st.integers(min_value=1, max_value=12))):
        created_at, written_at = draw(moments())
        rows.append(
            Row(
                review_id=draw(st.one_of(st.just(""), st.sampled_from(review_ids))) if with_review_ids else "",
                sku=draw(st.sampled_from(skus)),
                rating=draw(st.integers(min_value=1, max_value=5)),
                created_at=created_at,
                written_at=written_at,
                title=draw(st.text(TEXT_CHARACTERS, max_size=200)),
                text=draw(st.text(TEXT_CHARACTERS, max_size=400)),
                author=draw(st.text(WORD_CHARACTERS, max_size=20)),
                language=draw(st.sampled_from(["", *sorted(LANGUAGE_CODES)])),
            )
        )
    return with_review_ids, rows


def expected_reviews(rows: list[Row]) -> list[tuple[object, ...]]:
    """What the import must store, in file order: a review_id seen before is skipped."""
    seen: set[str] = set()
    expected: list[tuple[object, ...]] = []
    for row in rows:
        if row.review_id:
            if row.review_id in seen:
                continue
            seen.add(row.review_id)
        expected.append(
            (
                row.review_id or None,
                row.sku,
                row.rating,
                row.created_at,
                row.title,
                row.text,
                row.author or "Anonymous",
                row.language or DEFAULT_LANGUAGE,
            )
        )
    return expected


class RolledBack(Exception):
    """Undoes one example's import (the examples share the test's database)."""


@hypothesis_settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(file=review_files())
def test_any_file_of_valid_rows_imports_to_exactly_those_rows(file: tuple[bool, list[Row]]) -> None:
    with_review_ids, rows = file
    skipped = 0 if with_review_ids else 1  # without the review_id column
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "reviews.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER[skipped:])
            for row in rows:
                fields = [row.review_id, row.sku, row.rating, row.written_at, row.title, row.text, row.author]
                writer.writerow([*fields, row.language][skipped:])
        try:
            with transaction.atomic():
                call_command("import_reviews", str(path), create_products=True, verbosity=0, stderr=io.StringIO())
                stored = list(
                    Review.objects.order_by("id").values_list(
                        "external_id",
                        "product__sku",
                        "rating",
                        "created_at",
                        "title",
                        "body",
                        "author_name",
                        "language",
                    )
                )
                counts = dict(Product.objects.values_list("sku", "all_time_count"))
                raise RolledBack
        except RolledBack:
            pass

    expected = expected_reviews(rows)
    assert stored == expected
    assert counts == {sku: sum(1 for review in expected if review[1] == sku) for sku in {row.sku for row in rows}}
