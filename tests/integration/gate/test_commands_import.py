"""import_improvements, and with import_reviews: all or nothing, clear errors (exit status 2
with the file, line and reason), revisions by moment. import_reviews alone is tested in
tests/integration/reviews/test_import_reviews.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from gate.models import GateClock, Improvement
from gate.services import gate_evaluate_through
from products.models import Product
from reviews.models import Review
from tests.commands import command_refused, csv_file
from tests.factories import product_create

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


@pytest.fixture(autouse=True)
def _utc(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    settings.GATE_MIN_REVIEWS = 2
    settings.GATE_GRACE_DAYS = 5
    settings.GATE_WINDOW_DAYS = 0


def test_imported_reviews_take_the_revision_in_force_when_written(tmp_path: Path) -> None:
    improvements = csv_file(
        tmp_path / "improvements.csv",
        "product_id,logged_at,description\nTENT-1,2024-03-02T12:00:00,New poles\n",
    )
    reviews = csv_file(
        tmp_path / "reviews.csv",
        """
product_id,rating,created_at
TENT-1,1,2024-03-02T11:59:59
TENT-1,5,2024-03-02T12:00:00
TENT-1,4,2024-03-03
""",
    )
    product_create(sku="TENT-1")

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
    reviews = csv_file(
        tmp_path / "reviews.csv",
        "product_id,rating,created_at\nTENT-1,1,2024-03-01\nTENT-1,5,2024-03-05\n",
    )
    improvements = csv_file(tmp_path / "improvements.csv", "product_id,logged_at\nTENT-1,2024-03-03T08:00:00Z\n")
    call_command("import_reviews", str(reviews), "--create-products", verbosity=0)

    call_command("import_improvements", str(improvements), verbosity=0)

    assert list(Review.objects.order_by("created_at").values_list("rating", "revision")) == [(1, 0), (5, 1)]
    product = Product.objects.get()
    assert (product.revision, product.current_count, product.current_sum) == (0, 1, 1)


def test_import_improvements_refuses_a_day_already_evaluated(tmp_path: Path) -> None:
    product_create(sku="TENT-1")
    GateClock.objects.create(pk=1, last_evaluated_day=date(2024, 3, 10))
    path = csv_file(
        tmp_path / "improvements.csv",
        "product_id,logged_at\nTENT-1,2024-03-11T08:00:00\nTENT-1,2024-03-10T23:59:00\n",
    )

    error = command_refused("import_improvements", str(path))

    assert str(error).startswith(f"{path}, line 3: ")
    assert "on or before the last evaluated day 2024-03-10" in str(error)
    assert not Improvement.objects.exists()


def test_import_improvements_refuses_the_future(tmp_path: Path) -> None:
    product_create(sku="TENT-1")
    later = (timezone.now() + timedelta(hours=2)).astimezone(UTC).replace(microsecond=0, tzinfo=None)
    path = csv_file(tmp_path / "improvements.csv", f"product_id,logged_at\nTENT-1,{later.isoformat()}\n")

    error = command_refused("import_improvements", str(path))

    assert str(error).startswith(f"{path}, line 2: ")
    assert "in the future" in str(error)
    assert not Improvement.objects.exists()


def test_import_improvements_refuses_an_unknown_product_and_a_bad_date(tmp_path: Path) -> None:
    product_create(sku="TENT-1")
    unknown = csv_file(tmp_path / "a.csv", "product_id,logged_at\nTENT-1,2024-01-01\nSTOVE,2024-01-02\n")
    unreadable = csv_file(tmp_path / "b.csv", "product_id,logged_at\nTENT-1,01/02/2024\n")

    assert str(command_refused("import_improvements", str(unknown))) == f"{unknown}, line 3: unknown product STOVE"
    assert str(command_refused("import_improvements", str(unreadable))).startswith(f"{unreadable}, line 2: unreadable")
    assert not Improvement.objects.exists()


def test_import_improvements_refuses_one_older_than_the_products_latest(tmp_path: Path) -> None:
    product_create(sku="TENT-1")
    csv_file(tmp_path / "first.csv", "product_id,logged_at\nTENT-1,2024-02-01\n")
    call_command("import_improvements", str(tmp_path / "first.csv"), verbosity=0)
    older = csv_file(tmp_path / "older.csv", "product_id,logged_at\nTENT-1,2024-01-15\n")

    error = command_refused("import_improvements", str(older))

    assert "before the latest improvement of TENT-1" in str(error)
    assert Improvement.objects.count() == 1
