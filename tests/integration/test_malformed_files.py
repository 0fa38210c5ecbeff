"""One set of malformed files (tests/malformed_csv.py), every reader: both backtest engines
(reviews and improvements files), ``gate_backtest``, ``import_reviews`` and
``import_improvements``. Each stops with exit status 2 naming the file, line 3 and the
reason, and writes nothing; with ``--skip-invalid`` each names line 3 and takes the rest."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

import gate.backtest.run as backtest_run
from core.csv_input import RowError
from gate.backtest import backtest_events
from gate.backtest.columnar import NotColumnar
from gate.models import GateEvent, Improvement
from gate.policy import GatePolicy
from products.models import Product
from reviews.models import Review
from tests.commands import command_refused
from tests.factories import product_create
from tests.malformed_csv import BAD_LINE, GOOD_SKU, MALFORMED, Malformed, malformed_file

POLICY = GatePolicy.build(threshold="3", grace_days=2, min_reviews=1, window_days=0, timezone="UTC")
CASES = pytest.mark.parametrize("case", MALFORMED, ids=[case.name for case in MALFORMED])


@pytest.fixture(autouse=True)
def _utc(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"


def good_reviews(directory: Path) -> Path:
    path = directory / "good-reviews.csv"
    path.write_text(f"product_id,rating,created_at\n{GOOD_SKU},1,2024-03-01\n", encoding="utf-8")
    return path


def assert_names_line(message: str, path: Path, case: Malformed) -> None:
    assert f"{path}, line {BAD_LINE}: " in message, message
    assert case.reason in message, message


# --- The backtest's engines -------------------------------------------------------------


@CASES
def test_the_row_engine_refuses_a_malformed_reviews_file(tmp_path: Path, case: Malformed) -> None:
    path = malformed_file(tmp_path, "reviews", case)

    with pytest.raises(RowError) as refused:
        backtest_events(path, policy=POLICY, engine="rows")

    assert_names_line(str(refused.value), path, case)


@CASES
def test_the_columnar_engine_hands_a_malformed_file_to_the_row_engine_which_names_it(
    tmp_path: Path, case: Malformed, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = malformed_file(tmp_path, "reviews", case)

    with pytest.raises(NotColumnar):
        backtest_events(path, policy=POLICY, engine="columnar")
    monkeypatch.setattr(backtest_run, "COLUMNAR_MIN_BYTES", 0)  # "auto" tries the columnar engine first
    with pytest.raises(RowError) as refused:
        backtest_events(path, policy=POLICY, engine="auto")

    assert_names_line(str(refused.value), path, case)


@CASES
@pytest.mark.parametrize("engine", ["rows", "columnar"])
def test_the_backtest_refuses_a_malformed_improvements_file(tmp_path: Path, case: Malformed, engine: str) -> None:
    path = malformed_file(tmp_path, "improvements", case)

    with pytest.raises(RowError) as refused:
        backtest_events(good_reviews(tmp_path), policy=POLICY, improvements_path=path, engine=engine)  # type: ignore[arg-type]

    assert_names_line(str(refused.value), path, case)


@CASES
def test_with_skip_invalid_the_backtest_names_the_line_and_replays_the_rest(tmp_path: Path, case: Malformed) -> None:
    path = malformed_file(tmp_path, "reviews", case)
    skipped: list[RowError] = []

    _events, summary = backtest_events(path, policy=POLICY, skip_invalid=True, on_skip=skipped.append)

    assert [error.line for error in skipped] == [BAD_LINE]
    assert case.reason in skipped[0].reason
    assert (summary.rows_skipped, summary.reviews) == (1, 1 + case.rows_after_kept)


@CASES
def test_gate_backtest_exits_2_and_writes_no_events(tmp_path: Path, case: Malformed) -> None:
    path = malformed_file(tmp_path, "reviews", case)
    events = tmp_path / "events.jsonl"

    refused = command_refused("gate_backtest", str(path), "--events", str(events))

    assert_names_line(str(refused), path, case)
    assert not events.exists()


# --- The imports --------------------------------------------------------------------------


@pytest.mark.django_db
@CASES
def test_import_reviews_exits_2_and_writes_nothing(tmp_path: Path, case: Malformed) -> None:
    path = malformed_file(tmp_path, "reviews", case)
    products = Product.objects.count()

    refused = command_refused("import_reviews", str(path), "--create-products")

    assert_names_line(str(refused), path, case)
    assert (Review.objects.count(), Product.objects.count()) == (0, products)


@pytest.mark.django_db
@CASES
def test_import_reviews_with_skip_invalid_names_the_line_and_imports_the_rest(tmp_path: Path, case: Malformed) -> None:
    path = malformed_file(tmp_path, "reviews", case)
    stderr = io.StringIO()

    call_command("import_reviews", str(path), "--create-products", "--skip-invalid", stderr=stderr)

    assert f"skipped {path}, line {BAD_LINE}: " in stderr.getvalue()
    assert case.reason in stderr.getvalue()
    assert Review.objects.count() == 1 + case.rows_after_kept
    assert list(Product.objects.values_list("sku", flat=True)) == [GOOD_SKU]


@pytest.mark.django_db
@CASES
def test_import_improvements_exits_2_and_writes_nothing(tmp_path: Path, case: Malformed) -> None:
    path = malformed_file(tmp_path, "improvements", case)
    product = product_create(sku=GOOD_SKU)

    refused = command_refused("import_improvements", str(path))

    assert_names_line(str(refused), path, case)
    product.refresh_from_db()
    assert (Improvement.objects.count(), GateEvent.objects.count(), product.revision) == (0, 0, 0)


@pytest.mark.django_db
@CASES
def test_import_improvements_with_skip_invalid_names_the_line_and_logs_the_rest(
    tmp_path: Path, case: Malformed
) -> None:
    path = malformed_file(tmp_path, "improvements", case)
    product_create(sku=GOOD_SKU)
    stderr = io.StringIO()

    call_command("import_improvements", str(path), "--skip-invalid", stderr=stderr)

    assert f"skipped {path}, line {BAD_LINE}: " in stderr.getvalue()
    assert case.reason in stderr.getvalue()
    assert Improvement.objects.count() == 1 + case.rows_after_kept
