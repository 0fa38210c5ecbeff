"""reviews.history_import.review_history_import: the rules of an import of history, on
the database the tests run on (SQLite's batched path, PostgreSQL's COPY path)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo

import pytest

from products.models import Product
from reviews.history_import import (
    ImportRefused,
    ReviewImport,
    ReviewImportSummary,
    RevisionStarts,
    review_history_import,
)
from reviews.history_import.postgres import STORED_COLUMNS
from reviews.models import Review, ReviewSource, ReviewStatus
from tests.factories import product_create

pytestmark = pytest.mark.django_db

MARCH = datetime(2024, 3, 1, 12, tzinfo=UTC)


class FakeKeeper:
    """A history with improvements of one product and a last evaluated day."""

    def __init__(self, *, starts: dict[int, RevisionStarts], last_evaluated_day: date | None) -> None:
        self.starts = starts
        self.last_evaluated_day = last_evaluated_day
        self.locks = 0

    @property
    def tzinfo(self) -> tzinfo:
        return UTC

    def lock(self) -> date | None:
        self.locks += 1
        return self.last_evaluated_day

    def evaluated_through(self) -> date | None:
        return self.last_evaluated_day

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(UTC).date()

    def revision_starts(self, product_ids: Sequence[int]) -> dict[int, RevisionStarts]:
        return {pk: starts for pk, starts in self.starts.items() if pk in product_ids}


def row(line: int, sku: str, rating: int, created_at: datetime = MARCH, review_id: str | None = None) -> ReviewImport:
    return ReviewImport(line=line, sku=sku, rating=rating, created_at=created_at, review_id=review_id)


def test_every_column_of_a_stored_review_is_filled_by_the_copy_path() -> None:
    columns = {field.column for field in Review._meta.concrete_fields if not field.primary_key}

    assert set(STORED_COLUMNS) == columns


def test_a_review_id_repeated_in_the_file_keeps_its_first_row_and_counts_as_already_imported() -> None:
    rows = [row(2, "TENT-1", 4, review_id="r1"), row(3, "TENT-1", 2, review_id="r1"), row(4, "TENT-1", 5)]
    rows += [row(5, "TENT-1", 3, review_id="r2"), row(6, "TENT-1", 1)]

    summary = review_history_import(skus=["TENT-1"], rows=rows, create_products=True)

    assert (summary.rows, summary.created, summary.already_imported, summary.products_created) == (5, 4, 1, 1)
    stored = list(Review.objects.order_by("id").values_list("external_id", "rating"))
    assert stored == [("r1", 4), (None, 5), ("r2", 3), (None, 1)]


def test_a_second_import_adds_only_the_new_review_ids() -> None:
    review_history_import(skus=["TENT-1"], rows=[row(2, "TENT-1", 4, review_id="r1")], create_products=True)
    rows = [row(2, "TENT-1", 1, review_id="r1"), row(3, "TENT-1", 5, review_id="r3"), row(4, "TENT-1", 5)]

    summary = review_history_import(skus=["TENT-1"], rows=rows, create_products=False)

    assert (summary.rows, summary.created, summary.already_imported, summary.products_created) == (3, 2, 1, 0)
    assert sorted(Review.objects.values_list("rating", flat=True)) == [4, 5, 5]
    product = Product.objects.get()
    assert (product.all_time_count, product.all_time_sum, product.current_count) == (3, 14, 3)


def test_an_imported_review_is_published_at_its_moment_never_verified_with_every_column_filled() -> None:
    before = datetime.now(UTC)
    review_history_import(skus=["TENT-1"], rows=[row(2, "TENT-1", 4)], create_products=True)

    review = Review.objects.get()
    assert (review.status, review.status_reason, review.verified_purchase, review.source, review.author) == (
        ReviewStatus.PUBLISHED,
        "",
        False,
        ReviewSource.IMPORT,
        None,
    )
    assert (review.created_at, review.published_at) == (MARCH, MARCH)
    assert (review.helpful_yes, review.helpful_no, review.author_name, review.language) == (0, 0, "Anonymous", "en")
    assert review.updated_at >= before


def test_a_product_created_by_the_import_holds_a_new_products_defaults() -> None:
    review_history_import(skus=["Tent.2_b"], rows=[row(2, "Tent.2_b", 3)], create_products=True)

    product = Product.objects.get()
    new = Product(sku="x", name="x", slug="x")
    assert (product.sku, product.name, product.slug) == ("Tent.2_b", "Tent.2_b", "tent2_b")
    assert (product.on_sale, product.gate_state, product.revision, product.category_id) == (
        new.on_sale,
        new.gate_state,
        new.revision,
        None,
    )
    assert (product.brand, product.description, product.image_url) == ("", "", "")
    assert product.created_at is not None
    assert (product.all_time_count, product.current_count, product.current_3_star) == (1, 1, 1)


def test_each_review_takes_the_revision_in_force_and_reviews_on_evaluated_days_are_counted() -> None:
    product = product_create(sku="TENT-1")
    improved, improved_again = MARCH + timedelta(days=10), MARCH + timedelta(days=20)
    keeper = FakeKeeper(
        starts={product.pk: RevisionStarts(moments=[improved, improved_again], revisions=[1, 2])},
        last_evaluated_day=(MARCH + timedelta(days=10)).date(),
    )
    moments = [MARCH, improved - timedelta(seconds=1), improved, improved_again + timedelta(days=1)]
    rows = [row(line, "TENT-1", 4, moment) for line, moment in enumerate(moments, start=2)]

    summary = review_history_import(skus=["TENT-1"], rows=rows, create_products=False, keeper=keeper)

    assert list(Review.objects.order_by("created_at").values_list("revision", flat=True)) == [0, 0, 1, 2]
    assert (summary.on_evaluated_days, summary.last_evaluated_day, keeper.locks) == (3, keeper.last_evaluated_day, 1)


def test_progress_is_reported_every_batch_and_after_the_last_row() -> None:
    seen: list[int] = []

    def progress(summary: ReviewImportSummary) -> None:
        seen.append(summary.rows)

    rows = [row(line, "TENT-1", 4) for line in range(2, 7)]
    review_history_import(skus=["TENT-1"], rows=rows, create_products=True, progress=progress, batch_size=2)

    assert seen == [2, 4, 5]


def test_a_failure_after_some_batches_writes_nothing() -> None:
    def rows() -> Iterator[ReviewImport]:
        for line in range(2, 7):
            yield row(line, "TENT-1", 4, review_id=f"r{line}")
        raise ImportRefused("the file changed", line=7)

    with pytest.raises(ImportRefused):
        review_history_import(skus=["TENT-1"], rows=rows(), create_products=True, batch_size=2)

    assert not Review.objects.exists()
    assert not Product.objects.exists()


def test_an_unknown_product_is_refused_without_create_products() -> None:
    with pytest.raises(ImportRefused) as refused:
        review_history_import(skus=["TENT-1"], rows=[row(2, "TENT-1", 4)], create_products=False)

    assert refused.value.code == "unknown_product"
    assert not Review.objects.exists()
