"""import_reviews and import_improvements: all or nothing, clear errors (exit status 2 with
the file, line and reason), re-imports that add nothing, revisions by moment."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from gate.models import GateClock, Improvement
from gate.services import gate_evaluate_through
from products.models import Product
from reviews.models import Review, ReviewSource, ReviewStatus
from tests.conftest import REPO_ROOT
from tests.factories import make_product

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def _utc(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    settings.GATE_MIN_REVIEWS = 2
    settings.GATE_GRACE_DAYS = 5
    settings.GATE_WINDOW_DAYS = 0


def _csv(path: Path, text: str) -> Path:
    path.write_text(text.lstrip(), encoding="utf-8")
    return path


def _refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as refused:
        call_command(*args, verbosity=0, stderr=io.StringIO())
    assert refused.value.returncode == 2
    return refused.value


def test_reviews_are_imported_as_published_never_verified_with_their_optional_columns(tmp_path: Path) -> None:
    path = _csv(
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
    path = _csv(
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
    path = _csv(
        tmp_path / "reviews.csv",
        """
product_id,rating,created_at
TENT-1,4,2024-03-01
TENT-2,6,2024-03-02
TENT-1,5,2024-03-03
""",
    )

    error = _refused("import_reviews", str(path), "--create-products")

    assert str(error).startswith(f"{path}, line 3: ")
    assert "rating" in str(error)
    assert not Review.objects.exists()
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("TENT-1,4,yesterday", "created_at"),
        ("TENT-1,4", "missing value"),
        (",4,2024-03-01", "product_id is empty"),
        ("TENT-1,4,2999-01-01", "in the future"),
    ],
)
def test_each_kind_of_bad_row_is_named_with_its_line(tmp_path: Path, row: str, reason: str) -> None:
    path = _csv(tmp_path / "reviews.csv", f"product_id,rating,created_at\nTENT-1,4,2024-03-01\n{row}\n")

    error = _refused("import_reviews", str(path), "--create-products")

    assert f"{path}, line 3: " in str(error)
    assert reason in str(error)
    assert not Review.objects.exists()


def test_skip_invalid_imports_the_good_rows_and_reports_each_bad_one(tmp_path: Path) -> None:
    path = _csv(
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
    make_product(sku="TENT-1")
    path = _csv(tmp_path / "reviews.csv", "product_id,rating,created_at\nTENT-1,4,2024-03-01\nSTOVE-9,4,2024-03-01\n")

    error = _refused("import_reviews", str(path))

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


def test_imported_reviews_take_the_revision_in_force_when_written(tmp_path: Path) -> None:
    improvements = _csv(
        tmp_path / "improvements.csv",
        "product_id,logged_at,description\nTENT-1,2024-03-02T12:00:00,New poles\n",
    )
    reviews = _csv(
        tmp_path / "reviews.csv",
        """
product_id,rating,created_at
TENT-1,1,2024-03-02T11:59:59
TENT-1,5,2024-03-02T12:00:00
TENT-1,4,2024-03-03
""",
    )
    make_product(sku="TENT-1")

    # Improvements first, then reviews: each review gets the revision of its moment.
    call_command("import_improvements", str(improvements), verbosity=0)
    call_command("import_reviews", str(reviews), verbosity=0)

    assert list(Review.objects.order_by("created_at").values_list("rating", "revision")) == [(1, 0), (5, 1), (4, 1)]
    improvement = Improvement.objects.get()
    assert (improvement.revision, improvement.day, improvement.source, improvement.description) == (
        1,
        date(2024, 3, 2),
        Improvement.Source.IMPORT,
        "New poles",
    )
    product = Product.objects.get()
    # Not applied before its day is evaluated: the product is still at revision 0.
    assert (product.revision, product.current_count, product.all_time_count) == (0, 1, 3)

    gate_evaluate_through(through=date(2024, 3, 3))

    product.refresh_from_db()
    assert (product.revision, product.revision_started_at) == (1, datetime(2024, 3, 2, 12, tzinfo=UTC))
    assert (product.current_count, product.current_sum) == (2, 9)


def test_improvements_imported_after_the_reviews_move_the_later_reviews_to_the_new_revision(tmp_path: Path) -> None:
    reviews = _csv(
        tmp_path / "reviews.csv",
        "product_id,rating,created_at\nTENT-1,1,2024-03-01\nTENT-1,5,2024-03-05\n",
    )
    improvements = _csv(tmp_path / "improvements.csv", "product_id,logged_at\nTENT-1,2024-03-03T08:00:00Z\n")
    call_command("import_reviews", str(reviews), "--create-products", verbosity=0)

    call_command("import_improvements", str(improvements), verbosity=0)

    assert list(Review.objects.order_by("created_at").values_list("rating", "revision")) == [(1, 0), (5, 1)]
    product = Product.objects.get()
    assert (product.revision, product.current_count, product.current_sum) == (0, 1, 1)


def test_import_improvements_refuses_a_day_already_evaluated(tmp_path: Path) -> None:
    make_product(sku="TENT-1")
    GateClock.objects.create(pk=1, last_evaluated_day=date(2024, 3, 10))
    path = _csv(
        tmp_path / "improvements.csv",
        "product_id,logged_at\nTENT-1,2024-03-11T08:00:00\nTENT-1,2024-03-10T23:59:00\n",
    )

    error = _refused("import_improvements", str(path))

    assert str(error).startswith(f"{path}, line 3: ")
    assert "on or before the last evaluated day 2024-03-10" in str(error)
    assert not Improvement.objects.exists()


def test_import_improvements_refuses_the_future(tmp_path: Path) -> None:
    make_product(sku="TENT-1")
    later = (timezone.now() + timedelta(hours=2)).astimezone(UTC).replace(microsecond=0, tzinfo=None)
    path = _csv(tmp_path / "improvements.csv", f"product_id,logged_at\nTENT-1,{later.isoformat()}\n")

    error = _refused("import_improvements", str(path))

    assert str(error).startswith(f"{path}, line 2: ")
    assert "in the future" in str(error)
    assert not Improvement.objects.exists()


def test_import_improvements_refuses_an_unknown_product_and_a_bad_date(tmp_path: Path) -> None:
    make_product(sku="TENT-1")
    unknown = _csv(tmp_path / "a.csv", "product_id,logged_at\nTENT-1,2024-01-01\nSTOVE,2024-01-02\n")
    unreadable = _csv(tmp_path / "b.csv", "product_id,logged_at\nTENT-1,01/02/2024\n")

    assert str(_refused("import_improvements", str(unknown))) == f"{unknown}, line 3: unknown product STOVE"
    assert str(_refused("import_improvements", str(unreadable))).startswith(f"{unreadable}, line 2: unreadable")
    assert not Improvement.objects.exists()


def test_import_improvements_refuses_one_older_than_the_products_latest(tmp_path: Path) -> None:
    make_product(sku="TENT-1")
    _csv(tmp_path / "first.csv", "product_id,logged_at\nTENT-1,2024-02-01\n")
    call_command("import_improvements", str(tmp_path / "first.csv"), verbosity=0)
    older = _csv(tmp_path / "older.csv", "product_id,logged_at\nTENT-1,2024-01-15\n")

    error = _refused("import_improvements", str(older))

    assert "before the latest improvement of TENT-1" in str(error)
    assert Improvement.objects.count() == 1
