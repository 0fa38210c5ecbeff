"""import_reviews: all or nothing, clear errors (exit status 2 with the file, line and
reason), re-imports that add nothing (reviews.history_import)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from products.models import Product
from reviews.models import Review, ReviewSource, ReviewStatus
from tests.commands import command_refused, csv_file
from tests.conftest import REPO_ROOT
from tests.factories import product_create

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def _utc(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    settings.GATE_MIN_REVIEWS = 2
    settings.GATE_GRACE_DAYS = 5
    settings.GATE_WINDOW_DAYS = 0


def test_reviews_are_imported_as_published_never_verified_with_their_optional_columns(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "reviews.csv",
        """
review_id,product_id,rating,created_at,title,text,author,language,ignored
r1,TENT-1,4,2024-03-01T10:00:00,Good tent,Dry all night,Ana,fr,x
r2,TENT-1,2,2024-03-02,,,,,
""",
    )
    err = io.StringIO()

    call_command("import_reviews", str(path), "--create-products", stderr=err)

    product = Product.objects.get(sku="TENT-1")
    first, second = Review.objects.filter(product=product).order_by("created_at")
    assert (first.external_id, first.rating, first.title, first.body, first.author_name, first.language) == (
        "r1",
        4,
        "Good tent",
        "Dry all night",
        "Ana",
        "fr",
    )
    assert first.created_at == first.published_at == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert second.published_at == datetime(2024, 3, 2, tzinfo=UTC)
    assert (second.author_name, second.language) == ("Anonymous", "en")
    for review in (first, second):
        assert (review.status, review.verified_purchase, review.source, review.author) == (
            ReviewStatus.PUBLISHED,
            False,
            ReviewSource.IMPORT,
            None,
        )
    assert (product.all_time_count, product.all_time_sum, product.current_count) == (2, 6, 2)
    assert "2 reviews added" in err.getvalue()


def test_a_reimport_with_review_ids_adds_nothing_twice(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "reviews.csv",
        """
review_id,product_id,rating,created_at
r1,TENT-1,4,2024-03-01
r2,TENT-1,2,2024-03-02
r2,TENT-1,2,2024-03-02
""",
    )
    call_command("import_reviews", str(path), "--create-products", verbosity=0)
    err = io.StringIO()

    call_command("import_reviews", str(path), stderr=err)

    assert Review.objects.count() == 2
    assert Product.objects.get().all_time_count == 2
    assert "0 reviews added, 3 already imported" in err.getvalue()


def test_a_bad_row_stops_the_import_before_anything_is_written(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "reviews.csv",
        """
product_id,rating,created_at
TENT-1,4,2024-03-01
TENT-2,6,2024-03-02
TENT-1,5,2024-03-03
""",
    )

    error = command_refused("import_reviews", str(path), "--create-products")

    assert str(error).startswith(f"{path}, line 3: ")
    assert "rating" in str(error)
    assert not Review.objects.exists()
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("TENT-1,4,yesterday", "created_at"),
        ("TENT-1,4", "the row has 2 fields, the header 3"),
        (",4,2024-03-01", "product_id: the SKU is empty"),
        ("TENT-1,4,2999-01-01", "in the future"),
    ],
)
def test_each_kind_of_bad_row_is_named_with_its_line(tmp_path: Path, row: str, reason: str) -> None:
    path = csv_file(tmp_path / "reviews.csv", f"product_id,rating,created_at\nTENT-1,4,2024-03-01\n{row}\n")

    error = command_refused("import_reviews", str(path), "--create-products")

    assert f"{path}, line 3: " in str(error)
    assert reason in str(error)
    assert not Review.objects.exists()


def test_skip_invalid_imports_the_good_rows_and_reports_each_bad_one(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path / "reviews.csv",
        """
product_id,rating,created_at,language
TENT-1,4,2024-03-01,en
TENT-1,0,2024-03-02,en
TENT-1,5,2024-03-03,klingon
TENT-1,3,2024-03-04,
""",
    )
    err = io.StringIO()

    call_command("import_reviews", str(path), "--create-products", "--skip-invalid", stderr=err)

    assert sorted(Review.objects.values_list("rating", flat=True)) == [3, 4]
    report = err.getvalue()
    assert f"skipped {path}, line 3: " in report
    assert f"skipped {path}, line 4: language must be one of" in report
    assert "skipped (--skip-invalid): 2 rows" in report


def test_an_unknown_product_is_refused_without_create_products(tmp_path: Path) -> None:
    product_create(sku="TENT-1")
    path = csv_file(
        tmp_path / "reviews.csv", "product_id,rating,created_at\nTENT-1,4,2024-03-01\nSTOVE-9,4,2024-03-01\n"
    )

    error = command_refused("import_reviews", str(path))

    assert str(error) == f"{path}, line 3: unknown product 'STOVE-9': use --create-products to create it"
    assert not Review.objects.exists()


def test_a_missing_file_exits_2_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    result = subprocess.run(
        [sys.executable, "manage.py", "import_reviews", str(missing)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
        timeout=120,
        check=False,
    )

    assert result.returncode == 2
    assert f"{missing}: no such file" in result.stderr
    assert "Traceback" not in result.stderr
